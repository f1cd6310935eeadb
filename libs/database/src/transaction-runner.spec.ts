import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@sharepool/testing';
import { dataSourceOptions } from './data-source-options.js';
import { TransactionRunner } from './transaction-runner.js';

describe('the transaction runner', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let runner: TransactionRunner;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions({ url: db.url, poolSize: 6 })).initialize();
    runner = new TransactionRunner(dataSource);
    await dataSource.query(`CREATE TABLE counters (id int PRIMARY KEY, value int NOT NULL)`);
    await dataSource.query(`INSERT INTO counters VALUES (1, 0), (2, 0)`);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('retries a transaction that lost a deadlock, so the caller never sees it', async () => {
    // Two transactions lock the same rows in opposite orders: Postgres kills one of them.
    const barrier = (() => {
      let arrived = 0;
      let release!: () => void;
      const all = new Promise<void>((r) => (release = r));
      return () => (++arrived === 2 && release(), all);
    })();
    let attempts = 0;
    const swap = (first: number, second: number) =>
      runner.run(async (tx) => {
        attempts++;
        await tx.query(`UPDATE counters SET value = value + 1 WHERE id = $1`, [first]);
        if (attempts <= 2) await barrier();
        await tx.query(`UPDATE counters SET value = value + 1 WHERE id = $1`, [second]);
      });
    await Promise.all([swap(1, 2), swap(2, 1)]);
    expect(attempts).toBe(3);
    expect(await dataSource.query(`SELECT value FROM counters ORDER BY id`)).toEqual([{ value: 2 }, { value: 2 }]);
  });

  it('runs after-commit callbacks only when the transaction commits', async () => {
    const ran: string[] = [];
    await runner.run(async (tx) => tx.afterCommit(() => ran.push('committed')));
    await runner
      .run(async (tx) => {
        tx.afterCommit(() => ran.push('rolled back'));
        throw new Error('abort');
      })
      .catch(() => undefined);
    expect(ran).toEqual(['committed']);
  });

  it('reports how many rows a statement touched', async () => {
    const result = await runner.run((tx) => tx.execute(`UPDATE counters SET value = value WHERE id IN (1, 2)`));
    expect(result.rowCount).toBe(2);
  });
});
