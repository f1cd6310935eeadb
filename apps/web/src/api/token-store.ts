/** The cookie that tells the page a session exists and holds its CSRF token (the refresh token is HttpOnly). */
export const CSRF_COOKIE = 'sp_csrf';

/** What register, login and the session refresh hand back to the page. */
export interface IssuedTokens {
  accessToken: string;
  /** seconds until the access token expires */
  expiresIn: number;
}

/**
 * Where the tokens live: the access token only in memory. The refresh token is in an HttpOnly
 * cookie no script can read, sent only to /auth/session; the page knows a session exists from its
 * CSRF cookie, which it echoes on refresh and logout.
 */
export class TokenStore {
  private access?: { token: string; expiresAt: number };

  constructor(
    private readonly readCookies: () => string = browserCookies,
    private readonly now: () => number = Date.now,
  ) {}

  /** The access token while it is still valid (with a few seconds to spare). */
  get accessToken(): string | undefined {
    if (!this.access || this.access.expiresAt - 5_000 <= this.now()) return undefined;
    return this.access.token;
  }

  /** The session's CSRF token; read every time, since another tab may have signed in or out. */
  get csrfToken(): string | undefined {
    for (const part of this.readCookies().split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === CSRF_COOKIE && value.length) return decodeURIComponent(value.join('='));
    }
    return undefined;
  }

  /** Whether the browser holds a session that a refresh could renew. */
  get hasSession(): boolean {
    return this.csrfToken !== undefined;
  }

  /** Milliseconds until the access token expires, or undefined without one. */
  get accessExpiresIn(): number | undefined {
    return this.access ? this.access.expiresAt - this.now() : undefined;
  }

  save(tokens: IssuedTokens): void {
    this.access = { token: tokens.accessToken, expiresAt: this.now() + tokens.expiresIn * 1000 };
  }

  clear(): void {
    this.access = undefined;
  }
}

function browserCookies(): string {
  return typeof document === 'undefined' ? '' : document.cookie;
}
