import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { TRUST_LEVELS, type TrustLevel } from '@sharepool/config';
import { oneOf } from '@sharepool/database';
import { MemberEntity } from '@sharepool/members';

/** A member's trust level; a member without a row is NEW since joining. */
@Entity('member_trust', { comment: "a member's trust level; a member without a row is NEW since joining" })
@Check('member_trust_level_check', `level IN ('NEW', 'BASIC', 'MEMBER', 'TRUSTED', 'LEADER')`)
/** The daily review looks at these: levels reached on one's own, not locked. */
@Index('member_trust_reviewed_daily', ['memberId'], { where: `level IN ('BASIC', 'MEMBER', 'TRUSTED') AND NOT locked` })
export class MemberTrustEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'member_trust_pkey' })
  memberId: string;

  @ManyToOne(() => MemberEntity, { nullable: false })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'member_trust_member_id_fkey' })
  member: Relation<MemberEntity>;

  @Column({ type: 'text', transformer: oneOf(TRUST_LEVELS, 'member_trust.level') })
  level: TrustLevel;

  /** When the member reached the level. */
  @Column({ type: 'timestamptz' })
  since: Date;

  /** Set by an admin: automatic promotion and demotion leave the level alone. */
  @Column({ type: 'boolean', default: false })
  locked: boolean;

  @Column({
    type: 'timestamptz',
    nullable: true,
    comment: "the first daily review in a row that found the level's requirements unmet",
  })
  failingSince: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
