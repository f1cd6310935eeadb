import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { oneOf } from '@sharepool/database';
import { JOB_NAMES, type JobName } from './job-catalogue.js';

/**
 * A job written in the same transaction as the state it acts on; the relay
 * hands it to Bull after commit (dispatched_at), so a crash in between loses
 * nothing.
 */
@Entity('outbox')
@Index('outbox_pending', ['id'], { where: 'dispatched_at IS NULL' })
export class OutboxEntity {
  /** bigserial; read as a number (libs/database parses int8 so). */
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'outbox_pkey' })
  id: number;

  @Column({ type: 'text', transformer: oneOf(JOB_NAMES, 'outbox.job_name') })
  jobName: JobName;

  @Column({ type: 'text' })
  jobId: string;

  @Column({ type: 'jsonb' })
  payload: unknown;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  runAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  dispatchedAt: Date | null;
}
