/**
 * `npm run bench:live`: 1,000 members subscribed to `shareUpdated` over
 * WebSocket, half on each of two API processes (`node dist/apps/api/src/main.js`),
 * while a worker process delivers one share of each of them to a local webhook
 * sink. Reports:
 * - events/s delivered to subscribers (POSTED updates received) against shares
 *   posted/s in the database, over their own windows: every share is seen by
 *   its sharer, so the ratio is 1.0 when the subscribers keep up;
 * - p95 from POSTED in the database (the share's posted_at) to the client;
 * - the API processes' memory per idle connection (resident memory grown by
 *   500 connections with one subscription each, per process).
 * Last line: `live: <x> events/s, shares: <y>/s, ratio <x/y>, p95 <a> ms, <b> kB per connection`.
 */
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createApiApp } from '../apps/api/src/create-api-app.js';
import { AccessTokens, AuthService, PasswordHasher } from '@sharepool/auth';
import { ChannelsService } from '@sharepool/channels';
import { PostsService } from '@sharepool/content';
import { TransactionRunner } from '@sharepool/database';
import { ANONYMOUS, type MemberActor } from '@sharepool/kernel';
import { LedgerStatementService } from '@sharepool/ledger';
import { MembersService, NichesService } from '@sharepool/members';
import { ModerationService } from '@sharepool/moderation';
import { createLogger } from '@sharepool/observability';
import { SharesService } from '@sharepool/sharing';
import { createTestEnvironment, TEST_SECRETS } from '@sharepool/testing';
import { percentile, round } from './support/load.js';
import { startSinkProcess } from './support/sink-process.js';

const SUBSCRIBERS = 1_000;
const APIS = 2;
const METRICS_TOKEN = 'bench-metrics-token-bench-metrics-token-0';
// Compiled to dist/bench, beside dist/apps.
const API_MAIN = fileURLToPath(new URL('../apps/api/src/main.js', import.meta.url));
const WORKER_MAIN = fileURLToPath(new URL('../apps/worker/src/main.js', import.meta.url));

interface Child {
  readonly process: ChildProcess;
  readonly url: string;
}

/** Starts `main` with `env` and resolves once its output matches `ready` (its first group: the port, if any). */
async function startChild(main: string, env: Record<string, string>, ready: RegExp): Promise<Child> {
  const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${main} did not start:\n${output.slice(-3000)}`)), 120_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', read);
      child.stdout!.resume();
      resolve({ process: child, url: match[1] ? `http://127.0.0.1:${match[1]}` : '' });
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`${main} exited (${code}):\n${output.slice(-3000)}`)));
  });
}

/** Resident memory of a process, in kB. */
function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

