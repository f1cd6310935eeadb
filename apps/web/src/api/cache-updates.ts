import type { QueryClient } from '@tanstack/react-query';
import { operationKey, type OperationDocument } from './graphql-queries';

/**
 * What to do with one node of a cached connection: the node to show instead, `null` to take it
 * out of the list, or `undefined` to leave it as it is.
 */
export type NodeChange = (node: { id: string } & Record<string, unknown>) => object | null | undefined;

/**
 * Applies `change` to every node of every connection cached by the operation `document`
 * (all its variables, every loaded page), so what a mutation answered or a live event carried
 * shows at once on whichever list holds the node. A removed node lowers the connection's
 * `totalCount`. Connections are found by shape (`nodes` beside `pageInfo`), so one rule serves
 * `viewer.shares`, `shareFeed`, `moderationQueue` and the rest.
 */
export function updateConnectionNodes(queryClient: QueryClient, document: OperationDocument, change: NodeChange): void {
  queryClient.setQueriesData<unknown>({ queryKey: operationKey(document) }, (data: unknown) =>
    data === undefined ? data : mapConnections(data, change),
  );
}

/** Replaces the cached node with this id, wherever a connection of the operation holds it. */
export function replaceConnectionNode(
  queryClient: QueryClient,
  document: OperationDocument,
  node: { id: string; [field: string]: unknown },
): void {
  updateConnectionNodes(queryClient, document, (cached) => (cached.id === node.id ? { ...cached, ...node } : undefined));
}

/** Takes the node with this id out of every connection of the operation. */
export function removeConnectionNode(queryClient: QueryClient, document: OperationDocument, id: string): void {
  updateConnectionNodes(queryClient, document, (cached) => (cached.id === id ? null : undefined));
}

/** Whether any connection the operation has cached holds a node with this id. */
export function connectionHoldsNode(queryClient: QueryClient, document: OperationDocument, id: string): boolean {
  let found = false;
  for (const [, data] of queryClient.getQueriesData<unknown>({ queryKey: operationKey(document) })) {
    if (data !== undefined)
      mapConnections(data, (node) => {
        if (node.id === id) found = true;
        return undefined;
      });
  }
  return found;
}

function isConnection(value: Record<string, unknown>): value is { nodes: unknown[]; pageInfo: unknown; totalCount?: unknown } {
  return Array.isArray(value.nodes) && typeof value.pageInfo === 'object' && value.pageInfo !== null;
}

/** A copy of `value` with `change` applied to its connections' nodes; unchanged parts keep their identity. */
function mapConnections<T>(value: T, change: NodeChange): T {
  if (Array.isArray(value)) {
    let changed = false;
    const next = value.map((item) => {
      const mapped = mapConnections(item, change);
      if (mapped !== item) changed = true;
      return mapped;
    });
    return (changed ? next : value) as T;
  }
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if (isConnection(record)) {
    let removed = 0;
    let changed = false;
    const nodes: unknown[] = [];
    for (const node of record.nodes) {
      const result = isNode(node) ? change(node) : undefined;
      if (result === undefined) nodes.push(node);
      else if (result === null) {
        removed++;
        changed = true;
      } else {
        nodes.push(result);
        changed = true;
      }
    }
    if (!changed) return value;
    const next: Record<string, unknown> = { ...record, nodes };
    if (typeof record.totalCount === 'number') next.totalCount = Math.max(0, record.totalCount - removed);
    return next as T;
  }
  let changed = false;
  const next: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(record)) {
    const mapped = mapConnections(child, change);
    if (mapped !== child) changed = true;
    next[key] = mapped;
  }
  return (changed ? next : value) as T;
}

function isNode(value: unknown): value is { id: string } & Record<string, unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
}
