import { QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import { useState, type ReactNode } from 'react';
import { ApiProvider } from '../api/api-context';
import { createQueryClient } from '../api/query-client';
import { App } from '../app/app';
import { SessionProvider, useSession } from '../session/session';
import type { SessionViewer } from '../session/session-viewer';
import { ConfirmProvider } from '../ui/confirm';
import { ToastProvider } from '../ui/toast';
import { type FakeApi, giveSessionCookie } from './fake-api';

export function viewerFixture(overrides: Partial<SessionViewer['member']> = {}, creditBalance = 120): SessionViewer {
  return {
    email: 'ada@example.com',
    creditBalance,
    member: {
      id: 'm1',
      handle: 'ada',
      displayName: 'Ada Lovelace',
      role: 'MEMBER',
      status: 'ACTIVE',
      niches: [{ id: 'n1', slug: 'growth', name: 'Growth' }],
      ...overrides,
    },
  };
}

/** A router of its own around one component, so its links work; it shows the component at every address. */
function ComponentRouter({ children }: { children: ReactNode }) {
  const [router] = useState(() =>
    createRouter({
      routeTree: createRootRoute({ component: () => children }),
      history: createMemoryHistory({ initialEntries: [window.location.pathname + window.location.search] }),
    }),
  );
  return <RouterProvider router={router} />;
}

function Providers({ api, children }: { api: FakeApi; children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <ApiProvider client={api.client}>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <ToastProvider>
            <ConfirmProvider>
              <ComponentRouter>{children}</ComponentRouter>
            </ConfirmProvider>
          </ToastProvider>
        </SessionProvider>
      </QueryClientProvider>
    </ApiProvider>
  );
}

function WhenSignedIn({ children }: { children: ReactNode }) {
  const { status } = useSession();
  return status === 'signed-in' ? <>{children}</> : null;
}

/** Renders one component with every provider, signed out. */
export function renderSignedOut(ui: ReactNode, api: FakeApi) {
  return render(<Providers api={api}>{ui}</Providers>);
}

/** The answers restoring a session needs: the session cookie is refreshed, then the viewer read. */
export function restoreSession(api: FakeApi, viewer: SessionViewer = viewerFixture()): FakeApi {
  giveSessionCookie();
  return api.on('SessionRefresh', { data: { accessToken: 'access-1', expiresIn: 900 } }).on('SessionViewer', { data: { viewer } });
}

/** Renders one component for a signed-in member: the session is restored from its cookie, as on a reload. */
export function renderSignedIn(ui: ReactNode, api: FakeApi, viewer: SessionViewer = viewerFixture()) {
  restoreSession(api, viewer);
  return render(
    <Providers api={api}>
      <WhenSignedIn>{ui}</WhenSignedIn>
    </Providers>,
  );
}

/**
 * Opens the whole app at `path` for a signed-in member, as a reload of that address does: the
 * session restored from its cookie, the page routed and shown in the app's frame.
 */
export function renderPage(path: string, api: FakeApi, viewer: SessionViewer = viewerFixture()) {
  restoreSession(api, viewer);
  window.history.replaceState(null, '', path);
  return render(<App client={api.client} />);
}
