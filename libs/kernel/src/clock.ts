/**
 * What time it is, for rules that count days (relationship recency, trust
 * levels). Injected, so a test moves it instead of waiting; the database's own
 * now() still stamps what happens (posted_at, created_at).
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
