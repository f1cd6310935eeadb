/**
 * Every job Sharepool runs: its name (also its Bull queue) and its payload.
 * Jobs carry ids only; the database holds the state and decides what happens,
 * so a job may run twice, late, or be lost and found again by a sweeper.
 */
export interface JobCatalogue {
  /** Reads the followers of channels due for their daily check from their networks. */
  'channel.check-audience': Record<string, never>;
  /** Refreshes OAuth tokens that end within 10 minutes; asks members to reconnect where nothing can renew them. */
  'channel.refresh-tokens': Record<string, never>;
  /** Hands outbox rows that were not dispatched right after commit to their queues. */
  'outbox.relay': Record<string, never>;
  /** Fills what the author left empty (title, summary, image) from the page itself. */
  'post.unfurl': { readonly postId: string };
  /** Posts one share to its channel, when it is due. */
  'share.deliver': { readonly shareId: string };
  /** Finds shares whose job was lost or whose worker died, and resumes them. */
  'share.sweep': Record<string, never>;
  /** Promotes the members whose history changed, or whose day counts came, as far as it goes. */
  'trust.review': Record<string, never>;
  /** Once a day: moves the RFM window on and demotes members past the grace period of failing their level. */
  'trust.daily': Record<string, never>;
  /** Writes the email of a notification its member wants at once. */
  'notification.email': { readonly notificationId: string };
  /** Sends one queued email (the emails table decides whether it still has to go). */
  'mail.send': { readonly emailId: string };
  /** Periodic: emails whose job was lost, daily digests that are due, notifications past their time. */
  'mail.tick': Record<string, never>;
}

export type JobName = keyof JobCatalogue;
export type JobPayload<N extends JobName> = JobCatalogue[N];

/** Every job name; each gets its own Bull queue so each has its own concurrency. */
export const JOB_NAMES = [
  'channel.check-audience',
  'channel.refresh-tokens',
  'outbox.relay',
  'post.unfurl',
  'share.deliver',
  'share.sweep',
  'trust.review',
  'trust.daily',
  'notification.email',
  'mail.send',
  'mail.tick',
] as const satisfies readonly JobName[];

/** Bull's own retries per job. Deliveries retry in the database (their schedule is the share's), not in Bull. */
export const JOB_ATTEMPTS: Readonly<Record<JobName, number>> = {
  'channel.check-audience': 1,
  'channel.refresh-tokens': 1,
  'outbox.relay': 1,
  'post.unfurl': 3,
  'share.deliver': 1,
  'share.sweep': 1,
  'trust.review': 1,
  'trust.daily': 1,
  'notification.email': 5,
  // Retries are the emails table's (with its backoff), so a mail server down for hours loses nothing.
  'mail.send': 1,
  'mail.tick': 1,
};

// A compile error here means JOB_NAMES and JobCatalogue disagree.
type Missing = Exclude<JobName, (typeof JOB_NAMES)[number]>;
const allNamesListed: Missing extends never ? true : never = true;
void allNamesListed;
