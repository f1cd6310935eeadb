import { Clock, DAY_MS } from '@sharepool/kernel';

/**
 * A clock a test moves forward instead of waiting: days pass for the rules
 * that count them (relationship recency, trust levels), while the database's
 * own now() goes on as it is.
 */
export class MovableClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advanceDays(days: number): void {
    this.offsetMs += days * DAY_MS;
  }

  advanceMs(ms: number): void {
    this.offsetMs += ms;
  }
}
