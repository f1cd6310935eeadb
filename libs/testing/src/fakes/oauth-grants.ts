import { createHash, randomBytes } from 'node:crypto';
import type { FakeReply, FakeRequest } from './fake-http-server.js';

/** An authorization a fake network's consent page gave: what its code stands for. */
export interface CodeGrant<A> {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly account: A;
  readonly scope: string;
  readonly codeChallenge: string | null;
  readonly codeChallengeMethod: string | null;
}

export interface IssuedTokens {
  readonly accessToken: string;
  readonly refreshToken: string | null;
  /** Seconds; null when the access token does not expire. */
  readonly expiresIn: number | null;
  readonly refreshExpiresIn: number | null;
}

export interface OAuthGrantsOptions {
  /** How long a code may wait for its exchange. */
  readonly codeLifetimeMs: number;
  /** Seconds an access token lives (read at each issue, so a test can change it); null: forever. */
  readonly accessLifetimeSeconds: () => number | null;
  /**
   * 'rotate': each refresh answers a new pair and the old refresh token is spent (X);
   * 'keep': the refresh token stays the same until it ends (LinkedIn); 'none': no refresh tokens.
   */
  readonly refresh: () => 'rotate' | 'keep' | 'none';
  readonly refreshLifetimeSeconds?: () => number | null;
}

interface Token<A> {
  readonly kind: 'access' | 'refresh';
  readonly account: A;
  readonly clientId: string;
  readonly scope: string;
  /** Every token issued from one consent (and its refreshes) belongs to one family. */
  readonly family: string;
  readonly expiresAt: number | null;
  spent: boolean;
}

/** What a token is worth now. */
export type TokenCheck<A> = { ok: true; account: A; scope: string } | { ok: false; why: 'unknown' | 'expired' | 'revoked' };

/**
 * The bookkeeping behind a fake network's OAuth endpoints: codes (single use,
 * short-lived, PKCE-bound), access and refresh tokens in families, refreshes
 * (a spent refresh token presented again ends its whole family, as X does),
 * revocations. The fakes wrap it in their network's own HTTP answers.
 */
export class OAuthGrants<A> {
  private readonly codes = new Map<string, CodeGrant<A> & { expiresAt: number; used: boolean; family: string }>();
  private readonly tokens = new Map<string, Token<A>>();
  private readonly revokedFamilies = new Set<string>();
  /** Refresh requests answered, in order (successful or not). */
  readonly refreshes: { token: string; outcome: 'refreshed' | 'refused' }[] = [];

  constructor(private readonly options: OAuthGrantsOptions) {}

  issueCode(grant: CodeGrant<A>): string {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, {
      ...grant,
      expiresAt: Date.now() + this.options.codeLifetimeMs,
      used: false,
      family: randomBytes(8).toString('hex'),
    });
    return code;
  }

  /**
   * Redeems a code once. A code presented a second time is refused and the
   * tokens issued for it end (RFC 6749 §4.1.2).
   */
  redeemCode(
    code: string,
    check: { clientId: string; redirectUri: string | undefined; codeVerifier: string | undefined },
  ): { ok: true; grant: CodeGrant<A>; tokens: IssuedTokens } | { ok: false; why: 'unknown' | 'used' | 'expired' | 'mismatch' | 'pkce' } {
    const grant = this.codes.get(code);
    if (!grant) return { ok: false, why: 'unknown' };
    if (grant.used) {
      this.revokedFamilies.add(grant.family);
      return { ok: false, why: 'used' };
    }
    grant.used = true;
    if (grant.expiresAt < Date.now()) return { ok: false, why: 'expired' };
    if (grant.clientId !== check.clientId || grant.redirectUri !== check.redirectUri) return { ok: false, why: 'mismatch' };
    if (grant.codeChallenge !== null && !pkceMatches(grant.codeChallenge, grant.codeChallengeMethod, check.codeVerifier)) {
      return { ok: false, why: 'pkce' };
    }
    return { ok: true, grant, tokens: this.issue(grant.account, grant.clientId, grant.scope, grant.family) };
  }

  /** A refresh; a spent or revoked refresh token is refused (a spent one ends its family). */
  refresh(refreshToken: string, clientId: string): { ok: true; tokens: IssuedTokens; account: A; scope: string } | { ok: false } {
    const token = this.tokens.get(refreshToken);
    const refuse = () => {
      this.refreshes.push({ token: refreshToken, outcome: 'refused' });
      return { ok: false as const };
    };
    if (!token || token.kind !== 'refresh' || token.clientId !== clientId) return refuse();
    if (token.spent) {
      // Someone replays a rotated refresh token: the network ends everything issued in that chain.
      this.revokedFamilies.add(token.family);
      return refuse();
    }
    if (this.revokedFamilies.has(token.family) || (token.expiresAt !== null && token.expiresAt < Date.now())) return refuse();
    const mode = this.options.refresh();
    if (mode === 'none') return refuse();
    let tokens: IssuedTokens;
    if (mode === 'rotate') {
      token.spent = true;
      tokens = this.issue(token.account, clientId, token.scope, token.family);
    } else {
      const access = this.newToken('access', token.account, clientId, token.scope, token.family, this.options.accessLifetimeSeconds());
      const left = token.expiresAt === null ? null : Math.max(0, Math.floor((token.expiresAt - Date.now()) / 1000));
      tokens = { accessToken: access, refreshToken: refreshToken, expiresIn: this.options.accessLifetimeSeconds(), refreshExpiresIn: left };
    }
    this.refreshes.push({ token: refreshToken, outcome: 'refreshed' });
    return { ok: true, tokens, account: token.account, scope: token.scope };
  }

  check(value: string | undefined): TokenCheck<A> | undefined {
    const token = value ? this.tokens.get(value) : undefined;
    if (!token || token.kind !== 'access') return undefined;
    if (this.revokedFamilies.has(token.family)) return { ok: false, why: 'revoked' };
    if (token.expiresAt !== null && token.expiresAt < Date.now()) return { ok: false, why: 'expired' };
    return { ok: true, account: token.account, scope: token.scope };
  }

  /** Revokes the family of a token (access or refresh), as a network's revoke endpoint does; false when unknown. */
  revoke(value: string): boolean {
    const token = this.tokens.get(value);
    if (!token) return false;
    this.revokedFamilies.add(token.family);
    return true;
  }

  /** The member removes the app in the network's settings: every token of the account ends. */
  revokeAccount(account: A): void {
    for (const token of this.tokens.values()) if (token.account === account) this.revokedFamilies.add(token.family);
  }

  /** Tokens of `account` that still work now, newest last. */
  liveAccessTokens(account: A): string[] {
    return [...this.tokens.entries()].filter(([value, t]) => t.account === account && this.check(value)?.ok).map(([value]) => value);
  }

  private issue(account: A, clientId: string, scope: string, family: string): IssuedTokens {
    const expiresIn = this.options.accessLifetimeSeconds();
    const accessToken = this.newToken('access', account, clientId, scope, family, expiresIn);
    if (this.options.refresh() === 'none') return { accessToken, refreshToken: null, expiresIn, refreshExpiresIn: null };
    const refreshExpiresIn = this.options.refreshLifetimeSeconds?.() ?? null;
    const refreshToken = this.newToken('refresh', account, clientId, scope, family, refreshExpiresIn);
    return { accessToken, refreshToken, expiresIn, refreshExpiresIn };
  }

  private newToken(kind: Token<A>['kind'], account: A, clientId: string, scope: string, family: string, seconds: number | null): string {
    const value = randomBytes(32).toString('base64url');
    this.tokens.set(value, {
      kind,
      account,
      clientId,
      scope,
      family,
      expiresAt: seconds === null ? null : Date.now() + seconds * 1000,
      spent: false,
    });
    return value;
  }
}

