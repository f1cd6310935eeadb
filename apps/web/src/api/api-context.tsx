import { createContext, useContext, type ReactNode } from 'react';
import type { GraphqlClient } from './graphql-client';

const ApiContext = createContext<GraphqlClient | null>(null);

/** The GraphQL client (transport, tokens, session refresh) that the query cache fetches through. */
export function ApiProvider({ client, children }: { client: GraphqlClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): GraphqlClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi needs an <ApiProvider>');
  return client;
}
