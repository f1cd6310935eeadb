import type { TrustLevel } from '@sharepool/config';
import { InvalidInputError, RateLimitedError } from '@sharepool/kernel';

/** A daily cap of the member's trust level is reached: RATE_LIMITED, saying when it resets. */
export class DailyCapReachedError extends RateLimitedError {
  constructor(what: 'shares' | 'posts', cap: number, level: TrustLevel, resetsAt: Date, now: Date) {
    const seconds = Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000));
    super(
      `At trust level ${level} you can make ${cap} ${what} a day; the next is possible at ${resetsAt.toISOString()} (in ${inWords(seconds)})`,
      seconds,
    );
    Object.assign(this.details, { resetsAt: resetsAt.toISOString(), cap, trustLevel: level });
  }
}

/** More credits per share than the member's trust level allows: BAD_USER_INPUT on creditsPerShare, naming the maximum. */
export class CreditsPerShareAboveLevelError extends InvalidInputError {
  constructor(maximum: number, level: TrustLevel) {
    super('creditsPerShare', `At trust level ${level} a post offers at most ${maximum} credits per share`, { maximum, trustLevel: level });
  }
}

function inWords(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
