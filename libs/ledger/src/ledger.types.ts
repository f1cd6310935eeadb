import type { TransferKind } from './ledger-transfer.entity.js';

/** Sharepool's own accounts: credits enter the system through these. */
export const SYSTEM_ACCOUNTS = {
  /** Source of signup grants. */
  ISSUANCE: '00000000-0000-4000-8000-000000000001',
  /** Counterparty of admin credit adjustments. */
  ADJUSTMENTS: '00000000-0000-4000-8000-000000000002',
} as const;

/**
 * Where credits sit. A member's account has the member's id, a post's escrow
 * the post's id, so no lookup is needed to address them.
 */
export type AccountRef = { member: string } | { escrow: string } | { system: keyof typeof SYSTEM_ACCOUNTS };

export function accountId(ref: AccountRef): string {
  if ('member' in ref) return ref.member;
  if ('escrow' in ref) return ref.escrow;
  return SYSTEM_ACCOUNTS[ref.system];
}

/** What a transfer is about, for statements and audits. */
export interface TransferReferences {
  readonly postId?: string | null;
  readonly shareId?: string | null;
  readonly memberId?: string | null;
  readonly memo?: string | null;
}

export interface TransferCommand extends TransferReferences {
  /** Chosen by the caller: the idempotency key. The same id with the same parameters returns the first result. */
  readonly id: string;
  readonly debit: AccountRef;
  readonly credit: AccountRef;
  /** Whole credits, > 0. */
  readonly amount: number;
  readonly kind: TransferKind;
}

export interface ResolveCommand {
  /** Id of the resolving transfer (idempotency key). */
  readonly id: string;
  /** The PENDING transfer to settle or void. */
  readonly pendingId: string;
  readonly memo?: string | null;
}

export interface SettleCommand extends ResolveCommand {
  /** Defaults to the held amount; a smaller amount releases the rest. */
  readonly amount?: number;
}

export type { Transfer } from './ledger.fields.js';

export interface Balance {
  /** Settled credits. */
  readonly posted: number;
  /** Credits reserved by pending transfers. */
  readonly pending: number;
  /** What can be spent: posted minus pending. */
  readonly available: number;
}
