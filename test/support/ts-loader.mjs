// Runs the TypeScript sources directly outside Jest, e.g. a child process a crash
// test spawns and kills: `node --import ./test/support/ts-loader.mjs path/to/entry.ts`.
// `./x.js` imports resolve to `./x.ts` when that exists (the sources import what tsc
// will emit), and .ts/.mts files are compiled in memory by SWC with the options of
// jest.config.js (legacy decorators with their metadata, as Nest needs), with
// inline source maps so stack traces point into the sources. Nothing is cached on disk.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

// Loaded once with --import (registers the hooks) and once more as the hooks
// module itself, under this query string, where it must not register again.
const HOOKS_QUERY = '?ts-loader-hooks';
if (!import.meta.url.endsWith(HOOKS_QUERY)) {
  register(`${import.meta.url}${HOOKS_QUERY}`);
  process.setSourceMapsEnabled(true);
}

const SWC_OPTIONS = {
  swcrc: false,
  configFile: false,
  isModule: true,
  sourceMaps: 'inline',
  module: { type: 'es6' },
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
};

const TS_FOR_JS = { '.js': '.ts', '.mjs': '.mts' };
let swc;

function isPathSpecifier(specifier) {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || specifier.startsWith('file:');
}

export async function resolve(specifier, context, nextResolve) {
  const jsExtension = specifier.match(/\.m?js$/)?.[0];
  if (jsExtension && isPathSpecifier(specifier) && context.parentURL?.startsWith('file:')) {
    const candidate = new URL(specifier.slice(0, -jsExtension.length) + TS_FOR_JS[jsExtension], context.parentURL);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, format: 'module', shortCircuit: true };
  }
  // The workspace libraries (@sharepool/*) export their sources under the "source" condition.
  return nextResolve(specifier, { ...context, conditions: ['source', ...(context.conditions ?? [])] });
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !/\.m?ts$/.test(new URL(url).pathname)) return nextLoad(url, context);
  const filename = fileURLToPath(url);
  swc ??= await import('@swc/core');
  const { code } = await swc.transform(await readFile(filename, 'utf8'), { ...SWC_OPTIONS, filename });
  return { format: 'module', source: code, shortCircuit: true };
}
