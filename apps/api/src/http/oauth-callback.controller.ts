import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { OAUTH_CALLBACK_PATH, OAuthConnectionsService, withParam } from '@sharepool/channels';
import { AppConfig } from '@sharepool/config';
import { toGlobalId } from '../graphql/global-id.js';
import { browserKeyOf } from '../sharing/oauth-browser-key.js';

/** The first value of a query parameter, if it is a string. */
const param = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;

/**
 * Where the networks send members back after their consent page: a plain HTTP
 * route that finishes the connection and sends the browser on to the web app,
 * with `connected=<channel id>` or `error=<words>`; never a page of its own, so
 * no stack, token or code is ever shown.
 */
@Controller()
export class OAuthCallbackController {
  constructor(
    private readonly connections: OAuthConnectionsService,
    private readonly config: AppConfig,
  ) {}

  @Get(OAUTH_CALLBACK_PATH.slice(1))
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const outcome = await this.connections.complete(
      {
        state: param(req.query.state),
        code: param(req.query.code),
        error: param(req.query.error),
        errorDescription: param(req.query.error_description),
      },
      browserKeyOf(req),
    );
    // The code is in this address: it must not travel on as a Referer, nor be kept by a cache.
    res.setHeader('cache-control', 'no-store');
    res.setHeader('referrer-policy', 'no-referrer');
    const location =
      outcome.channelId !== null
        ? withParam(outcome.returnTo, 'connected', toGlobalId('Channel', outcome.channelId))
        : withParam(outcome.returnTo, 'error', outcome.error);
    res.redirect(303, `${this.config.publicUrl}${location}`);
  }
}