/** A metric's value from an API's /metrics. */
async function metric(api: Child, name: string): Promise<number> {
  const text = await (await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const env = await createTestEnvironment({ CHANNEL_MIN_INTERVAL_SECONDS: '0', DAILY_SHARE_CAP: '10000', LOG_LEVEL: 'error' });
  const shared = {
    DATABASE_URL: env.config.databaseUrl!,
    REDIS_URL: env.config.redisUrl!,
    QUEUE_PREFIX: env.config.queuePrefix,
    LOG_LEVEL: 'error',
    CHANNEL_MIN_INTERVAL_SECONDS: '0',
    ...TEST_SECRETS,
  };
  const sink = await startSinkProcess();
  const children: Child[] = [];
  const app = await createApiApp(env.config, createLogger('error', 'bench'));
  const get = <T>(type: abstract new (...args: never[]) => T) => app.get(type as never) as T;
  const clients: Array<ReturnType<typeof createClient>> = [];
  try {
    // Two API processes as in production, and a worker.
    for (let i = 0; i < APIS; i++) {
      children.push(
        await startChild(
          API_MAIN,
          {
            ...shared,
            NODE_ENV: 'production',
            PORT: '0',
            HOST: '127.0.0.1',
            METRICS_TOKEN,
            PUBLIC_URL: 'http://127.0.0.1',
            EMAIL_VERIFICATION: 'off',
            DATA_DIR: `${env.config.dataDir}/api${i}`,
            LIVE_MAX_CONNECTIONS: String(SUBSCRIBERS),
          },
          /GraphQL {3}http:\/\/localhost:(\d+)\/graphql/,
        ),
      );
    }
    const apis = [...children];

    // Members: an author, and 1,000 sharers with a webhook channel each (one password hash for all).
    const admin = (await get(AuthService).login(ANONYMOUS, { email: env.config.adminEmail!, password: env.config.adminPassword! }, 'bench'))
      .actor;
    const niche = await get(NichesService).create(admin, { slug: 'live-bench', name: 'Live bench' });
    const passwordHash = await get(PasswordHasher).hash('bench passphrase 1234');
    const enrol = async (handle: string): Promise<MemberActor> => {
      const member = await get(TransactionRunner).run((tx) =>
        get(MembersService).enrol(tx, { email: `${handle}@bench.test`, handle, displayName: handle, passwordHash }),
      );
      return { kind: 'member', memberId: member.id, role: 'MEMBER', scopes: null, apiKeyId: null };
    };
    const author = await enrol('live_author');
    await get(LedgerStatementService).adjust(admin, { memberId: author.memberId, amount: 100_000, reason: 'bench budget' });
    const post = await get(PostsService).submit(author, {
      url: 'https://bench.example.com/live',
      nicheId: niche.id,
      title: 'Live bench post',
      creditsPerShare: 1,
      budget: 10_000,
    });
    await get(ModerationService).moderate(admin, { postId: post.id, action: 'APPROVE' });
    const sharers: Array<{ actor: MemberActor; channel: string; token: string }> = [];
    for (let s = 0; s < SUBSCRIBERS; s++) {
      const actor = await enrol(`live_sharer_${s}`);
      const { channel, signingSecret } = await get(ChannelsService).connect(actor, {
        network: 'WEBHOOK',
        handle: `hook${s}`,
        webhookUrl: sink.hookUrl(`live-${s}`),
      });
      await sink.acceptSecret(signingSecret!);
      sharers.push({ actor, channel: channel.id, token: get(AccessTokens).issue(actor.memberId).token });
    }

    // The API processes' memory before and after their subscribers connect (and sit idle).
    await sleep(2_000);
    const before = apis.map((api) => rssKb(api.process.pid!));
    const received: Array<{ postedAt: number; at: number }> = [];
    let events = 0;
    for (const [s, sharer] of sharers.entries()) {
      const client = createClient({
        url: `${apis[s % APIS]!.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${sharer.token}` },
        onNonLazyError: () => undefined,
      });
      clients.push(client);
      client.subscribe<{ shareUpdated: { status: string; postedAt: string | null } }>(
        { query: 'subscription { shareUpdated { id status postedAt } }' },
        {
          next: ({ data }) => {
            events++;
            if (data?.shareUpdated.status === 'POSTED')
              received.push({ postedAt: Date.parse(data.shareUpdated.postedAt!), at: Date.now() });
          },
          error: (error) => console.error('a subscription failed', error),
          complete: () => undefined,
        },
      );
    }
    for (;;) {
      const open = (await Promise.all(apis.map((api) => metric(api, 'sharepool_live_subscriptions')))).reduce((a, b) => a + b, 0);
      if (open >= SUBSCRIBERS) break;
      await sleep(200);
    }
    await sleep(3_000);
    const after = apis.map((api) => rssKb(api.process.pid!));
    const perConnectionKb = apis.reduce((sum, _api, i) => sum + (after[i]! - before[i]!), 0) / SUBSCRIBERS;

    // Each sharer shares the post once, all falling due together; a worker delivers them.
    const due = new Date(Date.now() + 30_000);
    for (const { actor, channel } of sharers)
      await get(SharesService).share(actor, { postId: post.id, channelIds: [channel], scheduledFor: due });
    children.push(
      await startChild(
        WORKER_MAIN,
        { ...shared, NODE_ENV: 'test', LOG_LEVEL: 'info', OUTBOUND_ALLOW_PRIVATE: 'true', WORKER_CONCURRENCY: '32' },
        /()Sharepool worker running/,
      ),
    );
    const transactions = get(TransactionRunner);
    const posted = async () =>
      Number((await transactions.query<{ n: number }>(`SELECT count(*) AS n FROM shares WHERE status = 'POSTED'`))[0]!.n);
    const deadline = Date.now() + 300_000;
    while ((await posted()) < SUBSCRIBERS && Date.now() < deadline) await sleep(200);
    const settled = Date.now() + 10_000;
    while (received.length < SUBSCRIBERS && Date.now() < settled) await sleep(100);

    const [window] = await transactions.query<{ first: Date; last: Date; n: number }>(
      `SELECT min(posted_at) AS first, max(posted_at) AS last, count(*)::int AS n FROM shares WHERE status = 'POSTED'`,
    );
    const sharesPerSecond = window!.n / Math.max(0.001, (window!.last.getTime() - window!.first.getTime()) / 1000);
    const arrivals = received.map((r) => r.at).sort((a, b) => a - b);
    const eventsPerSecond = received.length / Math.max(0.001, (arrivals[arrivals.length - 1]! - arrivals[0]!) / 1000);
    const latencies = received.map((r) => r.at - r.postedAt).sort((a, b) => a - b);
    const ratio = (eventsPerSecond / sharesPerSecond) * (received.length / window!.n);
    process.stdout.write(
      [
        `subscribers: ${SUBSCRIBERS} on ${APIS} API processes; shares posted: ${window!.n}; POSTED updates received: ${received.length}; all updates received: ${events}`,
        `latency POSTED → client: p50 ${round(percentile(latencies, 50))} ms, p95 ${round(percentile(latencies, 95))} ms, max ${round(latencies[latencies.length - 1] ?? 0)} ms`,
        `memory: ${before.map((b, i) => `API ${i + 1} ${Math.round(b / 1024)} → ${Math.round(after[i]! / 1024)} MB`).join(', ')}`,
        `live: ${round(eventsPerSecond)} events/s, shares: ${round(sharesPerSecond)}/s, ratio ${round(ratio, 2)}, p95 ${round(percentile(latencies, 95))} ms, ${round(perConnectionKb, 1)} kB per connection`,
      ].join('\n') + '\n',
    );
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    for (const child of children) child.process.kill('SIGTERM');
    await Promise.all(
      children.map((c) => new Promise((resolve) => (c.process.exitCode !== null ? resolve(null) : c.process.once('exit', resolve)))),
    );
    await app.close();
    await sink.close();
    await env.cleanup();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
