import { useCallback, useEffect, useMemo, useState } from 'react';
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
  const [patches, setPatches] = useState<Map<string, Node | null>>(new Map());
  const [loadingMore, setLoadingMore] = useState(false);
  const [loadMoreError, setLoadMoreError] = useState<unknown>();

  // Fresh data from the server supersedes what mutations patched in.
  useEffect(() => setPatches(new Map()), [first.data]);

  const pages = useMemo(() => {
    const firstPage = first.data === undefined ? undefined : select(first.data);
    return firstPage ? [firstPage, ...(more.key === key ? more.pages : [])] : [];
    // `select` is a pure accessor, left out of the dependencies so it need not be memoised.
  }, [first.data, more, key]);

  const nodes = useMemo(() => {
    const seen = new Set<string>();
    const list: Node[] = [];
    for (const page of pages) {
      for (const node of page.nodes) {
        if (seen.has(node.id)) continue;
        seen.add(node.id);
        const patched = patches.has(node.id) ? patches.get(node.id) : node;
        if (patched) list.push(patched);
      }
    }
    return list;
  }, [pages, patches]);

  const last = pages[pages.length - 1];
  const loadMore = useCallback(async () => {
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
  }, [client, query, key, last]);

  const patch = useCallback((id: string, node: Node | null) => {
    setPatches((current) => new Map(current).set(id, node));
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
