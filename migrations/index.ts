import { Foundation1764000000000 } from './1764000000000-foundation.js';
import { Ledger1764000100000 } from './1764000100000-ledger.js';
import { Members1764000200000 } from './1764000200000-members.js';
import { Content1764000300000 } from './1764000300000-content.js';
import { Sharing1764000400000 } from './1764000400000-sharing.js';
import { DeliveryBatches1764000500000 } from './1764000500000-delivery-batches.js';
import { ChangeNotifications1764000600000 } from './1764000600000-change-notifications.js';
import { ChannelSlotAfterPost1764000700000 } from './1764000700000-channel-slot-after-post.js';
import { LedgerBalances1764000800000 } from './1764000800000-ledger-balances.js';
import { MemberReads1764000810000 } from './1764000810000-member-reads.js';
import { PostsWithBudget1764000820000 } from './1764000820000-posts-with-budget.js';
import { PauseReads1764000830000 } from './1764000830000-pause-reads.js';
import { ChannelDirectory1764000840000 } from './1764000840000-channel-directory.js';
import { ChannelOauth1764001100000 } from './1764001100000-channel-oauth.js';
import { Relationships1764001200000 } from './1764001200000-relationships.js';
import { ShareLinks1764001300000 } from './1764001300000-share-links.js';
import { Notifications1764001400000 } from './1764001400000-notifications.js';

/** Every migration, in order. A new migration is added here as well as in its file. */
export const MIGRATIONS = [
  Foundation1764000000000,
  Ledger1764000100000,
  Members1764000200000,
  Content1764000300000,
  Sharing1764000400000,
  DeliveryBatches1764000500000,
  ChangeNotifications1764000600000,
  ChannelSlotAfterPost1764000700000,
  LedgerBalances1764000800000,
  MemberReads1764000810000,
  PostsWithBudget1764000820000,
  PauseReads1764000830000,
  ChannelDirectory1764000840000,
  ChannelOauth1764001100000,
  Relationships1764001200000,
  ShareLinks1764001300000,
  Notifications1764001400000,
];
