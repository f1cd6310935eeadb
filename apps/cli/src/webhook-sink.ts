/**
 * The webhook sink as its own process, for tests that must not share the
 * sender's process (chaos, load). After `npx tsc -p tsconfig.json`:
 *
 *   node dist/apps/cli/src/webhook-sink.js --secret <s> [--secret <s2>] [--port 0] [--no-record]
 *
 * Prints one JSON line `{"url":"http://127.0.0.1:<port>"}` once listening, then
 * serves until SIGTERM/SIGINT. Steer and read it with connectWebhookSink(url).
 */
import { parseArgs } from 'node:util';
import { startWebhookSink } from '@sharepool/testing/fakes';

const { values } = parseArgs({
  options: {
    secret: { type: 'string', multiple: true, default: [] },
    port: { type: 'string', default: '0' },
    'no-record': { type: 'boolean', default: false },
  },
});

const sink = await startWebhookSink({ secrets: values.secret, port: Number(values.port), record: !values['no-record'] });
process.stdout.write(`${JSON.stringify({ url: sink.url })}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void sink.close().then(() => process.exit(0));
  });
}
