import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthService } from '@sharepool/auth';
import { AppConfig } from '@sharepool/config';
import { ANONYMOUS, AuthenticationError } from '@sharepool/kernel';
import { clearSessionCookies, SESSION_PATH, sessionCookieOf, setSessionCookies } from './session-cookies.js';

/**
 * The web client's session, kept in cookies (see session-cookies.ts): it signs
 * in with `login(input: { sessionCookie: true })`, then renews its access token
 * here and signs out here. Each request must carry the X-CSRF-Token header; the
 * answers have the GraphQL shape ({ data } or { errors }), and errors are
 * answered by the DomainErrorFilter. Partner apps use the refreshToken and
 * logout mutations with the token itself instead.
 */
@Controller(SESSION_PATH)
export class SessionController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  @Post('refresh')
  @HttpCode(200)
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { refreshToken, csrfToken } = sessionCookieOf(req);
    res.setHeader('cache-control', 'no-store');
    try {
      if (!refreshToken) throw new AuthenticationError('You are not signed in');
      const session = await this.auth.refresh(ANONYMOUS, refreshToken, { csrfToken });
      setSessionCookies(this.config, req, res, session);
      return { data: { accessToken: session.accessToken, expiresIn: session.expiresIn } };
    } catch (error) {
      // A session that is over is forgotten by the browser too.
      if (error instanceof AuthenticationError) clearSessionCookies(this.config, req, res);
      throw error;
    }
  }

  @Post('logout')
  @HttpCode(200)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { refreshToken, csrfToken } = sessionCookieOf(req);
    const ended = refreshToken ? await this.auth.logout(ANONYMOUS, refreshToken, { csrfToken }) : false;
    clearSessionCookies(this.config, req, res);
    return { data: { logout: ended } };
  }
}
