import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '@sharepool/config';
import { RateLimitedError } from '@sharepool/kernel';
import { REDIS } from '@sharepool/redis';

const WINDOW_SECONDS = 60 * 60;

/** Counts this registration and answers the count and the window's seconds left, atomically. */
const TAKE = `
local n = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1], 'NX')
return {n, redis.call('TTL', KEYS[1])}
`;

/**
 * At most REGISTRATIONS_PER_ADDRESS_PER_HOUR sign-ups from one client address
 * per hour: each new account earns the signup grant, so unlimited sign-ups
 * would farm credits (and probe which emails exist). Every attempt that passes
 * the input rules counts, a taken email or handle included.
 */
@Injectable()
export class RegistrationLimit {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Takes one registration for `address`, or RATE_LIMITED with when to try again. */
  async take(address: string): Promise<void> {
    const [count, ttl] = (await this.redis.eval(TAKE, 1, `registrations:address:${address}`, WINDOW_SECONDS)) as [number, number];
    if (count > this.config.registrationsPerAddressPerHour) {
      const retryAfter = Math.max(1, ttl);
      const minutes = Math.ceil(retryAfter / 60);
      throw new RateLimitedError(
        `Too many accounts were created from your network. Try again in ${minutes === 1 ? '1 minute' : `${minutes} minutes`}.`,
        retryAfter,
      );
    }
  }
}
