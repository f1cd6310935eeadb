import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { newWebhookSecret, signWebhook } from '@sharepool/channels';
import { connectWebhookSink } from '@sharepool/testing/fakes';

// Compiled to dist/bench/support, beside dist/libs.
const SINK = fileURLToPath(new URL('../../apps/cli/src/webhook-sink.js', import.meta.url));

export type SinkProcess = Awaited<ReturnType<typeof startSinkProcess>>;

/** The webhook sink in a child process (not recording requests), steered over its /_sink/ API. */
export async function startSinkProcess() {
  const child = spawn(process.execPath, [SINK, '--no-record'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  if (first.done) throw new Error('the webhook sink process exited before it was listening');
  const { url } = JSON.parse(first.value as string) as { url: string };
  return {
    ...connectWebhookSink(url),
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/**
 * Signed webhook deliveries per second to the sink from `concurrency` callers
 * on pooled connections, with nothing else around them: what one delivery's
 * HTTP exchange costs on this machine.
 */
export async function webhookPostsPerSecond(sink: SinkProcess, total: number, concurrency: number): Promise<number> {
  const secret = newWebhookSecret();
  await sink.acceptSecret(secret);
  const agent = new Agent({ connections: concurrency });
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, caller) => {
      while (sent < total) {
        sent++;
        const deliveryId = randomUUID();
        const body = JSON.stringify({
          deliveryId,
          shareId: deliveryId,
          post: { id: deliveryId, url: 'https://bench.example.com/', title: 'Bench post' },
          message: 'Bench post https://bench.example.com/',
          sharer: { handle: 'bench' },
          postedAt: new Date().toISOString(),
        });
        const timestamp = Math.floor(Date.now() / 1000);
        const response = await request(sink.hookUrl(`bare-${caller}`), {
          method: 'POST',
          dispatcher: agent,
          body,
          headers: {
            'content-type': 'application/json',
            'webhook-id': deliveryId,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(deliveryId, timestamp, body, secret),
          },
        });
        await response.body.text();
        if (response.statusCode !== 200) throw new Error(`the sink answered ${response.statusCode}`);
      }
    }),
  );
  const rate = total / ((performance.now() - started) / 1000);
  await agent.close();
  return rate;
}
