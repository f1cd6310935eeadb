/**
 * `npm run bench:delivery`: shares delivered per second to a local webhook sink
 * (at two worker concurrencies) against raw Bull no-op jobs per second on the
 * same Redis with the same concurrency, and the latency from sharePost to
 * POSTED on an idle queue (server timestamps: posted_at - created_at). Each
 * round also times the same number of bare signed POSTs to the sink (no queue,
 * no database): the HTTP exchange alone, for scale. A last round runs only the
 * database's part of a delivery (the batch claim and the batch record, in the
 * worker's largest batches, no queue and no network): about the most the
 * database lets through on this machine (batches of 8 to 500 at 2 to 32 at a
 * time measured 1,500 to 3,900 shares/s here).
 * The bound at a concurrency is what those parts allow run one after the
 * other on the same cores: 1 / (1/database + 1/bare POST + 1/Bull no-op).
 * Last line, for the concurrency whose delivery is furthest below its bound:
 * `delivery: <x>/s, bound: <y>/s, ratio <x/y>, bull no-op: <z>/s, p50 <a> ms, p95 <b> ms`.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import Bull from 'bull';
import { createApiApp } from '../apps/api/src/create-api-app.js';
import { WorkerModule } from '../apps/worker/src/worker.module.js';
import { AuthService } from '@sharepool/auth';
import { ChannelsService } from '@sharepool/channels';
import { withServiceUrls, type AppConfig } from '@sharepool/config';
import { PostsService } from '@sharepool/content';
import { TransactionRunner } from '@sharepool/database';
import { ANONYMOUS, type MemberActor } from '@sharepool/kernel';
import { LedgerStatementService } from '@sharepool/ledger';
import { NichesService } from '@sharepool/members';
import { ModerationService } from '@sharepool/moderation';
import { createLogger } from '@sharepool/observability';
import { SharesService, ShareSettlement } from '@sharepool/sharing';
import { createTestEnvironment } from '@sharepool/testing';
import { JobQueue } from '@sharepool/queue';
import { profiled } from './support/cpu-profile.js';
import { round } from './support/load.js';
import { startSinkProcess, webhookPostsPerSecond } from './support/sink-process.js';

const SHARERS = 40;
const CHANNELS_PER_SHARER = 5;
const POSTS_PER_ROUND = 10;
const CONCURRENCIES = [8, 32];
const LATENCY_SAMPLES = 100;

async function main(): Promise<void> {
  const env = await createTestEnvironment({
    CHANNEL_MIN_INTERVAL_SECONDS: '0',
    TRUST_RULES: JSON.stringify({ levels: { NEW: { privileges: { sharesPerDay: 10_000, postsPerDay: 10_000 } } } }),
    LOG_LEVEL: 'error',
  });
  // The receiver is someone else's server: it runs in its own process, not in the sender's.
  const sink = await startSinkProcess();
  const logger = createLogger('error', 'bench');
  const app = await createApiApp(env.config, logger);
  const get = <T>(type: abstract new (...args: never[]) => T) => app.get(type as never) as T;
  const transactions = get(TransactionRunner);
  try {
    // Members: an admin, authors with large budgets, sharers with webhook channels.
    const admin = (await get(AuthService).login(ANONYMOUS, { email: env.config.adminEmail!, password: env.config.adminPassword! }, 'bench'))
      .actor;
    const niche = await get(NichesService).create(admin, { slug: 'bench', name: 'Bench' });
    const register = async (handle: string) =>
      (
        await get(AuthService).register(
          ANONYMOUS,
          {
            email: `${handle}@bench.test`,
            password: 'bench passphrase 1234',
            handle,
            displayName: handle,
          },
          'bench',
        )
      ).actor;
    const author = await register('bench_author');
    await get(LedgerStatementService).adjust(admin, { memberId: author.memberId, amount: 1_000_000, reason: 'bench budget' });
    const sharers: Array<{ actor: MemberActor; channels: string[] }> = [];
    for (let s = 0; s < SHARERS; s++) {
      const actor = await register(`bench_sharer_${s}`);
      const channels: string[] = [];
      for (let c = 0; c < CHANNELS_PER_SHARER; c++) {
        const { channel, signingSecret } = await get(ChannelsService).connect(actor, {
          network: 'WEBHOOK',
          handle: `hook${c}`,
          webhookUrl: sink.hookUrl(`${s}-${c}`),
        });
        await sink.acceptSecret(signingSecret!);
        channels.push(channel.id);
      }
      sharers.push({ actor, channels });
    }
    let postCount = 0;
    const approvedPost = async () => {
      const post = await get(PostsService).submit(author, {
        url: `https://bench.example.com/${postCount++}`,
        nicheId: niche.id,
        title: 'Bench post',
        creditsPerShare: 1,
        budget: 10_000,
      });
      await get(ModerationService).moderate(admin, { postId: post.id, action: 'APPROVE' });
      return post.id;
    };
    const posted = async () =>
      Number((await transactions.query<{ n: number }>(`SELECT count(*) AS n FROM shares WHERE status IN ('POSTED', 'FAILED')`))[0]!.n);

    const lines: string[] = [];
    const rounds: Array<{ concurrency: number; delivery: number; noop: number; bare: number }> = [];
    const noops: number[] = [];
    const deliverQueue = get(JobQueue).queue('share.deliver');
    for (const concurrency of CONCURRENCIES) {
      // Shares written (and their jobs queued) with the queue paused, then drained by a worker that is
      // already up when the queue resumes: the clock measures delivery, not the worker's start.
      await deliverQueue.pause();
      const posts = await Promise.all(Array.from({ length: POSTS_PER_ROUND }, approvedPost));
      const before = await posted();
      let created = 0;
      for (const { actor, channels } of sharers) {
        for (const postId of posts) created += (await get(SharesService).share(actor, { postId, channelIds: channels })).length;
      }
      const config: AppConfig = withServiceUrls(
        { ...env.config, workerConcurrency: concurrency },
        { databaseUrl: env.config.databaseUrl!, redisUrl: env.config.redisUrl! },
      );
      const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
      await worker.init();
      const started = performance.now();
      await profiled(`delivery-${concurrency}`, async () => {
        await deliverQueue.resume();
        while ((await posted()) - before < created) await new Promise((r) => setTimeout(r, 50));
      });
      const delivery = created / ((performance.now() - started) / 1000);
      await worker.close();
      const noop = await bullNoop(env.config.redisUrl!, `${env.redisPrefix}:noop${concurrency}`, created, concurrency);
      noops.push(noop);
      // A floor for comparison: the same number of signed webhook POSTs to the same sink, and nothing else.
      const bare = await webhookPostsPerSecond(sink, created, concurrency);
      lines.push(
        `concurrency ${concurrency}: ${created} shares in ${round(created / delivery, 2)} s → ${round(delivery)} deliveries/s; bull no-op ${round(noop)} jobs/s; ratio ${round(delivery / noop, 2)}; bare webhook POSTs ${round(bare)}/s (ratio to bull no-op ${round(bare / noop, 2)})`,
      );
      rounds.push({ concurrency, delivery, noop, bare });
    }

    let databaseRate = 0;
    // The database's part alone: shares written with the queue paused, claimed and recorded straight
    // through the two functions a worker calls, then their jobs dropped.
    {
      await deliverQueue.pause();
      const posts = await Promise.all(Array.from({ length: POSTS_PER_ROUND }, approvedPost));
      const ids: string[] = [];
      for (const { actor, channels } of sharers) {
        for (const postId of posts) ids.push(...(await get(SharesService).share(actor, { postId, channelIds: channels })).map((s) => s.id));
      }
      const rate = await databaseAlone(transactions, get(ShareSettlement), ids, { lanes: 4, batch: 64 });
      databaseRate = rate;
      await deliverQueue.empty();
      await deliverQueue.resume();
      lines.push(
        `database alone (claim and record in batches of 64, 4 at a time): ${round(rate)} shares/s; ratio to bull no-op ${noops.map((n) => round(rate / n, 2)).join(' / ')} (concurrency ${CONCURRENCIES.join(' / ')})`,
      );
    }

    // Latency on an idle queue: one share at a time, from the sharePost transaction to POSTED.
    const worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(
        withServiceUrls({ ...env.config, workerConcurrency: 8 }, { databaseUrl: env.config.databaseUrl!, redisUrl: env.config.redisUrl! }),
      ),
      { logger: false },
    );
    await worker.init();
    const samples: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const postId =
        i % 20 === 0 || i === 0
          ? await approvedPost()
          : (await transactions.query<{ id: string }>(`SELECT id FROM posts ORDER BY created_at DESC LIMIT 1`))[0]!.id;
      const sharer = sharers[i % SHARERS]!;
      const [share] = await get(SharesService).share(sharer.actor, {
        postId,
        channelIds: [sharer.channels[Math.floor(i / SHARERS) % CHANNELS_PER_SHARER]!],
      });
      for (;;) {
        const [row] = await transactions.query<{ status: string; ms: number }>(
          `SELECT status, extract(epoch FROM posted_at - created_at) * 1000 AS ms FROM shares WHERE id = $1`,
          [share!.id],
        );
        if (row!.status === 'POSTED') {
          samples.push(Number(row!.ms));
          break;
        }
        if (row!.status === 'FAILED') throw new Error('a bench share failed');
        await new Promise((r) => setTimeout(r, 2));
      }
    }
    await worker.close();
    samples.sort((a, b) => a - b);
    const p = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
    const bounded = rounds.map((r) => ({ ...r, bound: 1 / (1 / databaseRate + 1 / r.bare + 1 / r.noop) }));
    for (const r of bounded) {
      lines.push(
        `concurrency ${r.concurrency}: bound ${round(r.bound)}/s (database, bare POST and Bull no-op one after the other); delivery / bound ${round(r.delivery / r.bound, 2)}`,
      );
    }
    const worst = bounded.reduce((a, b) => (b.delivery / b.bound < a.delivery / a.bound ? b : a));
    for (const line of lines) process.stdout.write(`${line}\n`);
    process.stdout.write(
      `delivery: ${round(worst.delivery)}/s, bound: ${round(worst.bound)}/s, ratio ${round(worst.delivery / worst.bound, 2)}, bull no-op: ${round(worst.noop)}/s, p50 ${round(p(0.5))} ms, p95 ${round(p(0.95))} ms\n`,
    );
  } finally {
    await app.close();
    await sink.close();
    await env.cleanup();
  }
}

/**
 * Shares per second through the database's part of delivery alone: `lanes`
 * loops, each claiming `batch` shares with shares_claim and recording them
 * posted with shares_record_posted, as the worker's batches do.
 */
