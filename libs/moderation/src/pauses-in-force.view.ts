import { ViewColumn, ViewEntity } from 'typeorm';
import { oneOf } from '@sharepool/database';
import { PAUSE_SCOPES, type PauseScope } from './sharing-pause.entity.js';

/**
 * The pauses of sharing in force: moderation's published read for other
 * libs' queries (the share feed leaves out what they cover). Whether a pause
 * covers one share's scope is the SQL function sharing_paused(post_id,
 * niche_id), the one definition of "paused" for every query; both come with
 * migration 1764000830000. TypeORM leaves the view alone (synchronize: false)
 * and the drift check compares this definition; the function is SQL only.
 */
@ViewEntity({
  name: 'pauses_in_force',
  synchronize: false,
  expression: `SELECT id, scope, post_id, niche_id FROM sharing_pauses WHERE resumed_at IS NULL`,
})
export class PauseInForceView {
  @ViewColumn() id: string;
  @ViewColumn({ transformer: oneOf(PAUSE_SCOPES, 'pauses_in_force.scope') }) scope: PauseScope;
  @ViewColumn() postId: string | null;
  @ViewColumn() nicheId: string | null;
}
