import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimitedError } from '@sharepool/kernel';
import { REDIS } from '@sharepool/redis';

export const LOGIN_THROTTLE = {
  windowSeconds: 15 * 60,
  /** Failed logins for one account within the window before it is throttled. */
  perAccount: 5,
  /** Failed logins from one IP address within the window before it is throttled. */
  perAddress: 20,
} as const;

/**
 * Counts failed logins in Redis per account and per client address. Once a
 * limit is reached, every login for that account or from that address is
 * refused until the window ends, even with the right password, so guessing
 * cannot continue by waiting for a lucky hit.
 */
@Injectable()
export class LoginThrottle {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** RATE_LIMITED with the seconds to wait when the account or the address is throttled. */
  async check(email: string, address: string): Promise<void> {
    const keys = this.keys(email, address);
    const [[, account], [, fromAddress], [, accountTtl], [, addressTtl]] = (await this.redis
      .multi()
      .get(keys.account)
      .get(keys.address)
      .ttl(keys.account)
      .ttl(keys.address)
      .exec()) as Array<[Error | null, unknown]>;
    const waits: number[] = [];
    if (Number(account ?? 0) >= LOGIN_THROTTLE.perAccount) waits.push(Number(accountTtl));
    if (Number(fromAddress ?? 0) >= LOGIN_THROTTLE.perAddress) waits.push(Number(addressTtl));
    if (waits.length) {
      const retryAfter = Math.max(1, ...waits);
      throw new RateLimitedError(`Too many failed logins. Try again in ${describeWait(retryAfter)}.`, retryAfter);
    }
  }

  async recordFailure(email: string, address: string): Promise<void> {
    const keys = this.keys(email, address);
    await this.redis
      .multi()
      .incr(keys.account)
      .expire(keys.account, LOGIN_THROTTLE.windowSeconds, 'NX')
      .incr(keys.address)
      .expire(keys.address, LOGIN_THROTTLE.windowSeconds, 'NX')
      .exec();
  }

  /** A successful login forgets the account's failures (not the address's). */
  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(this.keys(email, '').account);
  }

  private keys(email: string, address: string) {
    // Hashed: Redis holds no email addresses.
    const digest = createHash('sha256').update(email).digest('base64url');
    return { account: `login-failures:account:${digest}`, address: `login-failures:address:${address}` };
  }
}

function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
