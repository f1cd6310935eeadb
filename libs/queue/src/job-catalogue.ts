/**
 * Every job Sharepool runs: its name (also its Bull queue) and its payload.
 * Jobs carry ids only; the database holds the state and decides what happens,
 * so a job may run twice, late, or be lost and found again by a sweeper.
 */
export interface JobCatalogue {
  /** Hands outbox rows that were not dispatched right after commit to their queues. */
  'outbox.relay': Record<string, never>;
}

export type JobName = keyof JobCatalogue;
export type JobPayload<N extends JobName> = JobCatalogue[N];

/** Every job name; each gets its own Bull queue so each has its own concurrency. */
export const JOB_NAMES = ['outbox.relay'] as const satisfies readonly JobName[];

// A compile error here means JOB_NAMES and JobCatalogue disagree.
type Missing = Exclude<JobName, (typeof JOB_NAMES)[number]>;
const allNamesListed: Missing extends never ? true : never = true;
void allNamesListed;
