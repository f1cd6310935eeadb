import type { Network } from './networks/network-adapter.js';

import type { ChannelStatus } from './channel.entity.js';

/** A member's social account as the domain reads it; its credentials never leave the database sealed. */
export interface ChannelRecord {
  readonly id: string;
  readonly memberId: string;
  readonly network: Network;
  readonly handle: string;
  readonly audienceSize: number;
  /** Whether audienceSize was read from the network (true) or stated by the member (false). */
  readonly audienceVerified: boolean;
  /** When audienceSize was last read from the network. */
  readonly audienceCheckedAt: Date | null;
  readonly status: ChannelStatus;
  readonly statusReason: string | null;
  readonly createdAt: Date;
}

export const CHANNEL_COLUMNS = `c.id, c.member_id AS "memberId", c.network, c.handle, c.audience_size AS "audienceSize",
  c.audience_verified AS "audienceVerified", c.audience_checked_at AS "audienceCheckedAt",
  c.status, c.status_reason AS "statusReason", c.created_at AS "createdAt"`;
