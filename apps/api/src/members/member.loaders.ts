import type { Member, MembersService, Niche, NichesService } from '@sharepool/members';
import { type GraphqlContext, MEMBER_LOADER } from '../graphql/request-context.js';

/** Members by id, batched per request (the acting member is primed by authentication). */
export function memberLoader(ctx: GraphqlContext, members: MembersService) {
  return ctx.loaders.byId<Member>(
    MEMBER_LOADER,
    (ids) => members.findByIds(ids),
    (m) => m.id,
  );
}

export function nicheLoader(ctx: GraphqlContext, niches: NichesService) {
  return ctx.loaders.byId<Niche>(
    'niche',
    (ids) => niches.findByIds(ids),
    (n) => n.id,
  );
}

/** The niches of members, batched per request. */
export function memberNichesLoader(ctx: GraphqlContext, niches: NichesService) {
  return ctx.loaders.get<string, Niche[]>('member-niches', async (ids) => {
    const byMember = await niches.ofMembers(ids);
    return ids.map((id) => byMember.get(id) ?? []);
  });
}
