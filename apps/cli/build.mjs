// `npm run build` and the build half of `npm start`: compile the server, print the served
// schema, build the web client — each step only when something it reads changed since it last
// succeeded (or always, with --all). A step's inputs are fingerprinted by path, size and
// modification time; the fingerprints live in dist/.build-state.json.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const STATE_FILE = join(root, 'dist', '.build-state.json');
const force = process.argv.includes('--all');
const SKIP = new Set(['node_modules', 'dist', '.git', '.data', 'coverage']);

const STEPS = [
  {
    name: 'server',
    inputs: [
      'apps/api/src',
      'apps/worker/src',
      'apps/cli/src',
      'libs',
      'migrations',
      'tsconfig.json',
      'tsconfig.build.json',
      'package-lock.json',
    ],
    outputs: ['dist/apps/api/src/main.js'],
    run: () => run('npx', ['tsc', '-p', 'tsconfig.build.json']),
  },
  {
    name: 'schema',
    inputs: ['dist/apps', 'dist/libs'],
    outputs: ['apps/api/schema.graphql'],
    run: () => run(process.execPath, ['dist/apps/api/src/schema-print.js']),
  },
  {
    name: 'web client',
    inputs: [
      'apps/web/src',
      'apps/web/index.html',
      'apps/web/graphiql.html',
      'apps/web/vite.config.ts',
      'apps/web/tsconfig.json',
      'apps/api/schema.graphql',
      'package-lock.json',
    ],
    outputs: ['apps/web/dist/index.html'],
    run: () => run('npm', ['run', '--silent', 'build:web']),
  },
];

function run(command, args) {
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return status === 0;
}

/** Every file under `paths`, with its size and modification time, hashed. */
function fingerprint(paths) {
  const hash = createHash('sha256');
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) if (!SKIP.has(entry) && !entry.startsWith('.tsbuildinfo')) visit(join(path, entry));
    } else {
      hash.update(`${relative(root, path)}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  };
  for (const path of paths) visit(join(root, path));
  return hash.digest('hex');
}

const state = existsSync(STATE_FILE) ? JSON.parse(readFileSync(STATE_FILE, 'utf8')) : {};
const save = () => {
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
};

for (const step of STEPS) {
  const before = fingerprint(step.inputs);
  const built = step.outputs.every((output) => existsSync(join(root, output)));
  if (!force && built && state[step.name] === before) continue;
  const started = Date.now();
  process.stdout.write(`Building the ${step.name}…\n`);
  if (!step.run()) {
    delete state[step.name];
    save();
    process.stderr.write(`The ${step.name} did not build: see the errors above.\n`);
    process.exit(1);
  }
  // Inputs are read again: a step may rewrite one of them (the schema step writes what the web client reads).
  state[step.name] = fingerprint(step.inputs);
  save();
  process.stdout.write(`Built the ${step.name} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