/** RFC 7636: S256 (any case, as X writes it) or plain. */
export function pkceMatches(challenge: string, method: string | null, verifier: string | undefined): boolean {
  if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  if ((method ?? 'plain').toLowerCase() === 's256') return createHash('sha256').update(verifier, 'ascii').digest('base64url') === challenge;
  return verifier === challenge;
}

/** A 302 to `uri` with `params` added to its query. */
export function redirectTo(uri: string, params: Record<string, string | undefined>): FakeReply {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store' } };
}

/** The request's form or JSON body, or its query, as strings. */
export function formOf(request: FakeRequest): Record<string, string> {
  const body = request.json();
  const fields: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) if (typeof value === 'string') fields[key] = value;
  }
  return fields;
}

/** HTTP Basic client credentials, if the request carries them. */
export function basicCredentials(request: FakeRequest): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(request.header('authorization') ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  if (at < 0) return undefined;
  return { clientId: decodeURIComponent(decoded.slice(0, at)), clientSecret: decodeURIComponent(decoded.slice(at + 1)) };
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export interface ConsentPage {
  /** The network's name, as the page title shows it. */
  readonly network: string;
  /** Who asks (the app's name). */
  readonly appName: string;
  /** The account that would allow it (the fake's signed-in account). */
  readonly accountName: string;
  readonly scopes: readonly string[];
  /** Where both buttons post. */
  readonly action: string;
  /** The authorization request's parameters, carried by both forms. */
  readonly fields: Readonly<Record<string, string>>;
  readonly allowLabel: string;
  readonly denyLabel: string;
}

/** A network's consent page: who asks for what, and two buttons posting the request back with the answer. */
export function consentPage(page: ConsentPage): FakeReply {
  const hidden = Object.entries(page.fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const form = (decision: 'allow' | 'deny', label: string) =>
    `<form method="post" action="${escapeHtml(page.action)}">${hidden}<input type="hidden" name="decision" value="${decision}"><button type="submit">${escapeHtml(label)}</button></form>`;
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escapeHtml(page.network)}: authorize ${escapeHtml(page.appName)}</title></head>
<body><main>
<h1>${escapeHtml(page.appName)} wants to access your ${escapeHtml(page.network)} account</h1>
<p>Signed in as <strong>${escapeHtml(page.accountName)}</strong></p>
<ul aria-label="Permissions">${page.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('')}</ul>
${form('allow', page.allowLabel)}
${form('deny', page.denyLabel)}
</main></body></html>`;
  return { status: 200, body, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } };
}

/** A network's plain error page (what it shows when the request cannot even be sent back). */
export function errorPage(status: number, network: string, message: string): FakeReply {
  return {
    status,
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escapeHtml(network)}</title></head><body><h1>${escapeHtml(message)}</h1></body></html>`,
    headers: { 'content-type': 'text/html; charset=utf-8' },
  };
}

/**
 * A member on a fake network's consent page: reads the page, presses Allow or
 * Deny (the page's own form), and returns where the network sends the browser.
 */
export async function answerConsentPage(authorizeUrl: string, decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`the consent page answered ${page.status}: ${html.slice(0, 300)}`);
  const form = [...html.matchAll(/<form method="post" action="([^"]*)">(.*?)<\/form>/gs)].find((match) =>
    match[2]!.includes(`name="decision" value="${decision}"`),
  );
  if (!form) throw new Error(`no ${decision} button on the consent page`);
  const fields = new URLSearchParams();
  for (const input of form[2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields.append(unescapeHtml(input[1]!), unescapeHtml(input[2]!));
  }
  const answer = await fetch(new URL(unescapeHtml(form[1]!), authorizeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`the consent answer was ${answer.status}, not a redirect`);
  return location;
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
