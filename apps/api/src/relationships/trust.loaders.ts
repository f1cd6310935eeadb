import type { TrustLevel } from '@sharepool/config';
import type { TrustLevels } from '@sharepool/trust';
import type { GraphqlContext } from '../graphql/request-context.js';

/** Members' trust levels by member id, batched per request. */
export function trustLevelLoader(ctx: GraphqlContext, trust: TrustLevels) {
  return ctx.loaders.get<string, TrustLevel>('trust-level', async (ids) => {
    const levels = await trust.levelsOf(ids);
    return ids.map((id) => levels.get(id) ?? 'NEW');
  });
}
