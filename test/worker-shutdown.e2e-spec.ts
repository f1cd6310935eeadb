import { startWebhookSink, type WebhookSinkFake } from '@sharepool/testing/fakes';
import { approvedPost, eventually, nicheWith, rawId, share, shareStatus, webhookChannel } from './support/flows.js';
import { signInAdmin, signUp, type SignedIn } from './support/members.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { startWorkerProcess, type WorkerProcess, workerEnvironment } from './support/worker-process.js';

/** Shares are delivered by a worker in a process of its own, here stopped with SIGTERM as a deployment would. */
describe('stopping a worker with SIGTERM', () => {
  let t: TestApp;
  let admin: SignedIn;
  let sink: WebhookSinkFake;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    sink = await startWebhookSink();
    t = await startTestApp({ env: { CHANNEL_MIN_INTERVAL_SECONDS: '0' } });
    admin = await signInAdmin(t);
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await t.close();
    await sink.close();
  });

  const startWorker = async () => {
    const worker = await startWorkerProcess(
      workerEnvironment(t.env, { CHANNEL_MIN_INTERVAL_SECONDS: '0', SWEEP_INTERVAL_SECONDS: '1', SHARE_LEASE_SECONDS: '5' }),
    );
    workers.push(worker);
    return worker;
  };

  it('finishes the delivery in flight, takes no new one, and exits cleanly', async () => {
    const author = await signUp(t);
    const sharer = await signUp(t);
    const niche = await nicheWith(t, admin, author, sharer);
    const first = await approvedPost(t, admin, author, niche);
    const second = await approvedPost(t, admin, author, niche);
    const channel = await webhookChannel(t, sharer, sink);
    const worker = await startWorker();

    // The receiver takes 3 s over the first delivery: SIGTERM arrives while it is in flight.
    sink.fail({ delayMs: 3_000 });
    const inFlight = (await share(t, sharer, first, [channel])).data!.sharePost[0].id;
    await eventually(
      async () => sink.requests.filter((r) => r.headers['webhook-id'] === rawId(inFlight)).length,
      (n) => n === 1,
    );
    worker.kill('SIGTERM');
    await eventually(
      async () => worker.output().includes('no longer taking jobs'),
      (stopped) => stopped,
    );
    // Bull ends a fetch already waiting in Redis within half a second of the pause; a job that arrives
    // in that moment is still taken (and finished).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const queued = (await share(t, sharer, second, [channel])).data!.sharePost[0].id;

    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(await shareStatus(t, sharer, inFlight)).toMatchObject({ status: 'POSTED', creditsEarned: 10 });
    expect(sink.timesReceived(rawId(inFlight))).toBe(1);
    expect((await shareStatus(t, sharer, queued)).status).toBe('SCHEDULED');
    expect(sink.timesReceived(rawId(queued))).toBe(0);

    // The next worker delivers what the stopped one left in the queue.
    await startWorker();
    await eventually(
      () => shareStatus(t, sharer, queued),
      (s) => s.status === 'POSTED',
    );
    expect(sink.timesReceived(rawId(queued))).toBe(1);
  }, 120_000);
});
