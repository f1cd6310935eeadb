import { print } from 'graphql';
import type { TadaDocumentNode } from 'gql.tada';
import { ApiError, codeOf, type GraphqlErrorItem } from './api-error';
import { isSuspendedError } from './error-text';
import { type IssuedTokens, TokenStore } from './token-store';

/** The session's own routes: the refresh token travels there only, in its HttpOnly cookie. */
export const SESSION_REFRESH_PATH = '/auth/session/refresh';
export const SESSION_LOGOUT_PATH = '/auth/session/logout';

/** Why a session ended without the member logging out. */
export type SessionEndReason = 'expired' | 'suspended';

export interface GraphqlClientOptions {
  endpoint?: string;
  /** where the session routes live (default: the page's own origin) */
  sessionBase?: string;
  fetch?: typeof fetch;
  tokens?: TokenStore;
  /** called when the refresh token is refused: the member has to log in again */
  onSessionEnded?: (reason: SessionEndReason) => void;
}

export interface RequestOptions {
  /** send the access token (default); off for register, login and refresh */
  auth?: boolean;
  signal?: AbortSignal;
}

interface GraphqlResponse<T> {
  data?: T | null;
  errors?: GraphqlErrorItem[];
}

const printed = new WeakMap<object, string>();

/**
 * A small GraphQL-over-HTTP client. It sends the access token as a Bearer token; when the
 * server answers UNAUTHENTICATED it renews the session once (the refresh token is an HttpOnly
 * cookie sent to /auth/session/refresh with the CSRF header) and retries, and when the session
 * is refused it ends it. Always JSON, which the server's CSRF prevention requires.
 */
export class GraphqlClient {
  readonly tokens: TokenStore;
  onSessionEnded?: (reason: SessionEndReason) => void;
  private readonly endpoint: string;
  private readonly sessionBase: string;
  private readonly fetchImpl: typeof fetch;
  private refreshing?: Promise<boolean>;
  private refreshTimer?: ReturnType<typeof setTimeout>;

  constructor(options: GraphqlClientOptions = {}) {
    this.endpoint = options.endpoint ?? '/graphql';
    this.sessionBase = options.sessionBase ?? '';
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.tokens = options.tokens ?? new TokenStore();
    this.onSessionEnded = options.onSessionEnded;
  }

