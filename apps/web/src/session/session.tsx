import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { ApiError } from '../api/api-error';
import { errorText } from '../api/error-text';
import type { SessionEndReason } from '../api/graphql-client';
import { SESSION_VIEWER, type AuthPayloadLike, type SessionViewer } from './session-viewer';

/** Tabs of one browser tell each other that the member logged out. */
const SESSION_CHANNEL = 'sharepool-session';

export type SessionStatus = 'loading' | 'signed-in' | 'signed-out' | 'unreachable';

interface SessionValue {
  status: SessionStatus;
  viewer?: SessionViewer;
  /** why the member is looking at the login page: their session ended, or the account was suspended */
  notice?: string;
  problem?: string;
  signIn: (payload: AuthPayloadLike) => void;
  signOut: () => Promise<void>;
  reload: () => Promise<void>;
  updateViewer: (change: (viewer: SessionViewer) => SessionViewer) => void;
}

const SessionContext = createContext<SessionValue | null>(null);

const NOTICES: Record<SessionEndReason, string> = {
  expired: 'Your session has ended. Please log in again.',
  suspended: 'Your account is suspended. Contact the moderators if you think this is a mistake.',
};

/** The signed-in member: restored from the session cookie on load, ended when the server refuses it. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useApi();
  const [state, setState] = useState<{ status: SessionStatus; viewer?: SessionViewer; notice?: string; problem?: string }>(() => ({
    status: client.tokens.hasSession ? 'loading' : 'signed-out',
  }));

  const reload = useCallback(async () => {
    if (!client.tokens.hasSession && !client.tokens.accessToken) {
      setState((s) => ({ status: 'signed-out', notice: s.notice }));
      return;
    }
    try {
      const data = await client.request(SESSION_VIEWER);
      setState({ status: 'signed-in', viewer: data.viewer });
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'NETWORK' || error.code === 'INTERNAL_SERVER_ERROR')) {
        // A refresh in the background that fails keeps the page as it is; only a first load has nothing to show.
        setState((s) => (s.status === 'signed-in' ? s : { status: 'unreachable', problem: errorText(error) }));
      } else {
        client.signOut();
        setState((s) => ({ status: 'signed-out', notice: s.notice ?? (error instanceof ApiError ? errorText(error) : undefined) }));
      }
    }
  }, [client]);

  useEffect(() => {
    client.onSessionEnded = (reason) => setState({ status: 'signed-out', notice: NOTICES[reason] });
    if (client.tokens.hasSession) void reload();
    // Another tab logged out: the shared session cookie is gone, so this tab is signed out too.
    const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(SESSION_CHANNEL);
    channel?.addEventListener('message', (event: MessageEvent) => {
      if (event.data === 'signed-out') {
        client.signOut();
        setState({ status: 'signed-out' });
      }
    });
    return () => {
      client.onSessionEnded = undefined;
      channel?.close();
    };
  }, [client, reload]);

  const signIn = useCallback(
    (payload: AuthPayloadLike) => {
      client.signIn(payload);
      setState({ status: 'signed-in', viewer: payload.viewer });
    },
    [client],
  );

  const signOut = useCallback(async () => {
    await client.logout();
    if (typeof BroadcastChannel !== 'undefined') {
      const channel = new BroadcastChannel(SESSION_CHANNEL);
      channel.postMessage('signed-out');
      channel.close();
    }
    setState({ status: 'signed-out' });
  }, [client]);

  const updateViewer = useCallback((change: (viewer: SessionViewer) => SessionViewer) => {
    setState((s) => (s.viewer ? { ...s, viewer: change(s.viewer) } : s));
  }, []);

  const value = useMemo(() => ({ ...state, signIn, signOut, reload, updateViewer }), [state, signIn, signOut, reload, updateViewer]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a <SessionProvider>');
  return session;
}

/** The signed-in viewer; only for pages behind the sign-in guard. */
export function useViewer(): SessionViewer {
  const { viewer } = useSession();
  if (!viewer) throw new Error('useViewer is for signed-in pages');
  return viewer;
}
