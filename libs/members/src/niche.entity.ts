import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';
import { MemberEntity } from './member.entity.js';

/** A topic members join and posts belong to; admins create them. */
@Entity('niches')
@Check('niches_slug_check', `slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) BETWEEN 2 AND 40`)
@Check('niches_name_check', `length(name) BETWEEN 1 AND 60`)
@Unique('niches_slug_key', ['slug'])
export class NicheEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'niches_pkey' })
  id: string;

  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @ManyToOne(() => MemberEntity)
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'niches_created_by_fkey' })
  creator: Relation<MemberEntity> | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
