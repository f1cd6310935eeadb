import { lazy, Suspense, useMemo } from 'react';
import { ApiProvider } from '../api/api-context';
import type { GraphqlClient } from '../api/graphql-client';
import { Redirect, RouterProvider, Routes, useLocation, type RouteDefinition } from '../router/router';
import { SessionProvider, useSession } from '../session/session';
import { ConfirmProvider } from '../ui/confirm';
import { PageLoading } from '../ui/loading';
import { ToastProvider } from '../ui/toast';
import { AppShell } from './app-shell';
import { NotFoundPage } from './not-found-page';

// One chunk per page: the login page loads only what it needs.
const LoginPage = lazy(() => import('../pages/auth/login-page'));
const SignupPage = lazy(() => import('../pages/auth/signup-page'));
const FeedPage = lazy(() => import('../pages/feed/feed-page'));
const MyPostsPage = lazy(() => import('../pages/posts/my-posts-page'));
const PostAnalyticsPage = lazy(() => import('../pages/posts/post-analytics-page'));
const MySharesPage = lazy(() => import('../pages/shares/my-shares-page'));
const WalletPage = lazy(() => import('../pages/wallet/wallet-page'));
const ChannelsPage = lazy(() => import('../pages/channels/channels-page'));
const ApiKeysPage = lazy(() => import('../pages/api-keys/api-keys-page'));
const ProfilePage = lazy(() => import('../pages/profile/profile-page'));
const ModerationPage = lazy(() => import('../pages/moderation/moderation-page'));
const AdminPage = lazy(() => import('../pages/admin/admin-page'));

const MEMBER_ROUTES: RouteDefinition[] = [
  { path: '/', element: <Redirect to="/feed" /> },
  { path: '/feed', element: <FeedPage /> },
  { path: '/posts', element: <MyPostsPage /> },
  { path: '/posts/:id', element: <PostAnalyticsPage /> },
  { path: '/shares', element: <MySharesPage /> },
  { path: '/wallet', element: <WalletPage /> },
  { path: '/channels', element: <ChannelsPage /> },
  { path: '/api-keys', element: <ApiKeysPage /> },
  { path: '/profile', element: <ProfilePage /> },
  { path: '/moderation', element: <ModerationPage /> },
  { path: '/admin', element: <Redirect to="/admin/members" /> },
  { path: '/admin/:section', element: <AdminPage /> },
];

const PUBLIC_PATHS = new Set(['/login', '/signup']);

/** The whole client: API, router, session, toasts and confirmations around the pages. */
export function App({ client }: { client: GraphqlClient }) {
  return (
    <ApiProvider client={client}>
      <RouterProvider>
        <SessionProvider>
          <ToastProvider>
            <ConfirmProvider>
              <AppRoutes />
            </ConfirmProvider>
          </ToastProvider>
        </SessionProvider>
      </RouterProvider>
    </ApiProvider>
  );
}

function AppRoutes() {
  const session = useSession();
  const location = useLocation();
  const next = useMemo(() => new URLSearchParams(location.search).get('next'), [location.search]);

  if (session.status === 'loading') {
    return (
      <div className="splash" role="status">
        <span className="splash__logo" aria-hidden="true" />
        Signing you in…
      </div>
    );
  }
  if (session.status === 'unreachable') {
    return (
      <main className="splash">
        <h1>Sharepool is out of reach</h1>
        <p>{session.problem}</p>
        <button type="button" className="button button--primary" onClick={() => void session.reload()}>
          Try again
        </button>
      </main>
    );
  }

  if (PUBLIC_PATHS.has(location.pathname)) {
    // Only a local path is followed after login, never another site.
    if (session.status === 'signed-in') return <Redirect to={next && next.startsWith('/') && !next.startsWith('//') ? next : '/feed'} />;
    return <Suspense fallback={<PageLoading />}>{location.pathname === '/login' ? <LoginPage /> : <SignupPage />}</Suspense>;
  }

  if (session.status === 'signed-out') {
    const here = location.pathname + location.search;
    return <Redirect to={here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`} />;
  }

  return (
    <AppShell>
      <Suspense fallback={<PageLoading />}>
        <Routes routes={MEMBER_ROUTES} fallback={<NotFoundPage />} />
      </Suspense>
    </AppShell>
  );
}
