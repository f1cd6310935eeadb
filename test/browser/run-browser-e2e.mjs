// `npm run test:browser`: the web client in Debian's Chromium against the real API and worker.
// Builds apps/web when its dist is missing or older than its sources, then runs the journey
// (TypeScript, compiled in memory by test/support/ts-loader.mjs). Prints each step, the
// screenshots' folder and, last, one JSON line {"browserTests":{"passed":N,"failed":M}};
// under CI it also writes that to .ci/browser-results.json. Exits 1 if any step failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// Output piped into a reader that quits early (| head) must not end the run before it cleans up.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
});

const root = fileURLToPath(new URL('../..', import.meta.url));
// The API serves the client from apps/web/dist relative to the working directory.
process.chdir(root);

const WEB_SOURCES = [
  'apps/web/src',
  'apps/web/index.html',
  'apps/web/graphiql.html',
  'apps/web/vite.config.ts',
  'apps/web/tsconfig.json',
  'apps/api/schema.graphql',
];

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stat.mtimeMs);
}

function report(summary) {
  const line = JSON.stringify({ browserTests: { passed: summary.passed, failed: summary.failed } });
  if (process.env.CI) {
    mkdirSync('.ci', { recursive: true });
    writeFileSync('.ci/browser-results.json', `${line}\n`);
  }
  console.log(line);
}

const builtAt = existsSync('apps/web/dist/index.html') ? statSync('apps/web/dist/index.html').mtimeMs : 0;
if (builtAt < Math.max(...WEB_SOURCES.map(newestChange))) {
  console.log(builtAt ? 'The web client is older than its sources: npm run build:web' : 'The web client is not built: npm run build:web');
  const build = spawnSync('npm', ['run', 'build:web'], { stdio: 'inherit' });
  if (build.status !== 0) {
    console.log('✗ the web client did not build');
    report({ passed: 0, failed: 1 });
    process.exit(1);
  }
}

await import('../support/ts-loader.mjs');
const { runBrowserEndToEnd, CHROMIUM_PATH } = await import('./browser-e2e.js');

if (!existsSync(CHROMIUM_PATH)) {
  console.log(`✗ no Chromium at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium)`);
  report({ passed: 0, failed: 1 });
  process.exit(1);
}

console.log('Browser end-to-end: Sharepool web client in Chromium, real API and worker');
let result;
try {
  result = await runBrowserEndToEnd(root);
} catch (error) {
  // The runner catches its steps' failures; only a defect of the runner itself lands here.
  console.log(`✗ the browser run broke: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  report({ passed: 0, failed: 1 });
  process.exit(1);
}

const seconds = (result.ms / 1000).toFixed(1);
const notRun = result.notRun ? ` (${result.notRun} not run)` : '';
console.log(`\n${result.passed} passed, ${result.failed} failed${notRun} in ${seconds} s`);
console.log(`${result.screenshots.length} screenshots in ${relative(root, join(root, 'test-results', 'screenshots'))}/`);
report(result);
// Library handles (Redis, pg pools) are closed by now; exit without waiting on stray timers.
process.exit(result.failed === 0 ? 0 : 1);
