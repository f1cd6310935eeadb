import type { Request, Response } from 'express';
import { REFRESH_TOKEN_TTL_DAYS, type Session } from '@sharepool/auth';
import type { AppConfig } from '@sharepool/config';
import { cookieOf, secureCookies } from '../http/cookie-security.js';

/** Where the web client's session cookie is sent: the refresh and logout routes only. */
export const SESSION_PATH = '/auth/session';
/** The refresh token, HttpOnly: no script on the page can read it. */
export const REFRESH_COOKIE = 'sp_refresh';
/** The session's CSRF token, readable by the page, which echoes it in the X-CSRF-Token header. */
export const CSRF_COOKIE = 'sp_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const MAX_AGE_MS = REFRESH_TOKEN_TTL_DAYS * 24 * 60 * 60 * 1000;

/** Keeps the web client's session in cookies: the refresh token where scripts cannot reach it. */
export function setSessionCookies(config: AppConfig, req: Request, res: Response, session: Session): void {
  const secure = secureCookies(config, req);
  res.cookie(REFRESH_COOKIE, session.refreshToken, { httpOnly: true, secure, sameSite: 'strict', path: SESSION_PATH, maxAge: MAX_AGE_MS });
  res.cookie(CSRF_COOKIE, session.csrfToken, { httpOnly: false, secure, sameSite: 'strict', path: '/', maxAge: MAX_AGE_MS });
}

export function clearSessionCookies(config: AppConfig, req: Request, res: Response): void {
  const secure = secureCookies(config, req);
  res.clearCookie(REFRESH_COOKIE, { httpOnly: true, secure, sameSite: 'strict', path: SESSION_PATH });
  res.clearCookie(CSRF_COOKIE, { httpOnly: false, secure, sameSite: 'strict', path: '/' });
}

export function sessionCookieOf(req: Request): { refreshToken: string | null; csrfToken: string } {
  return { refreshToken: cookieOf(req, REFRESH_COOKIE), csrfToken: req.header(CSRF_HEADER) ?? '' };
}
