import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The members lib's published reads (MemberDirectoryView, NicheMembershipView):
 * other libs' queries read members and niche memberships through these views,
 * so only the members lib knows its tables' layout.
 */
export class MemberReads1764000810000 implements MigrationInterface {
  name = 'MemberReads1764000810000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE VIEW member_directory AS SELECT id, handle, display_name, status = 'ACTIVE' AS active FROM members`);
    await db.query(`CREATE VIEW niche_memberships AS SELECT member_id, niche_id FROM member_niches`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP VIEW niche_memberships`);
    await db.query(`DROP VIEW member_directory`);
  }
}
