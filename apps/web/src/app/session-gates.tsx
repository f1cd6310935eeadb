import { Outlet } from '@tanstack/react-router';
import { useSession } from '../session/session';
import { AppShell } from './app-shell';
import { NavigationCounter } from './navigation';

/*
 * Who may see what is decided before a page loads, by the routes' `beforeLoad` (routes.tsx), from
 * the session the router is given as context. These components only frame what was let through.
 */

/** Every page: nothing is routed until the session is known (restored from its cookie, or absent). */
export function RootLayout() {
  const session = useSession();
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
  return (
    <NavigationCounter>
      <Outlet />
    </NavigationCounter>
  );
}

/** The signed-in app in its frame; blank for the moment a session that just ended takes to reach the login page. */
export function MemberGate() {
  const session = useSession();
  if (session.status !== 'signed-in' || !session.viewer) return null;
  return (
    <AppShell>
      <Outlet />
    </AppShell>
  );
}
