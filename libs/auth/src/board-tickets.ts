import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { type Actor, PermissionDeniedError, requireSession } from '@sharepool/kernel';
import { REDIS } from '@sharepool/redis';

/** How long a queue board ticket may wait to be opened. */
export const BOARD_TICKET_TTL_SECONDS = 60;

/**
 * Single-use tickets that open the queue board in a browser tab: a link cannot
 * carry a bearer header, and an access token in a URL would end up in proxy
 * logs and history for its whole life. A ticket is random, lives a minute, is
 * kept in Redis only as a hash, and is gone once exchanged.
 */
@Injectable()
export class BoardTickets {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** A ticket for an admin; anyone else is refused. */
  async issue(actor: Actor): Promise<{ ticket: string; expiresIn: number }> {
    // A session, not a partner API key: the board is for an admin at the web client.
    const admin = requireSession(actor);
    if (admin.role !== 'ADMIN') throw new PermissionDeniedError('The queue board is for admins only');
    const ticket = randomBytes(32).toString('base64url');
    await this.redis.set(keyOf(ticket), admin.memberId, 'EX', BOARD_TICKET_TTL_SECONDS);
    return { ticket, expiresIn: BOARD_TICKET_TTL_SECONDS };
  }

  /** The member the ticket was issued to, once; null when unknown, used or expired. */
  async redeem(ticket: string): Promise<string | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(ticket)) return null;
    return this.redis.getdel(keyOf(ticket));
  }
}

function keyOf(ticket: string): string {
  return `board-ticket:${createHash('sha256').update(ticket).digest('base64url')}`;
}
