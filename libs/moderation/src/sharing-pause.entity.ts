import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { PostEntity } from '@sharepool/content';
import { IndexBySql, oneOf } from '@sharepool/database';
import { MemberEntity, NicheEntity } from '@sharepool/members';

export const PAUSE_SCOPES = ['POST', 'NICHE', 'EVERYTHING'] as const;
export type PauseScope = (typeof PAUSE_SCOPES)[number];

/**
 * An admin's pause of sharing: of one post, one niche or everything; in force
 * until resumed. Other libs read pauses through PauseInForceView and the SQL
 * function sharing_paused(post_id, niche_id) (migration 1764000830000).
 */
@Entity('sharing_pauses')
@Check('sharing_pauses_scope_check', `scope IN ('POST', 'NICHE', 'EVERYTHING')`)
@Check('sharing_pauses_reason_check', `length(reason) BETWEEN 3 AND 500`)
@Check('sharing_pauses_target', `(scope = 'POST') = (post_id IS NOT NULL) AND (scope = 'NICHE') = (niche_id IS NOT NULL)`)
/** One pause in force per scope and target. */
@IndexBySql(`CREATE UNIQUE INDEX sharing_pauses_one_active ON sharing_pauses
        (scope, coalesce(post_id, niche_id, '00000000-0000-0000-0000-000000000000')) WHERE resumed_at IS NULL`)
export class SharingPauseEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'sharing_pauses_pkey' })
  id: string;

  @Column({ type: 'text', transformer: oneOf(PAUSE_SCOPES, 'sharing_pauses.scope') })
  scope: PauseScope;

  @Column({ type: 'uuid', nullable: true })
  postId: string | null;

  @ManyToOne(() => PostEntity)
  @JoinColumn({ name: 'post_id', foreignKeyConstraintName: 'sharing_pauses_post_id_fkey' })
  post: Relation<PostEntity> | null;

  @Column({ type: 'uuid', nullable: true })
  nicheId: string | null;

  @ManyToOne(() => NicheEntity)
  @JoinColumn({ name: 'niche_id', foreignKeyConstraintName: 'sharing_pauses_niche_id_fkey' })
  niche: Relation<NicheEntity> | null;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'uuid', nullable: true })
  pausedBy: string | null;

  @ManyToOne(() => MemberEntity)
  @JoinColumn({ name: 'paused_by', foreignKeyConstraintName: 'sharing_pauses_paused_by_fkey' })
  pauser: Relation<MemberEntity> | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  resumedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  resumedBy: string | null;

  @ManyToOne(() => MemberEntity)
  @JoinColumn({ name: 'resumed_by', foreignKeyConstraintName: 'sharing_pauses_resumed_by_fkey' })
  resumer: Relation<MemberEntity> | null;

  @Column({ type: 'text', nullable: true })
  resumeReason: string | null;
}
