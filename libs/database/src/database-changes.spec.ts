import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createMigratedDatabase, sqlPool } from '@sharepool/testing';
import { DatabaseChanges } from './database-changes.js';

describe('hearing the database change', () => {
  let db: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let sql: pg.Pool;
  let changes: DatabaseChanges;

  beforeAll(async () => {
    db = await createMigratedDatabase('sharepool_changes');
    sql = sqlPool(db.url, 2);
  });
  beforeEach(() => {
    changes = new DatabaseChanges({ options: { url: db.url, applicationName: 'sharepool-test' } } as unknown as DataSource);
  });
  afterEach(() => changes.onApplicationShutdown());
  afterAll(async () => {
    await sql.end();
    await db.drop();
  });

  const listening = async () => {
    for (let i = 0; i < 100 && changes.stamp('member', 'x') === null; i++) await new Promise((r) => setTimeout(r, 20));
    expect(changes.stamp('member', 'x')).not.toBeNull();
  };
  const memberId = async () =>
    (
      await sql.query<{ id: string }>(
        `INSERT INTO members (email, handle, display_name, password_hash) VALUES ($1, $1, 'M', 'x') RETURNING id`,
        [`m${Math.random().toString(36).slice(2, 10)}`],
      )
    ).rows[0]!.id;

  it("moves a member's stamp when their row changes, and leaves other members' alone", async () => {
    const [alice, bob] = [await memberId(), await memberId()];
    await listening();
    const before = [changes.stamp('member', alice), changes.stamp('member', bob)];

    await sql.query(`UPDATE members SET display_name = 'Alice' WHERE id = $1`, [alice]);
    await changes.caughtUp();
    expect(changes.stamp('member', alice)).not.toBe(before[0]);
    expect(changes.stamp('member', bob)).toBe(before[1]);
  });

  it('waits in caughtUp() for a change committed earlier, however late its notification arrives', async () => {
    const alice = await memberId();
    await listening();
    // Every notification reaches this process 300 ms late, in order.
    const client = (changes as unknown as { client: pg.Client }).client;
    const emit = client.emit.bind(client);
    client.emit = ((event: string, ...args: unknown[]) =>
      event === 'notification' ? (setTimeout(() => emit(event, ...args), 300), true) : emit(event, ...args)) as typeof client.emit;
    const before = changes.stamp('member', alice);

    await sql.query(`UPDATE members SET display_name = 'Alice' WHERE id = $1`, [alice]);
    await changes.caughtUp();
    expect(changes.stamp('member', alice)).not.toBe(before);
  });

  it('gives no stamp while the connection is down, and new stamps once it is back', async () => {
    await listening();
    const before = changes.stamp('feed', '*');
    await sql.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sharepool-test-changes' AND datname = current_database()`,
    );
    for (let i = 0; i < 100 && changes.stamp('feed', '*') !== null; i++) await new Promise((r) => setTimeout(r, 20));
    expect(changes.stamp('feed', '*')).toBeNull();

    await new Promise((r) => setTimeout(r, 1_100));
    await listening();
    expect(changes.stamp('feed', '*')).not.toBe(before);
  });
});
