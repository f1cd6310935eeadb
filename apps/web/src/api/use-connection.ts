import { useCallback, useMemo, useState } from 'react';
import type { TadaDocumentNode } from 'gql.tada';
import { useApi, useQuery } from './api-context';

export interface ConnectionPage<Node> {
  nodes: readonly Node[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export interface ConnectionState<Node> {
  nodes: Node[];
  loading: boolean;
  error?: unknown;
  hasMore: boolean;
  loadingMore: boolean;
  loadMoreError?: unknown;
  loadMore: () => Promise<void>;
  refetch: () => Promise<void>;
  /** shows a node as a mutation returned it (null hides it) until the next answer from the server */
  patch: (id: string, node: Node | null) => void;
}

/**
 * A keyset-paginated list: the first page through useQuery (so it can poll), further pages
 * appended with `after`. Polling refreshes the first page, where the newest items are.
 */
export function useConnection<Result, Variables extends { after?: string | null }, Node extends { id: string }>(
  query: TadaDocumentNode<Result, Variables>,
  variables: Variables,
  select: (data: Result) => ConnectionPage<Node>,
  options: { poll?: (nodes: readonly NoInfer<Node>[]) => number | undefined; skip?: boolean } = {},
): ConnectionState<Node> {
  const client = useApi();
  const key = JSON.stringify(variables);
  const poll = options.poll;
  const first = useQuery(query, variables, { skip: options.skip, poll: poll ? (data) => poll(select(data).nodes) : undefined });
  const [more, setMore] = useState<{ key: string; pages: ConnectionPage<Node>[] }>({ key, pages: [] });
  // What mutations patched in, kept with the answer they patched: a fresh answer from the server supersedes them.
  const [patched, setPatched] = useState<{ over: Result | undefined; nodes: ReadonlyMap<string, Node | null> }>({
    over: first.data,
    nodes: new Map(),
  });
  if (patched.over !== first.data) setPatched({ over: first.data, nodes: new Map() });
  const patches = patched.nodes;
  const [loadingMore, setLoadingMore] = useState(false);
  const [loadMoreError, setLoadMoreError] = useState<unknown>();

  // `select` is an accessor into the answer: the same answer gives the same page object.
  const firstPage = first.data === undefined ? undefined : select(first.data);
  const pages = useMemo(() => (firstPage ? [firstPage, ...(more.key === key ? more.pages : [])] : []), [firstPage, more, key]);

  const nodes = useMemo(() => {
    const seen = new Set<string>();
    const list: Node[] = [];
    for (const page of pages) {
      for (const node of page.nodes) {
        if (seen.has(node.id)) continue;
        seen.add(node.id);
        const shown = patches.has(node.id) ? patches.get(node.id) : node;
        if (shown) list.push(shown);
      }
    }
    return list;
  }, [pages, patches]);

  const last = pages[pages.length - 1];
  const loadMore = async () => {
    if (!last?.pageInfo.hasNextPage || !last.pageInfo.endCursor) return;
    setLoadingMore(true);
    setLoadMoreError(undefined);
    try {
      const data = await client.request(query, { ...variables, after: last.pageInfo.endCursor });
      setMore((current) => ({ key, pages: [...(current.key === key ? current.pages : []), select(data)] }));
    } catch (error) {
      setLoadMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  };

  const patch = useCallback((id: string, node: Node | null) => {
    setPatched((current) => ({ over: current.over, nodes: new Map(current.nodes).set(id, node) }));
  }, []);

  const refetch = useCallback(async () => {
    setMore({ key, pages: [] });
    await first.refetch();
  }, [first, key]);

  return {
    nodes,
    loading: first.loading,
    error: first.data === undefined ? first.error : undefined,
    hasMore: Boolean(last?.pageInfo.hasNextPage),
    loadingMore,
    loadMoreError,
    loadMore,
    refetch,
    patch,
  };
}
