import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { RouterProvider, type RouterHistory } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { ApiProvider } from '../api/api-context';
import type { GraphqlClient } from '../api/graphql-client';
import { createQueryClient } from '../api/query-client';
import { SessionProvider, useSession } from '../session/session';
import { ConfirmProvider } from '../ui/confirm';
import { ToastProvider } from '../ui/toast';
import { createAppRouter } from './routes';

export interface AppProps {
  client: GraphqlClient;
  queryClient?: QueryClient;
  /** the browser's history unless a test gives another */
  history?: RouterHistory;
}

/** The whole client: API, query cache, session, toasts and confirmations around the routed pages. */
export function App({ client, queryClient: givenQueryClient, history }: AppProps) {
  const [queryClient] = useState(() => givenQueryClient ?? createQueryClient());
  const [router] = useState(() => createAppRouter(history));
  return (
    <ApiProvider client={client}>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <ToastProvider>
            <ConfirmProvider>
              <SessionRoutes router={router} />
            </ConfirmProvider>
          </ToastProvider>
        </SessionProvider>
      </QueryClientProvider>
    </ApiProvider>
  );
}

/** The routed pages, guarded by the session: a sign-in or sign-out has the router check the current address again. */
function SessionRoutes({ router }: { router: ReturnType<typeof createAppRouter> }) {
  const { status, loggedOut } = useSession();
  const context = useMemo(() => ({ session: { status, loggedOut } }), [status, loggedOut]);
  useEffect(() => {
    void router.invalidate();
  }, [router, context]);
  return <RouterProvider router={router} context={context} />;
}
