import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Content's published read of posts (PostWithBudgetView): posts with what
 * their budgets can still pay, for other libs' queries (the share feed,
 * deliveries), so only content knows how posts are laid out and where their
 * budgets live.
 */
export class PostsWithBudget1764000820000 implements MigrationInterface {
  name = 'PostsWithBudget1764000820000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE VIEW posts_with_budget AS
      SELECT p.id, p.author_id, p.niche_id, p.url, p.title, p.summary, p.image_url, p.suggested_message,
             p.credits_per_share, p.status, p.rejection_reason, p.posted_share_count, p.preview_status, p.preview_error, p.created_at,
             b.available AS budget_remaining
        FROM posts p LEFT JOIN ledger_balances b ON b.account_id = p.id`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP VIEW posts_with_budget`);
  }
}
