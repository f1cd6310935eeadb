import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { ApiError } from '../api/api-error';
import { errorText } from '../api/error-text';
import type { SessionEndReason } from '../api/graphql-client';
import { graphqlKey, graphqlQueryOptions } from '../api/graphql-queries';
import type { ResultOf } from '../graphql/graphql';
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
  loggedOut?: boolean;
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

/** Where the signed-in member lives in the query cache: `invalidateQueries` on it reads the balance again. */
export const SESSION_VIEWER_KEY = graphqlKey(SESSION_VIEWER);

/** `loggedOut`: the member chose to leave (the login page then forgets where they were). */
type SessionState = { status: SessionStatus; notice?: string; problem?: string; loggedOut?: boolean };

/**
 * The signed-in member: restored from the session cookie on load, ended when the server refuses
 * it. The viewer itself is a query in the cache (never refetched on its own, only when asked),
 * and ending a session empties the whole cache, so nothing of one member is shown to the next.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useApi();
  const queryClient = useQueryClient();
  const [state, setState] = useState<SessionState>(() => ({ status: client.tokens.hasSession ? 'loading' : 'signed-out' }));
  const viewerQuery = useQuery({
    ...graphqlQueryOptions(client, SESSION_VIEWER),
    enabled: state.status === 'signed-in',
    staleTime: Infinity,
    retry: false,
  });

  /** Signed out: whatever the cache holds belonged to the member who was signed in. */
  const end = useCallback(
    (next: SessionState | ((previous: SessionState) => SessionState)) => {
      queryClient.clear();
      setState(next);
    },
    [queryClient],
  );

  const reload = useCallback(async () => {
    if (!client.tokens.hasSession && !client.tokens.accessToken) {
      end((s) => ({ status: 'signed-out', notice: s.notice }));
      return;
    }
    try {
      await queryClient.fetchQuery({ ...graphqlQueryOptions(client, SESSION_VIEWER), staleTime: 0, retry: false });
      setState({ status: 'signed-in' });
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'NETWORK' || error.code === 'INTERNAL_SERVER_ERROR')) {
        // A refresh in the background that fails keeps the page as it is; only a first load has nothing to show.
        setState((s) => (s.status === 'signed-in' ? s : { status: 'unreachable', problem: errorText(error) }));
      } else {
        client.signOut();
        end((s) => ({ status: 'signed-out', notice: s.notice ?? (error instanceof ApiError ? errorText(error) : undefined) }));
      }
    }
  }, [client, queryClient, end]);

  useEffect(() => {
    client.onSessionEnded = (reason) => end({ status: 'signed-out', notice: NOTICES[reason] });
    if (client.tokens.hasSession) void reload();
    // Another tab logged out: the shared session cookie is gone, so this tab is signed out too.
    const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(SESSION_CHANNEL);
    channel?.addEventListener('message', (event: MessageEvent) => {
      if (event.data === 'signed-out') {
        client.signOut();
        // This tab's own message comes back here too: a tab that logged out stays logged out as it chose.
        end((s) => (s.status === 'signed-out' ? s : { status: 'signed-out' }));
      }
    });
    return () => {
      client.onSessionEnded = undefined;
      channel?.close();
    };
  }, [client, reload, end]);

  const signIn = useCallback(
    (payload: AuthPayloadLike) => {
      client.signIn(payload);
      queryClient.setQueryData(SESSION_VIEWER_KEY, { viewer: payload.viewer });
      setState({ status: 'signed-in' });
    },
    [client, queryClient],
  );

  const signOut = useCallback(async () => {
    await client.logout();
    if (typeof BroadcastChannel !== 'undefined') {
      const channel = new BroadcastChannel(SESSION_CHANNEL);
      channel.postMessage('signed-out');
      channel.close();
    }
    end({ status: 'signed-out', loggedOut: true });
  }, [client, end]);

  const updateViewer = useCallback(
    (change: (viewer: SessionViewer) => SessionViewer) => {
      queryClient.setQueryData<ResultOf<typeof SESSION_VIEWER>>(SESSION_VIEWER_KEY, (data) =>
        data ? { viewer: change(data.viewer) } : data,
      );
    },
    [queryClient],
  );

  const viewer = state.status === 'signed-in' ? viewerQuery.data?.viewer : undefined;
  const value = useMemo(
    () => ({ ...state, viewer, signIn, signOut, reload, updateViewer }),
    [state, viewer, signIn, signOut, reload, updateViewer],
  );
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
