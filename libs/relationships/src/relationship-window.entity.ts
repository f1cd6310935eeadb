import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** One row: the start of the 365 days that relationships.recent_* count (a daily job moves it on). */
@Entity('relationship_window', { comment: 'one row: the start of the 365 days relationships.recent_* count' })
@Check('relationship_window_id_check', `id`)
export class RelationshipWindowEntity {
  @PrimaryColumn({ type: 'boolean', default: true, primaryKeyConstraintName: 'relationship_window_pkey' })
  id: boolean;

  @Column({ type: 'timestamptz' })
  since: Date;
}
