import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The channels lib's published read (ChannelDirectoryView): a channel's
 * handle, audience, sealed credentials and last post, so other libs' queries
 * (deliveries, activity) need not know how channels are laid out.
 */
export class ChannelDirectory1764000840000 implements MigrationInterface {
  name = 'ChannelDirectory1764000840000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE VIEW channel_directory AS SELECT id, handle, audience_size, credentials_sealed, last_posted_at FROM channels`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP VIEW channel_directory`);
  }
}
