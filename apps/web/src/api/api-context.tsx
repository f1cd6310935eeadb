import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { TadaDocumentNode } from 'gql.tada';
import { ApiError } from './api-error';
import type { GraphqlClient } from './graphql-client';

const ApiContext = createContext<GraphqlClient | null>(null);

export function ApiProvider({ client, children }: { client: GraphqlClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): GraphqlClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi needs an <ApiProvider>');
  return client;
}

export interface QueryState<Result> {
  data?: Result;
  error?: unknown;
  /** true until the first answer (later refetches keep showing the last data) */
  loading: boolean;
  refetch: () => Promise<void>;
  /** replaces the data in place, e.g. after a mutation returned the new state */
  update: (change: (data: Result) => Result) => void;
}

export interface QueryOptions<Result> {
  skip?: boolean;
  /** milliseconds between refetches while it returns a number; undefined stops polling */
  poll?: (data: Result) => number | undefined;
}

/**
 * Runs a query when the component mounts and whenever its variables change. Answers to
 * superseded requests are dropped, and polling pauses while the page is hidden.
 */
export function useQuery<Result, Variables>(
  query: TadaDocumentNode<Result, Variables>,
  variables?: Variables,
  options: QueryOptions<Result> = {},
): QueryState<Result> {
  const client = useApi();
  const key = JSON.stringify(variables ?? {});
  const [state, setState] = useState<{ key: string; data?: Result; error?: unknown; settled: boolean }>({ key, settled: false });
  /** Numbers each request, so that only the newest one's answer is kept. */
  const latest = useRef(0);

  const run = useCallback(async () => {
    const id = ++latest.current;
    try {
      // The variables are what the key says: they travel as JSON, so nothing is lost by reading them back from it.
      const data = await client.request(query, JSON.parse(key) as Variables);
      if (id === latest.current) setState({ key, data, settled: true });
    } catch (error) {
      if (id === latest.current)
        setState((previous) => ({ key, data: previous.key === key ? previous.data : undefined, error, settled: true }));
    }
  }, [client, query, key]);

  useEffect(() => {
    if (options.skip) return;
    void run();
    // The counter, not a DOM node: the cleanup supersedes whatever request is newest by then.
    const requests = latest;
    return () => {
      requests.current++;
    };
  }, [run, options.skip]);

  const interval = state.data !== undefined && options.poll ? options.poll(state.data) : undefined;
  useEffect(() => {
    if (interval === undefined || options.skip) return;
    const timer = setInterval(() => {
      if (!globalThis.document?.hidden) void run();
    }, interval);
    return () => clearInterval(timer);
  }, [interval, run, options.skip]);

  const current = state.key === key ? state : { key, settled: false, data: undefined, error: undefined };
  return {
    data: current.data,
    error: current.error,
    loading: !options.skip && !current.settled,
    refetch: run,
    update: useCallback((change: (data: Result) => Result) => {
      setState((previous) => (previous.data === undefined ? previous : { ...previous, data: change(previous.data) }));
    }, []),
  };
}

/** A mutation with its pending state; the promise rejects with the ApiError for the form to show. */
export function useMutation<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
): [(variables: Variables) => Promise<Result>, { pending: boolean }] {
  const client = useApi();
  const [pending, setPending] = useState(false);
  const run = useCallback(
    async (variables: Variables) => {
      setPending(true);
      try {
        return await client.request(document, variables);
      } finally {
        setPending(false);
      }
    },
    [client, document],
  );
  return [run, { pending }];
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