async function databaseAlone(
  transactions: TransactionRunner,
  settlement: ShareSettlement,
  ids: string[],
  { lanes, batch }: { lanes: number; batch: number },
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < ids.length) {
        const chunk = ids.slice(next, (next += batch));
        const claimed = await transactions.atomic<{ id: string }>(`SELECT id FROM shares_claim($1::uuid[], $2::uuid[], 60, 0, 5)`, [
          chunk,
          chunk.map(() => randomUUID()),
        ]);
        if (claimed.length !== chunk.length) throw new Error(`claimed ${claimed.length} of ${chunk.length} shares`);
        const recorded = await settlement.recordPosted(
          chunk.map((shareId) => ({ shareId, result: { externalId: shareId, externalUrl: null } })),
        );
        if (recorded.some((done) => !done)) throw new Error('a share was not recorded');
      }
    }),
  );
  return ids.length / ((performance.now() - started) / 1000);
}

/** Jobs per second through a bare Bull queue whose processor does nothing, at the same concurrency. */
async function bullNoop(redisUrl: string, name: string, jobs: number, concurrency: number): Promise<number> {
  const queue = new Bull(name, redisUrl);
  await queue.addBulk(Array.from({ length: jobs }, (_, i) => ({ data: { i }, opts: { removeOnComplete: true } })));
  let done = 0;
  const finished = new Promise<void>((resolve) => queue.on('completed', () => ++done === jobs && resolve()));
  const started = performance.now();
  void queue.process(concurrency, async () => undefined);
  await finished;
  const rate = jobs / ((performance.now() - started) / 1000);
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  return rate;
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
    process.exit(1);
  },
);
