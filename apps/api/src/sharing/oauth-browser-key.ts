import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { CONNECTION_MINUTES, OAUTH_CALLBACK_PATH } from '@sharepool/channels';
import type { AppConfig } from '@sharepool/config';
import { cookieOf, secureCookies } from '../http/cookie-security.js';

/**
 * The browser's key for channel connections (see OAuthConnectionsService.start):
 * an HttpOnly cookie sent only to the OAuth callback. SameSite=Lax, because the
 * network sends the member back with a top-level navigation from its own site.
 */
const COOKIE = 'sp_connect';
const KEY = /^[A-Za-z0-9_-]{43}$/;

/** The key this browser already holds, or null. */
export function browserKeyOf(req: Request): string | null {
  const value = cookieOf(req, COOKIE);
  return value && KEY.test(value) ? value : null;
}

/** The browser's key, new when it has none (or an unreadable one). */
export function browserKeyFor(req: Request): string {
  return browserKeyOf(req) ?? randomBytes(32).toString('base64url');
}

/** Keeps `key` in the browser for as long as a connection may take. */
export function keepBrowserKey(config: AppConfig, req: Request, res: Response, key: string): void {
  res.cookie(COOKIE, key, {
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(config, req),
    path: OAUTH_CALLBACK_PATH,
    maxAge: CONNECTION_MINUTES * 60_000,
  });
}
