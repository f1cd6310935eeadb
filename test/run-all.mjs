// `npm test`: the Jest suites (libs, apps, end-to-end on real Postgres and Redis), then the web
// client's Vitest suites. With arguments, only Jest runs, with those arguments (`npm test -- test/sharing`).
// Each writes its JSON results under .ci/; the last line is "N passed, N failed" over both.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
mkdirSync('.ci', { recursive: true });
// Absolute: Vitest resolves relative paths against its root, apps/web.
const results = { jest: resolve('.ci/jest-results.json'), vitest: resolve('.ci/vitest-results.json') };
for (const file of Object.values(results)) rmSync(file, { force: true });

const run = (command, commandArgs) => spawnSync(command, commandArgs, { stdio: 'inherit', env: process.env }).status ?? 1;

const jestStatus = run(process.execPath, [
  '--experimental-vm-modules',
  'node_modules/jest/bin/jest.js',
  ...(args.length ? args : ['--json', `--outputFile=${results.jest}`]),
]);
if (args.length) process.exit(jestStatus);
const vitestStatus = run(process.execPath, [
  'node_modules/vitest/vitest.mjs',
  'run',
  '--config',
  'apps/web/vite.config.ts',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${results.vitest}`,
]);

let passed = 0;
let failed = 0;
for (const [name, file] of Object.entries(results)) {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  } catch {
    console.error(`no ${name} results in ${file}`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(jestStatus || vitestStatus || (failed ? 1 : 0));
