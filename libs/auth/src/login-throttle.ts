import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimitedError } from '@sharepool/kernel';
import { REDIS } from '@sharepool/redis';

export const LOGIN_THROTTLE = {
  windowSeconds: 15 * 60,
  /** Failed logins for one account from one client address within the window before that pair is refused. */
  perAccountAndAddress: 5,
  /** Failed logins from one client address within the window (any accounts) before it is refused. */
  perAddress: 20,
  /** Failed logins for one account from anywhere before its logins start to be slowed down. */
  slowAccountAfter: 5,
  /** The longest an account's login is slowed down, in seconds. */
  maxDelaySeconds: 20,
} as const;

/**
 * Takes a slot for one login attempt, atomically: refuses when the
 * (account, address) pair or the address has used up its failures, otherwise
 * counts the attempt as a failure at once (it is taken back on success). So
 * parallel attempts cannot all pass a check before any of them is recorded.
 * Returns {refused ttl} or {0, failures of the account before this attempt}.
 */
const TAKE_ATTEMPT = `
local pair = tonumber(redis.call('GET', KEYS[1]) or '0')
local address = tonumber(redis.call('GET', KEYS[2]) or '0')
if pair >= tonumber(ARGV[2]) then return {1, redis.call('TTL', KEYS[1])} end
if address >= tonumber(ARGV[3]) then return {1, redis.call('TTL', KEYS[2])} end
local account = tonumber(redis.call('GET', KEYS[3]) or '0')
for i = 1, 3 do
  redis.call('INCR', KEYS[i])
  redis.call('EXPIRE', KEYS[i], ARGV[1], 'NX')
end
return {0, account}
`;

/** The right password: the pair's and the account's failures go, the attempt is taken back from the address. */
const FORGET_ATTEMPT = `
redis.call('DEL', KEYS[1], KEYS[2])
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('DECR', KEYS[3]) end
`;

/** A login attempt that may go on to check the password. */
export interface LoginAttempt {
  /** The account's failed logins in the window before this attempt. */
  readonly accountFailures: number;
  /** This attempt is the first the account's failures slow down: the moment to tell its owner. */
  readonly slowingNow: boolean;
  /** The attempt was the right password: forget the account's and the pair's failures. */
  succeeded(): Promise<void>;
}

/**
 * Limits password guessing without letting anyone lock the owner out:
 * - per (account, client address): 5 failures in 15 minutes, then that address may
 *   not try that account until the window ends;
 * - per client address: 20 failures in 15 minutes, whatever the accounts;
 * - per account, from anywhere: no block, but after 5 failures every login for it
 *   answers only after a delay that doubles with each failure (1 s, 2 s, 4 s … up to
 *   20 s), which slows guessing spread over many addresses while the right password
 *   still gets in.
 * Failures from one address therefore never stop the owner signing in from another,
 * and the owner is told by email when their account's logins start being slowed.
 */
@Injectable()
export class LoginThrottle {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** RATE_LIMITED with the seconds to wait, or the attempt, after the account's delay. */
  async attempt(email: string, address: string): Promise<LoginAttempt> {
    const keys = this.keys(email, address);
    const [refused, value] = (await this.redis.eval(
      TAKE_ATTEMPT,
      3,
      keys.pair,
      keys.address,
      keys.account,
      LOGIN_THROTTLE.windowSeconds,
      LOGIN_THROTTLE.perAccountAndAddress,
      LOGIN_THROTTLE.perAddress,
    )) as [number, number];
    if (refused) {
      const retryAfter = Math.max(1, value);
      throw new RateLimitedError(`Too many failed logins. Try again in ${describeWait(retryAfter)}.`, retryAfter);
    }
    const delay = accountDelaySeconds(value);
    if (delay > 0) await this.pause(delay * 1000);
    return {
      accountFailures: value,
      slowingNow: value === LOGIN_THROTTLE.slowAccountAfter,
      succeeded: async () => {
        await this.redis.eval(FORGET_ATTEMPT, 3, keys.pair, keys.account, keys.address);
      },
    };
  }

  /** Waits before the password is checked (a seam for tests, which must not sleep). */
  pause(ms: number): Promise<void> {
    return sleep(ms);
  }

  private keys(email: string, address: string) {
    // Hashed: Redis holds no email addresses.
    const account = createHash('sha256').update(email).digest('base64url');
    return {
      pair: `login-failures:pair:${account}:${address}`,
      address: `login-failures:address:${address}`,
      account: `login-failures:account:${account}`,
    };
  }
}

/** The delay before a login for an account that failed `failures` times lately. */
export function accountDelaySeconds(failures: number): number {
  if (failures < LOGIN_THROTTLE.slowAccountAfter) return 0;
  return Math.min(2 ** (failures - LOGIN_THROTTLE.slowAccountAfter), LOGIN_THROTTLE.maxDelaySeconds);
}

function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
