// A load generator in its own process, so the server under test keeps the
// machine's cores to itself as much as two cores allow. Sends one GraphQL
// request over and over from `concurrency` clients for `seconds`, then prints
// one JSON line: { requests, errors, rps, p50, p95, p99 } (latencies in ms).
// Usage: node load-client.mjs <url> <concurrency> <seconds> <json body> [bearer token]
import { Agent, request } from 'undici';

const [url, concurrencyArg, secondsArg, body, token] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const deadline = performance.now() + Number(secondsArg) * 1000;
const agent = new Agent({ connections: concurrency, pipelining: 1 });
const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
const latencies = [];
let errors = 0;

async function client() {
  while (performance.now() < deadline) {
    const started = performance.now();
    try {
      const res = await request(url, { method: 'POST', headers, body, dispatcher: agent });
      const text = await res.body.text();
      if (res.statusCode !== 200 || text.includes('"errors"')) errors++;
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
