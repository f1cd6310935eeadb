const REFRESH_KEY = 'sharepool.refreshToken';

/** What register, login and refreshToken hand back. */
export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  /** seconds until the access token expires */
  expiresIn: number;
}

/**
 * Where the tokens live: the access token only in memory (a script injected later cannot read
 * it from storage), the refresh token in localStorage so a reload or a second tab stays signed in.
 */
export class TokenStore {
  private access?: { token: string; expiresAt: number };

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined = browserStorage(),
    private readonly now: () => number = Date.now,
  ) {}

  /** The access token while it is still valid (with a few seconds to spare). */
  get accessToken(): string | undefined {
    if (!this.access || this.access.expiresAt - 5_000 <= this.now()) return undefined;
    return this.access.token;
  }

  /** Read from storage every time: another tab may have rotated it. */
  get refreshToken(): string | null {
    return this.storage?.getItem(REFRESH_KEY) ?? null;
  }

  /** Milliseconds until the access token expires, or undefined without one. */
  get accessExpiresIn(): number | undefined {
    return this.access ? this.access.expiresAt - this.now() : undefined;
  }

  save(tokens: IssuedTokens): void {
    this.access = { token: tokens.accessToken, expiresAt: this.now() + tokens.expiresIn * 1000 };
    this.storage?.setItem(REFRESH_KEY, tokens.refreshToken);
  }

  clear(): void {
    this.access = undefined;
    this.storage?.removeItem(REFRESH_KEY);
  }
}

function browserStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    // Storage can be blocked (privacy settings); the session then lasts as long as the page.
    return undefined;
  }
}
