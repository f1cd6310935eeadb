import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { MemberEntity } from './member.entity.js';
import { NicheEntity } from './niche.entity.js';

/** A member's membership of a niche. */
@Entity('member_niches')
@Index('member_niches_by_niche', ['nicheId'])
export class MemberNicheEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'member_niches_pkey' })
  memberId: string;

  @ManyToOne(() => MemberEntity, { nullable: false })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'member_niches_member_id_fkey' })
  member: Relation<MemberEntity>;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'member_niches_pkey' })
  nicheId: string;

  @ManyToOne(() => NicheEntity, { nullable: false })
  @JoinColumn({ name: 'niche_id', foreignKeyConstraintName: 'member_niches_niche_id_fkey' })
  niche: Relation<NicheEntity>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  joinedAt: Date;
}
