import {
  createBrowserHistory,
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
  type RouterHistory,
} from '@tanstack/react-router';
import type { SessionStatus } from '../session/session';
import { PageLoading } from '../ui/loading';
import { NotFoundPage } from './not-found-page';
import {
  localPath,
  MEMBER_STATUSES,
  oneOf,
  parseSearch,
  POST_STATUSES,
  ROLES,
  SHARE_STATUSES,
  stringifySearch,
  text,
} from './route-search';
import { MemberGate, RootLayout } from './session-gates';

/*
 * The route tree, in code (no generated file): the public pages under one guard, the signed-in
 * app under another. Each page is its own chunk, fetched when its route is first visited, so the
 * login page loads only what it needs. Search parameters are checked here and typed for the
 * pages (`getRouteApi('/member/shares').useSearch()`).
 */

/** What the guards decide by; the app gives the router the session and has it re-check when it changes. */
export interface RouterContext {
  session: { status: SessionStatus; loggedOut?: boolean };
}

const rootRoute = createRootRouteWithContext<RouterContext>()({ component: RootLayout });

/** Log in and sign up: a member who is signed in goes on to where they were going, or the feed. */
const publicRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'public',
  beforeLoad: ({ context, location }) => {
    if (context.session.status === 'signed-in')
      throw redirect({ href: localPath((location.search as { next?: unknown }).next) ?? '/feed', replace: true });
  },
});
/** Where to go once logged in (the page the visitor was sent away from). */
const nextSearch = (search: Record<string, unknown>): { next?: string } => ({ next: text(search.next) });
const loginRoute = createRoute({
  getParentRoute: () => publicRoute,
  path: 'login',
  validateSearch: nextSearch,
  component: lazyRouteComponent(() => import('../pages/auth/login-page')),
});
const signupRoute = createRoute({
  getParentRoute: () => publicRoute,
  path: 'signup',
  validateSearch: nextSearch,
  component: lazyRouteComponent(() => import('../pages/auth/signup-page')),
});

/** The signed-in app: a visitor without a session logs in first, and comes back to this address after. */
const memberRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'member',
  beforeLoad: ({ context, location }) => {
    if (context.session.status !== 'signed-out') return;
    const back = location.href === '/' || context.session.loggedOut ? undefined : location.href;
    throw redirect({ to: '/login', search: { next: back }, replace: true });
  },
  component: MemberGate,
});
const indexRoute = createRoute({
  getParentRoute: () => memberRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/feed', replace: true });
  },
});
const feedRoute = createRoute({
  getParentRoute: () => memberRoute,
  path: 'feed',
  validateSearch: (search): { niche?: string } => ({ niche: text(search.niche) }),
  component: lazyRouteComponent(() => import('../pages/feed/feed-page')),
});

const postsRoute = createRoute({
  getParentRoute: () => memberRoute,
  path: 'posts',
  validateSearch: (search): { status?: (typeof POST_STATUSES)[number] } => ({ status: oneOf(search.status, POST_STATUSES) }),
  component: lazyRouteComponent(() => import('../pages/posts/my-posts-page')),
});
const postAnalyticsRoute = createRoute({
  getParentRoute: () => memberRoute,
  path: 'posts/$id',
  component: lazyRouteComponent(() => import('../pages/posts/post-analytics-page')),
});

const sharesRoute = createRoute({
  getParentRoute: () => memberRoute,
  path: 'shares',
  validateSearch: (search): { status?: (typeof SHARE_STATUSES)[number] } => ({ status: oneOf(search.status, SHARE_STATUSES) }),
  component: lazyRouteComponent(() => import('../pages/shares/my-shares-page')),
});
const walletRoute = createRoute({
  getParentRoute: () => memberRoute,
  path: 'wallet',
  component: lazyRouteComponent(() => import('../pages/wallet/wallet-page')),
});
/** What a network's consent page sent the member back with, through the API's callback. */
const channelsRoute = createRoute({
  getParentRoute: () => memberRoute,
  path: 'channels',
  validateSearch: (search): { connected?: string; error?: string } => ({ connected: text(search.connected), error: text(search.error) }),
  component: lazyRouteComponent(() => import('../pages/channels/channels-page')),
});
const apiKeysRoute = createRoute({
  getParentRoute: () => memberRoute,
  path: 'api-keys',
  component: lazyRouteComponent(() => import('../pages/api-keys/api-keys-page')),
});
const profileRoute = createRoute({
  getParentRoute: () => memberRoute,
  path: 'profile',
  component: lazyRouteComponent(() => import('../pages/profile/profile-page')),
});
const moderationRoute = createRoute({
  getParentRoute: () => memberRoute,
  path: 'moderation',
  component: lazyRouteComponent(() => import('../pages/moderation/moderation-page')),
});
const adminIndexRoute = createRoute({
  getParentRoute: () => memberRoute,
  path: 'admin',
  beforeLoad: () => {
    throw redirect({ to: '/admin/$section', params: { section: 'members' }, replace: true });
  },
});
const adminRoute = createRoute({
  getParentRoute: () => memberRoute,
  path: 'admin/$section',
  validateSearch: (search): { q?: string; status?: (typeof MEMBER_STATUSES)[number]; role?: (typeof ROLES)[number]; handle?: string } => ({
    q: text(search.q),
    status: oneOf(search.status, MEMBER_STATUSES),
    role: oneOf(search.role, ROLES),
    handle: text(search.handle),
  }),
  component: lazyRouteComponent(() => import('../pages/admin/admin-page')),
});
const notFoundRoute = createRoute({ getParentRoute: () => memberRoute, path: '$', component: NotFoundPage });

const routeTree = rootRoute.addChildren([
  publicRoute.addChildren([loginRoute, signupRoute]),
  memberRoute.addChildren([
    indexRoute,
    feedRoute,
    postsRoute,
    postAnalyticsRoute,
    sharesRoute,
    walletRoute,
    channelsRoute,
    apiKeysRoute,
    profileRoute,
    moderationRoute,
    adminIndexRoute,
    adminRoute,
    notFoundRoute,
  ]),
]);

/** The app's router; tests pass a history of their own. */
export function createAppRouter(history: RouterHistory = createBrowserHistory()) {
  return createRouter({
    routeTree,
    history,
    context: { session: { status: 'loading' } },
    parseSearch,
    stringifySearch,
    defaultPendingComponent: PageLoading,
    // Page chunks start loading when a link is pointed at or focused.
    defaultPreload: 'intent',
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
