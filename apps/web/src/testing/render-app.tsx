import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { ApiProvider } from '../api/api-context';
import { RouterProvider } from '../router/router';
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

function Providers({ api, children }: { api: FakeApi; children: ReactNode }) {
  return (
    <ApiProvider client={api.client}>
      <RouterProvider>
        <SessionProvider>
          <ToastProvider>
            <ConfirmProvider>{children}</ConfirmProvider>
          </ToastProvider>
        </SessionProvider>
      </RouterProvider>
    </ApiProvider>
  );
}

function WhenSignedIn({ children }: { children: ReactNode }) {
  const { status } = useSession();
  return status === 'signed-in' ? <>{children}</> : null;
}

/** Renders UI with every provider, signed out. */
export function renderSignedOut(ui: ReactNode, api: FakeApi) {
  return render(<Providers api={api}>{ui}</Providers>);
}

/** Renders UI for a signed-in member: the session is restored from its cookie, as on a reload. */
export function renderSignedIn(ui: ReactNode, api: FakeApi, viewer: SessionViewer = viewerFixture()) {
  giveSessionCookie();
  api.on('SessionRefresh', { data: { accessToken: 'access-1', expiresIn: 900 } }).on('SessionViewer', { data: { viewer } });
  return render(
    <Providers api={api}>
      <WhenSignedIn>{ui}</WhenSignedIn>
    </Providers>,
  );
}
