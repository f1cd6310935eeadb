import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { MemberEntity } from '@sharepool/members';

/** A member whose level may go up: their history changed, or a day count will be reached. */
@Entity('trust_reviews_due', { comment: 'members whose level may go up: their history changed, or a day count will be reached' })
@Index('trust_reviews_due_by_time', ['dueAt'])
export class TrustReviewDueEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'trust_reviews_due_pkey' })
  memberId: string;

  @ManyToOne(() => MemberEntity, { nullable: false })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'trust_reviews_due_member_id_fkey' })
  member: Relation<MemberEntity>;

  @Column({ type: 'timestamptz' })
  dueAt: Date;
}
