import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { MemberEntity } from '@sharepool/members';

/** A refresh token, stored as its SHA-256 hash only, used once (see RefreshTokens). */
@Entity('refresh_tokens')
@Unique('refresh_tokens_token_hash_key', ['tokenHash'])
@Index('refresh_tokens_by_family', ['familyId'])
@Index('refresh_tokens_by_member', ['memberId'])
export class RefreshTokenEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'refresh_tokens_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  memberId: string;

  @ManyToOne(() => MemberEntity, { nullable: false })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'refresh_tokens_member_id_fkey' })
  member: Relation<MemberEntity>;

  @Column({ type: 'uuid', comment: 'all tokens rotated from one login; reuse of a used token revokes the family' })
  familyId: string;

  @Column({ type: 'bytea' })
  tokenHash: Buffer;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
