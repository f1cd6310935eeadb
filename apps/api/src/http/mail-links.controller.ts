import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthService } from '@sharepool/auth';
import { AppConfig } from '@sharepool/config';
import { ANONYMOUS, DomainError } from '@sharepool/kernel';
import { Unsubscribe } from '@sharepool/mail';

export const VERIFY_EMAIL_PATH = '/auth/verify-email';
export const UNSUBSCRIBE_PATH = '/mail/unsubscribe';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A small page of its own (no script, no inline style: the CSP holds). */
function page(res: Response, status: number, title: string, body: string): string {
  res.status(status).type('html').setHeader('cache-control', 'no-store');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="referrer" content="no-referrer"><title>${escape(title)} · Sharepool</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

/**
 * The links in emails, which work without signing in: confirming an address,
 * and one-click unsubscribe (RFC 8058: a POST to the link, from the mail
 * program or from the button this page shows; a GET only asks, since mail
 * scanners follow links).
 */
@Controller()
export class MailLinksController {
  constructor(
    private readonly auth: AuthService,
    private readonly unsubscribe: Unsubscribe,
    private readonly config: AppConfig,
  ) {}

  @Get(VERIFY_EMAIL_PATH)
  async verifyEmail(@Query('token') token: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const app = `<p><a href="${escape(this.config.publicUrl)}/">Open Sharepool</a></p>`;
    try {
      const { handle, firstTime } = await this.auth.verifyEmail(ANONYMOUS, String(token ?? ''));
      const news = firstTime ? ' Your welcome credits are in your wallet.' : '';
      return page(res, 200, 'Address confirmed', `<p>Thank you, @${escape(handle)}: your address is confirmed.${news}</p>${app}`);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return page(res, 400, 'This link does not work', `<p>${escape(error.message)}</p>${app}`);
    }
  }

  @Get(UNSUBSCRIBE_PATH)
  ask(@Query('token') token: string, @Res({ passthrough: true }) res: Response): string {
    const what = this.unsubscribe.describe(String(token ?? ''));
    if (!what) return page(res, 400, 'This link does not work', '<p>This unsubscribe link is not valid.</p>');
    const action = `${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(String(token))}`;
    return page(
      res,
      200,
      'Unsubscribe',
      `<p>Stop ${escape(what)}?</p><form method="post" action="${escape(action)}"><button type="submit">Unsubscribe</button></form>`,
    );
  }

  @Post(UNSUBSCRIBE_PATH)
  @HttpCode(200)
  async confirm(@Query('token') token: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const what = await this.unsubscribe.unsubscribe(String(token ?? ''));
    if (!what) return page(res, 400, 'This link does not work', '<p>This unsubscribe link is not valid.</p>');
    return page(
      res,
      200,
      'Unsubscribed',
      `<p>Done: no more ${escape(what)}. You can change this any time in your notification settings.</p>`,
    );
  }
}
