import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { MemberEntity } from '@sharepool/members';

/** How many of an author's posts a sharer has shared (POSTED), kept in the reward transaction. */
@Entity('reciprocity', { comment: "POSTED shares by sharer of author's posts; kept in the reward transaction" })
@Check('reciprocity_shares_check', `shares >= 0`)
@Index('reciprocity_by_author', ['authorId', 'sharerId'])
export class ReciprocityEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'reciprocity_pkey' })
  sharerId: string;

  @ManyToOne(() => MemberEntity, { nullable: false })
  @JoinColumn({ name: 'sharer_id', foreignKeyConstraintName: 'reciprocity_sharer_id_fkey' })
  sharer: Relation<MemberEntity>;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'reciprocity_pkey' })
  authorId: string;

  @ManyToOne(() => MemberEntity, { nullable: false })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'reciprocity_author_id_fkey' })
  author: Relation<MemberEntity>;

  @Column({ type: 'int', default: 0 })
  shares: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastSharedAt: Date | null;
}
