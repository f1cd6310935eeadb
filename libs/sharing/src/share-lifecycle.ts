import { createHash } from 'node:crypto';
import { ConflictError } from '@sharepool/kernel';
import type { ShareStatus } from './share.entity.js';

/**
 * A share's life cycle. SCHEDULED ↔ POSTING while it is tried (a failed try that
 * may pass goes back to SCHEDULED); POSTED, FAILED and CANCELLED are final.
 */
export const SHARE_TRANSITIONS: Readonly<Record<ShareStatus, readonly ShareStatus[]>> = {
  SCHEDULED: ['POSTING', 'POSTED', 'FAILED', 'CANCELLED'],
  POSTING: ['SCHEDULED', 'POSTED', 'FAILED'],
  POSTED: [],
  FAILED: [],
  CANCELLED: [],
};

export class ShareTransitionError extends ConflictError {
  constructor(from: ShareStatus, to: ShareStatus) {
    super(`This share is ${from.toLowerCase()}: it cannot become ${to.toLowerCase()}`, { status: from });
  }
}

export function assertShareTransition(from: ShareStatus, to: ShareStatus): void {
  if (!SHARE_TRANSITIONS[from].includes(to)) throw new ShareTransitionError(from, to);
}

/**
 * A UUID derived from a share and a purpose: the ledger transfer that settles
 * or voids a share's hold has the same id whoever writes it, so writing it twice
 * is a replay, never a second payment.
 */
export function derivedTransferId(shareId: string, purpose: 'settle' | 'void'): string {
  const hex = createHash('sha256').update(`${shareId}:${purpose}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
