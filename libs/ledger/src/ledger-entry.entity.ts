import {
  Check,
  Column,
  Entity,
  getMetadataArgsStorage,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
} from 'typeorm';
import { IndexBySql } from '@sharepool/database';
import { LedgerAccountEntity } from './ledger-account.entity.js';
import { LedgerTransferEntity } from './ledger-transfer.entity.js';

/**
 * An identity column that is not the primary key. TypeORM's Postgres driver
 * creates and reads those, but its @Generated decorator offers no "identity"
 * strategy: this declares it the way PrimaryGeneratedColumn('identity') does.
 */
function GeneratedIdentity(): PropertyDecorator {
  return (target, propertyName) => {
    getMetadataArgsStorage().generations.push({
      target: target.constructor,
      propertyName: String(propertyName),
      strategy: 'identity' as 'increment',
    });
  };
}

/**
 * One side of a posted transfer on one account, with the account's balance
 * after it; never changed (trigger ledger_entries_append_only). `seq` orders a
 * statement.
 */
@Entity('ledger_entries')
@Check('ledger_entries_amount_check', `amount <> 0`)
@Unique('ledger_entries_seq_key', ['seq'])
@IndexBySql(`CREATE INDEX ledger_entries_statement ON ledger_entries (account_id, seq DESC)`)
@Index('ledger_entries_by_transfer', ['transferId'])
export class LedgerEntryEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'ledger_entries_pkey' })
  id: string;

  @Column({ type: 'bigint', generatedIdentity: 'ALWAYS' })
  @GeneratedIdentity()
  seq: number;

  @Column({ type: 'uuid' })
  transferId: string;

  @ManyToOne(() => LedgerTransferEntity, { nullable: false })
  @JoinColumn({ name: 'transfer_id', foreignKeyConstraintName: 'ledger_entries_transfer_id_fkey' })
  transfer: Relation<LedgerTransferEntity>;

  @Column({ type: 'uuid' })
  accountId: string;

  @ManyToOne(() => LedgerAccountEntity, { nullable: false })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'ledger_entries_account_id_fkey' })
  account: Relation<LedgerAccountEntity>;

  @Column({ type: 'bigint', comment: 'signed: credits in are positive, credits out negative' })
  amount: number;

  @Column({ type: 'bigint' })
  balanceAfter: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
