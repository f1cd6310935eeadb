import {
  queryOptions,
  useMutation,
  useQuery,
  type QueryKey,
  type UseMutationOptions,
  type UseQueryOptions,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { TadaDocumentNode } from 'gql.tada';
import { useApi } from './api-context';
import type { ApiError } from './api-error';
import type { GraphqlClient, RequestOptions } from './graphql-client';

export type OperationDocument = { definitions: ReadonlyArray<{ kind: string; name?: { value: string } }> };

/** The name a document's operation has: the first part of every query key, so updates can find all its variants. */
export function operationNameOf(document: OperationDocument): string {
  const name = document.definitions.find((d) => d.kind === 'OperationDefinition')?.name?.value;
  if (!name) throw new Error('Every GraphQL operation of the web client is named');
  return name;
}

/** `[operation name, variables]`: invalidating `[operation name]` reaches every variant of the query. */
export function graphqlKey<Variables>(document: TadaDocumentNode<unknown, Variables>, variables?: Variables): QueryKey {
  return [operationNameOf(document), variables ?? {}];
}

/** `[operation name]`: the prefix of every cached variant of the operation, for invalidateQueries. */
export function operationKey(document: OperationDocument): QueryKey {
  return [operationNameOf(document)];
}

/** A query's key and fetcher, for useQuery, fetchQuery and prefetching alike. */
export function graphqlQueryOptions<Result, Variables>(
  client: GraphqlClient,
  document: TadaDocumentNode<Result, Variables>,
  variables?: Variables,
) {
  return queryOptions<Result, ApiError>({
    queryKey: graphqlKey(document, variables),
    queryFn: ({ signal }) => client.request(document, variables, { signal }),
  });
}

export type GraphqlQueryOptions<Result> = Omit<UseQueryOptions<Result, ApiError>, 'queryKey' | 'queryFn'>;

/** A GraphQL query through TanStack Query: cached under `[operation name, variables]`. */
export function useGraphqlQuery<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  variables?: Variables,
  options: GraphqlQueryOptions<Result> = {},
): UseQueryResult<Result, ApiError> {
  const client = useApi();
  return useQuery({ ...graphqlQueryOptions(client, document, variables), ...options });
}

export type GraphqlMutationOptions<Result, Variables> = Omit<UseMutationOptions<Result, ApiError, Variables>, 'mutationFn'> & {
  request?: RequestOptions;
};

/**
 * A GraphQL mutation through TanStack Query. `mutateAsync` rejects with the ApiError for the form
 * to show; `onSuccess` is where the answer goes into the cache.
 */
export function useGraphqlMutation<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  { request, ...options }: GraphqlMutationOptions<Result, Variables> = {},
) {
  const client = useApi();
  return useMutation<Result, ApiError, Variables>({
    mutationKey: [operationNameOf(document)],
    mutationFn: (variables) => client.request(document, variables, request),
    ...options,
  });
}
