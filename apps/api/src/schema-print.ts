import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchemaFromCode, renderSchema } from './graphql/schema-printer.js';

/**
 * `npm run schema:print` writes apps/api/schema.graphql; with `--check` it only
 * tells whether the committed file is stale (exit 1 if it is).
 */
async function main(): Promise<void> {
  const target = resolve(process.cwd(), 'apps/api/schema.graphql');
  const text = renderSchema(await buildSchemaFromCode());
  if (process.argv.includes('--check')) {
    if (readIfPresent(target) !== text) {
      process.stderr.write('apps/api/schema.graphql is stale: run `npm run schema:print` and commit it.\n');
      process.exit(1);
    }
    process.stdout.write('apps/api/schema.graphql is up to date.\n');
    return;
  }
  // Left untouched when unchanged: the web client's build reads it and rebuilds when it changes.
  if (readIfPresent(target) === text) return;
  writeFileSync(target, text);
  process.stdout.write(`Wrote ${target}\n`);
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

void main();
