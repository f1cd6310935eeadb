import { Entity, PrimaryColumn } from 'typeorm';
import { oneOf } from '@sharepool/database';
import { POST_STATUSES, type PostStatus } from './post.entity.js';

/**
 * A post's life cycle as data: the only changes of status the database allows
 * (trigger posts_transition). Its rows, written by the migration, are the same
 * as POST_TRANSITIONS.
 */
@Entity('post_transitions')
export class PostTransitionEntity {
  @PrimaryColumn({
    type: 'text',
    primaryKeyConstraintName: 'post_transitions_pkey',
    transformer: oneOf(POST_STATUSES, 'post_transitions.from_status'),
  })
  fromStatus: PostStatus;

  @PrimaryColumn({
    type: 'text',
    primaryKeyConstraintName: 'post_transitions_pkey',
    transformer: oneOf(POST_STATUSES, 'post_transitions.to_status'),
  })
  toStatus: PostStatus;
}
