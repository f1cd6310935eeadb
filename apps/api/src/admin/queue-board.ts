import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AccessTokens, Authenticator } from '@sharepool/auth';
import { JOB_NAMES, JobQueue } from '@sharepool/queue';

export const QUEUE_BOARD_PATH = '/admin/queues';
const COOKIE = 'sp_board';

/**
 * Mounts Bull Board at /admin/queues, for admins only. A browser cannot send a
 * bearer header when following a link, so the web client opens the board with
 * `?token=<access token>` once; the token then lives in an HttpOnly cookie
 * scoped to the board (and expires with it, within 15 minutes).
 */
export function mountQueueBoard(app: INestApplication): void {
  const jobs = app.get(JobQueue);
  const tokens = app.get(AccessTokens);
  const authenticator = app.get(Authenticator);
  const board = new ExpressAdapter();
  board.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: JOB_NAMES.map((name) => new BullAdapter(jobs.queue(name))), serverAdapter: board });

  const admitAdmins = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : null;
    const token = fromQuery ?? bearer(req) ?? cookie(req, COOKIE);
    const memberId = token ? tokens.memberOf(token) : null;
    const signedIn = memberId ? await authenticator.fromAccessToken(memberId).catch(() => null) : null;
    if (!signedIn) {
      res.status(401).type('text/plain').send('Sign in as an admin in Sharepool and open the queue board from the Admin page.');
      return;
    }
    if (signedIn.actor.role !== 'ADMIN') {
      res.status(403).type('text/plain').send('The queue board is for admins only.');
      return;
    }
    if (fromQuery) {
      res.cookie(COOKIE, fromQuery, {
        httpOnly: true,
        sameSite: 'strict',
        path: QUEUE_BOARD_PATH,
        maxAge: 15 * 60_000,
        secure: req.secure,
      });
      res.redirect(QUEUE_BOARD_PATH);
      return;
    }
    next();
  };
  app.use(
    QUEUE_BOARD_PATH,
    (req: Request, res: Response, next: NextFunction) => void admitAdmins(req, res, next).catch(next),
    board.getRouter(),
  );
}

function bearer(req: Request): string | null {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
}

function cookie(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}