  async request<Result, Variables>(
    document: TadaDocumentNode<Result, Variables>,
    variables?: Variables,
    options: RequestOptions = {},
  ): Promise<Result> {
    const auth = options.auth ?? true;
    if (auth && !this.tokens.accessToken && this.tokens.hasSession) await this.refresh();
    let response = await this.send(document, variables, auth, options.signal);
    if (auth && response.errors?.some((e) => codeOf(e) === 'UNAUTHENTICATED') && this.tokens.hasSession) {
      if (await this.refresh()) response = await this.send(document, variables, auth, options.signal);
    }
    if (response.errors?.length) throw new ApiError(response.errors);
    if (response.data == null) throw new ApiError([{ message: 'Empty response', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    return response.data;
  }

  /** Keeps the access token the server issued and renews it silently shortly before it expires. */
  signIn(tokens: IssuedTokens): void {
    this.tokens.save(tokens);
    this.scheduleRefresh();
  }

  /** Forgets the access token (the session cookie is the server's to end: see logout). */
  signOut(): void {
    clearTimeout(this.refreshTimer);
    this.tokens.clear();
  }

  /** Ends the session on the server (its cookies are cleared there), then here. Never throws. */
  async logout(): Promise<void> {
    const csrf = this.tokens.csrfToken;
    try {
      if (csrf) await this.post(SESSION_LOGOUT_PATH, csrf);
    } catch {
      // Offline: the cookie stays until the server sees it again; this page is signed out anyway.
    }
    this.signOut();
  }

  /**
   * Renews the session: true when a new access token is in hand, false when the server refused
   * (the session is over). A network failure throws and keeps the session, so being offline never
   * logs anyone out. One refresh at a time, across tabs where the browser allows.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.withRefreshLock(() => this.rotate()).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async rotate(): Promise<boolean> {
    // Read inside the lock: another tab may have signed out meanwhile.
    const csrf = this.tokens.csrfToken;
    if (!csrf) return false;
    const response = await this.post<IssuedTokens>(SESSION_REFRESH_PATH, csrf);
    const tokens = response.data;
    if (tokens) {
      this.signIn(tokens);
      return true;
    }
    const error = response.errors?.[0];
    const code = codeOf(error);
    if (code === 'NETWORK' || code === 'INTERNAL_SERVER_ERROR' || code === 'RATE_LIMITED') throw new ApiError(response.errors ?? []);
    this.signOut();
    this.onSessionEnded?.(isSuspendedError(error) ? 'suspended' : 'expired');
    return false;
  }

  private withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    return locks ? locks.request('sharepool-token-refresh', task) : task();
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    const expiresIn = this.tokens.accessExpiresIn;
    if (expiresIn === undefined) return;
    const delay = Math.max(5_000, expiresIn - 60_000);
    // Browsers cap timers at 2^31 ms; a token that long-lived is refreshed on demand instead.
    if (delay > 2_000_000_000) return;
    this.refreshTimer = setTimeout(() => {
      this.refresh().catch(() => undefined);
    }, delay);
  }

  /** A POST to a session route: the cookie goes with it, the CSRF token in its header. */
  private async post<Result>(path: string, csrf: string): Promise<GraphqlResponse<Result>> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.sessionBase}${path}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'x-csrf-token': csrf, accept: 'application/json' },
      });
    } catch {
      return { errors: ApiError.network().errors.slice() };
    }
    return this.answerOf<Result>(response);
  }

  private async send<Result, Variables>(
    document: TadaDocumentNode<Result, Variables>,
    variables: Variables | undefined,
    auth: boolean,
    signal?: AbortSignal,
  ): Promise<GraphqlResponse<Result>> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    };
    const token = auth ? this.tokens.accessToken : undefined;
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await this.fetchImpl(this.endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: printDocument(document), variables: variables ?? {}, operationName: operationName(document) }),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      return { errors: ApiError.network().errors.slice() };
    }
    return this.answerOf<Result>(response);
  }

  private async answerOf<Result>(response: Response): Promise<GraphqlResponse<Result>> {
    let body: GraphqlResponse<Result> | undefined;
    try {
      body = (await response.json()) as GraphqlResponse<Result>;
    } catch {
      body = undefined;
    }
    if (body && (body.data !== undefined || body.errors?.length)) return body;
    return { errors: [httpError(response)] };
  }
}

/** An answer without a GraphQL body (a proxy error page, a crash): described by its HTTP status. */
function httpError(response: Response): GraphqlErrorItem {
  const status = response.status;
  if (status === 401) return { message: 'Unauthorized', extensions: { code: 'UNAUTHENTICATED' } };
  if (status === 403) return { message: 'Forbidden', extensions: { code: 'FORBIDDEN' } };
  if (status === 429) {
    const retryAfter = Number(response.headers.get('retry-after'));
    return { message: 'Too many requests', extensions: { code: 'RATE_LIMITED', ...(retryAfter > 0 ? { retryAfter } : {}) } };
  }
  if (status === 502 || status === 503 || status === 504) return { message: 'Service unavailable', extensions: { code: 'NETWORK' } };
  const requestId = response.headers.get('x-request-id') ?? undefined;
  return { message: `HTTP ${status}`, extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) } };
}

function printDocument(document: object): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document as Parameters<typeof print>[0]);
    printed.set(document, text);
  }
  return text;
}

function operationName(document: { definitions: ReadonlyArray<{ kind: string; name?: { value: string } }> }): string | undefined {
  return document.definitions.find((d) => d.kind === 'OperationDefinition')?.name?.value;
}
