import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { oneOf } from '@sharepool/database';

export const ACCOUNT_KINDS = ['MEMBER', 'ESCROW', 'SYSTEM'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/**
 * A ledger account with its balances cached, guarded by CHECK constraints: no
 * account but a system one goes below zero counting holds. Its id says whose it
 * is, so no lookup is needed to address it (see accountId). The two system
 * accounts are rows the migration inserts.
 */
@Entity('ledger_accounts')
@Check('ledger_accounts_kind_check', `kind IN ('MEMBER', 'ESCROW', 'SYSTEM')`)
@Check('ledger_accounts_pending_out_check', `pending_out >= 0`)
@Check('ledger_accounts_never_negative', `kind = 'SYSTEM' OR posted - pending_out >= 0`)
@Check('ledger_accounts_owner', `(kind = 'SYSTEM') = (owner_id IS NULL) AND (kind = 'SYSTEM') = (code IS NOT NULL)`)
@Index('ledger_accounts_system_code', ['code'], { unique: true, where: `kind = 'SYSTEM'` })
export class LedgerAccountEntity {
  @PrimaryColumn({
    type: 'uuid',
    primaryKeyConstraintName: 'ledger_accounts_pkey',
    comment: 'MEMBER: the member id; ESCROW: the post id; SYSTEM: a fixed id',
  })
  id: string;

  @Column({ type: 'text', transformer: oneOf(ACCOUNT_KINDS, 'ledger_accounts.kind') })
  kind: AccountKind;

  /** No foreign key: the ledger sits below members and posts. */
  @Column({ type: 'uuid', nullable: true, comment: 'MEMBER: the member; ESCROW: the post author' })
  ownerId: string | null;

  /** A system account's name (ISSUANCE, ADJUSTMENTS). */
  @Column({ type: 'text', nullable: true })
  code: string | null;

  /**
   * Settled credits (bigint, read as a number). TypeORM writes a bigint's
   * default as '0'::bigint where the migration says 0: the same value, which
   * the drift check reads as equal.
   */
  @Column({ type: 'bigint', default: 0 })
  posted: number;

  /** Credits reserved by pending transfers. */
  @Column({ type: 'bigint', default: 0 })
  pendingOut: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
