// A GET load generator in its own process (see load-client.mjs): `concurrency`
// clients request the paths of a file (one per line) in turn for `seconds`, each
// request from a visitor of its own (X-Forwarded-For, as a proxy on loopback
// sends it), and count an answer of any other status than `expected` as an error.
// Prints one JSON line: { requests, errors, rps, p50, p95, p99 } (latencies in ms).
// Usage: node get-load-client.mjs <base url> <concurrency> <seconds> <paths file> <expected status> [first visitor number]
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';

const [base, concurrencyArg, secondsArg, pathsFile, expectedArg, firstVisitorArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const expected = Number(expectedArg);
const paths = readFileSync(pathsFile, 'utf8').split('\n').filter(Boolean);
const deadline = performance.now() + Number(secondsArg) * 1000;
const agent = new Agent({ connections: concurrency, pipelining: 1 });
const userAgent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const latencies = [];
let errors = 0;
let sent = 0;
const firstVisitor = Number(firstVisitorArg ?? 0);

async function client() {
  while (performance.now() < deadline) {
    const n = sent++;
    const v = firstVisitor + n;
    const visitor = `10.${(v >> 16) & 255}.${(v >> 8) & 255}.${v & 255}`;
    const started = performance.now();
    try {
      const res = await request(`${base}${paths[n % paths.length]}`, {
        method: 'GET',
        headers: { 'user-agent': userAgent, 'x-forwarded-for': visitor },
        dispatcher: agent,
      });
      await res.body.dump();
      if (res.statusCode !== expected) errors++;
    } catch {
      errors++;
    }
    latencies.push(performance.now() - started);
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, client));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
process.stdout.write(
  `${JSON.stringify({ requests: latencies.length, errors, rps: latencies.length / elapsed, p50: at(0.5), p95: at(0.95), p99: at(0.99) })}\n`,
);
await agent.close();
