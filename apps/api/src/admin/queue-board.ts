import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type express from 'express';
import { AccessTokens, Authenticator, BoardTickets } from '@sharepool/auth';
import { AppConfig } from '@sharepool/config';
import { JOB_NAMES, JobQueue } from '@sharepool/queue';
import { cookieOf, secureCookies } from '../http/cookie-security.js';

export const QUEUE_BOARD_PATH = '/admin/queues';
const COOKIE = 'sp_board';

/**
 * Mounts Bull Board at /admin/queues, for admins only. A browser cannot send a
 * bearer header when following a link, so the web client asks for a board
 * ticket (the createQueueBoardTicket mutation: single use, one minute) and
 * opens `/admin/queues?ticket=<ticket>`; the ticket is exchanged for a fresh
 * access token in an HttpOnly cookie scoped to the board (15 minutes), and the
 * address without the ticket. No token ever appears in a URL.
 */
export function mountQueueBoard(app: INestApplication): void {
  const jobs = app.get(JobQueue);
  const tokens = app.get(AccessTokens);
  const tickets = app.get(BoardTickets);
  const authenticator = app.get(Authenticator);
  const config = app.get(AppConfig);
  const board = new ExpressAdapter();
  board.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: JOB_NAMES.map((name) => new BullAdapter(jobs.queue(name))), serverAdapter: board });
  const router = board.getRouter() as express.Express;
  // The board is an Express application of its own, which would announce itself (X-Powered-By: Express).
  router.disable('x-powered-by');

  const admitAdmins = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const ticket = typeof req.query.ticket === 'string' ? req.query.ticket : null;
    const fromTicket = ticket ? await tickets.redeem(ticket) : null;
    const token = ticket ? null : (bearer(req) ?? cookieOf(req, COOKIE));
    const memberId = fromTicket ?? (token ? tokens.memberOf(token) : null);
    const signedIn = memberId ? await authenticator.fromAccessToken(memberId).catch(() => null) : null;
    if (!signedIn) {
      res.status(401).type('text/plain').send('Sign in as an admin in Sharepool and open the queue board from the Admin page.');
      return;
    }
    if (signedIn.actor.role !== 'ADMIN') {
      res.status(403).type('text/plain').send('The queue board is for admins only.');
      return;
    }
    if (fromTicket) {
      const { token: access, expiresIn } = tokens.issue(fromTicket);
      res.cookie(COOKIE, access, {
        httpOnly: true,
        sameSite: 'strict',
        path: QUEUE_BOARD_PATH,
        maxAge: expiresIn * 1000,
        secure: secureCookies(config, req),
      });
      res.setHeader('cache-control', 'no-store');
      res.redirect(QUEUE_BOARD_PATH);
      return;
    }
    next();
  };
  app.use(QUEUE_BOARD_PATH, (req: Request, res: Response, next: NextFunction) => void admitAdmins(req, res, next).catch(next), router);
}

function bearer(req: Request): string | null {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
}
