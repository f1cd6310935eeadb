import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { TransactionRunner } from '@sharepool/database';
import { startTestCore, type TestCore } from '@sharepool/testing';
import { Outbox } from './outbox.service.js';

describe('the job outbox', () => {
  let core: TestCore;
  let outbox: Outbox;
  let transactions: TransactionRunner;
  let relayQueue: Queue;

  beforeAll(async () => {
    core = await startTestCore();
    outbox = core.get(Outbox);
    transactions = core.get(TransactionRunner);
    relayQueue = core.context.get(getQueueToken('outbox.relay'));
  });
  afterAll(() => core.close());

  const pendingRows = async () =>
    (await transactions.run((tx) => tx.query<{ job_id: string }>(`SELECT job_id FROM outbox WHERE dispatched_at IS NULL`))).map(
      (r) => r.job_id,
    );

  it('hands a job to its queue once the transaction commits', async () => {
    await transactions.run((tx) => outbox.add(tx, 'outbox.relay', {}, { jobId: 'committed-1', runAt: new Date(Date.now() + 60_000) }));
    await new Promise((r) => setTimeout(r, 100));
    expect(await relayQueue.getJob('committed-1')).not.toBeNull();
    expect(await pendingRows()).not.toContain('committed-1');
  });

  it('writes no job when the transaction rolls back', async () => {
    await expect(
      transactions.run(async (tx) => {
        await outbox.add(tx, 'outbox.relay', {}, { jobId: 'rolled-back-1' });
        throw new Error('use case failed');
      }),
    ).rejects.toThrow('use case failed');
    expect(await relayQueue.getJob('rolled-back-1')).toBeNull();
    expect(await pendingRows()).not.toContain('rolled-back-1');
  });

  it('dispatches a row whose process died between commit and enqueue', async () => {
    // As if the process died right after commit: the row is there, Bull never saw it.
    await transactions.run((tx) =>
      tx.query(
        `INSERT INTO outbox (job_name, job_id, payload, run_at) VALUES ('outbox.relay', 'orphan-1', '{}', now() + interval '1 minute')`,
      ),
    );
    expect(await pendingRows()).toContain('orphan-1');
    expect(await outbox.dispatch()).toBeGreaterThanOrEqual(1);
    expect(await relayQueue.getJob('orphan-1')).not.toBeNull();
    expect(await pendingRows()).toEqual([]);
  });
});
