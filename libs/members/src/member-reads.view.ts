import { ViewColumn, ViewEntity } from 'typeorm';

/**
 * What other libs' queries may read of any member: handle, name and whether
 * the account is active (the feed shows only active authors' posts; a
 * delivery signs with the sharer's handle). The members lib's published read,
 * so only it knows the members table's layout; Postgres folds the view into
 * the query that reads it. Migration 1764000810000; TypeORM leaves it alone
 * (synchronize: false) and the drift check compares this definition.
 */
@ViewEntity({
  name: 'member_directory',
  synchronize: false,
  expression: `SELECT id, handle, display_name, status = 'ACTIVE' AS active FROM members`,
})
export class MemberDirectoryView {
  @ViewColumn()
  id: string;

  @ViewColumn()
  handle: string;

  @ViewColumn()
  displayName: string;

  @ViewColumn()
  active: boolean;
}

/** Who is in which niche, for other libs' queries (the feed reads a viewer's niches). Migration 1764000810000. */
@ViewEntity({
  name: 'niche_memberships',
  synchronize: false,
  expression: `SELECT member_id, niche_id FROM member_niches`,
})
export class NicheMembershipView {
  @ViewColumn()
  memberId: string;

  @ViewColumn()
  nicheId: string;
}
