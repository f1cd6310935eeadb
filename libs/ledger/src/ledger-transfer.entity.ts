import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation, Unique } from 'typeorm';
import { oneOf } from '@sharepool/database';
import { LedgerAccountEntity } from './ledger-account.entity.js';

/** Why credits moved. The first five are the contract's LedgerEntryKind. */
export const TRANSFER_KINDS = ['SIGNUP_GRANT', 'CAMPAIGN_FUNDING', 'CAMPAIGN_REFUND', 'SHARE_REWARD', 'ADJUSTMENT'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/** POSTED moves credits at once; PENDING reserves them until POST_PENDING or VOID_PENDING. */
export const TRANSFER_PHASES = ['POSTED', 'PENDING', 'POST_PENDING', 'VOID_PENDING'] as const;
export type TransferPhase = (typeof TRANSFER_PHASES)[number];

/**
 * A movement of credits, never changed once written (trigger
 * ledger_transfers_append_only). Its id is the caller's idempotency key. A
 * PENDING transfer is resolved at most once, by one POST_PENDING or
 * VOID_PENDING transfer naming it (UNIQUE pending_id). Written only by the
 * ledger's SQL functions (migration 1764000100000).
 */
@Entity('ledger_transfers')
@Check('ledger_transfers_amount_check', `amount >= 0`)
@Check('ledger_transfers_kind_check', `kind IN ('SIGNUP_GRANT', 'CAMPAIGN_FUNDING', 'CAMPAIGN_REFUND', 'SHARE_REWARD', 'ADJUSTMENT')`)
@Check('ledger_transfers_phase_check', `phase IN ('POSTED', 'PENDING', 'POST_PENDING', 'VOID_PENDING')`)
@Check('ledger_transfers_memo_check', `length(memo) <= 500`)
@Check('ledger_transfers_distinct_accounts', `debit_account_id <> credit_account_id`)
@Check('ledger_transfers_resolution', `(phase IN ('POST_PENDING', 'VOID_PENDING')) = (pending_id IS NOT NULL)`)
@Check('ledger_transfers_positive', `amount > 0 OR phase IN ('POST_PENDING', 'VOID_PENDING')`)
@Unique('ledger_transfers_resolved_once', ['pendingId'])
@Index('ledger_transfers_by_share', ['shareId'], { where: 'share_id IS NOT NULL' })
@Index('ledger_transfers_by_post', ['postId'], { where: 'post_id IS NOT NULL' })
@Index('ledger_transfers_by_debit', ['debitAccountId'])
@Index('ledger_transfers_by_credit', ['creditAccountId'])
export class LedgerTransferEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'ledger_transfers_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  debitAccountId: string;

  @ManyToOne(() => LedgerAccountEntity, { nullable: false })
  @JoinColumn({ name: 'debit_account_id', foreignKeyConstraintName: 'ledger_transfers_debit_account_id_fkey' })
  debitAccount: Relation<LedgerAccountEntity>;

  @Column({ type: 'uuid' })
  creditAccountId: string;

  @ManyToOne(() => LedgerAccountEntity, { nullable: false })
  @JoinColumn({ name: 'credit_account_id', foreignKeyConstraintName: 'ledger_transfers_credit_account_id_fkey' })
  creditAccount: Relation<LedgerAccountEntity>;

  @Column({ type: 'bigint' })
  amount: number;

  @Column({ type: 'text', transformer: oneOf(TRANSFER_KINDS, 'ledger_transfers.kind') })
  kind: TransferKind;

  @Column({ type: 'text', transformer: oneOf(TRANSFER_PHASES, 'ledger_transfers.phase') })
  phase: TransferPhase;

  /** The PENDING transfer this one settles or voids. */
  @Column({ type: 'uuid', nullable: true })
  pendingId: string | null;

  @ManyToOne(() => LedgerTransferEntity)
  @JoinColumn({ name: 'pending_id', foreignKeyConstraintName: 'ledger_transfers_pending_id_fkey' })
  pending: Relation<LedgerTransferEntity> | null;

  /** What the transfer is about (no foreign keys: the ledger sits below posts, shares and members). */
  @Column({ type: 'uuid', nullable: true })
  postId: string | null;

  @Column({ type: 'uuid', nullable: true })
  shareId: string | null;

  @Column({ type: 'uuid', nullable: true })
  memberId: string | null;

  @Column({ type: 'text', nullable: true })
  memo: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
