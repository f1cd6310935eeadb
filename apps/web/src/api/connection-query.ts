import { useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import type { TadaDocumentNode } from 'gql.tada';
import { useMemo } from 'react';
import { useApi } from './api-context';
import type { ApiError } from './api-error';
import { graphqlKey } from './graphql-queries';

export interface ConnectionPage<Node> {
  nodes: readonly Node[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export interface ConnectionState<Node> {
  nodes: Node[];
  /** true until the first page arrives */
  loading: boolean;
  /** why the first page failed (a failed further page is `loadMoreError`) */
  error?: unknown;
  hasMore: boolean;
  loadingMore: boolean;
  loadMoreError?: unknown;
  loadMore: () => Promise<void>;
  refetch: () => Promise<void>;
}

export interface ConnectionOptions<Node> {
  /** milliseconds between refetches while it returns a number (all loaded pages are read again) */
  poll?: (nodes: readonly Node[]) => number | undefined;
  enabled?: boolean;
}

/**
 * A keyset-paginated GraphQL connection as a TanStack infinite query: cached under
 * `[operation name, variables]`, one page per `after` cursor. Mutations and live events change
 * its nodes in the cache (see cache-updates.ts); nodes repeated across pages are shown once.
 */
export function useConnectionQuery<Result, Variables extends { after?: string | null }, Node extends { id: string }>(
  document: TadaDocumentNode<Result, Variables>,
  variables: Variables,
  select: (data: Result) => ConnectionPage<Node>,
  options: ConnectionOptions<NoInfer<Node>> = {},
): ConnectionState<Node> {
  const client = useApi();
  const poll = options.poll;
  const query = useInfiniteQuery<Result, ApiError, InfiniteData<Result, string | null>, readonly unknown[], string | null>({
    queryKey: graphqlKey(document, variables),
    queryFn: ({ pageParam, signal }) => client.request(document, { ...variables, after: pageParam }, { signal }),
    initialPageParam: null,
    getNextPageParam: (last) => {
      const { pageInfo } = select(last);
      return pageInfo.hasNextPage && pageInfo.endCursor ? pageInfo.endCursor : undefined;
    },
    enabled: options.enabled,
    refetchInterval: poll
      ? (q) => {
          const pages = q.state.data?.pages;
          return pages ? (poll(pages.flatMap((page) => select(page).nodes)) ?? false) : false;
        }
      : undefined,
  });

  const pages = query.data?.pages;
  const nodes = useMemo(() => {
    const seen = new Set<string>();
    const list: Node[] = [];
    for (const page of pages ?? []) {
      for (const node of select(page).nodes) {
        if (seen.has(node.id)) continue;
        seen.add(node.id);
        list.push(node);
      }
    }
    return list;
    // `select` is an accessor into the answer: the same pages give the same nodes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pages]);

  const { fetchNextPage, refetch } = query;
  return {
    nodes,
    loading: query.isPending && options.enabled !== false,
    error: query.data === undefined ? (query.error ?? undefined) : undefined,
    hasMore: query.hasNextPage,
    loadingMore: query.isFetchingNextPage,
    loadMoreError: query.isFetchNextPageError ? query.error : undefined,
    loadMore: async () => {
      await fetchNextPage();
    },
    refetch: async () => {
      await refetch();
    },
  };
}
