// The JavaScript a first visit to one page downloads before it can render, gzipped: the entry
// chunk from dist/index.html, its static imports, and the page's lazy chunk with its imports.
// Usage (after `npm run build:web`): node apps/web/scripts/measure-initial-js.mjs [page chunk name, default login-page]
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../dist');
const page = process.argv[2] ?? 'login-page';
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entry = /<script type="module"[^>]*src="\/([^"]+)"/.exec(html)?.[1];
if (!entry) throw new Error('No module script in dist/index.html: build first');
const pageChunk = readdirSync(join(dist, 'assets')).find((f) => f.startsWith(`${page}-`) && f.endsWith('.js'));
if (!pageChunk) throw new Error(`No chunk named ${page}-*.js in dist/assets`);

const seen = new Set();
function visit(file) {
  if (seen.has(file)) return;
  seen.add(file);
  const code = readFileSync(join(dist, file), 'utf8');
  // Static imports only: lazy pages are fetched when their route is visited.
  for (const match of code.matchAll(/(?:^|[;}\s])import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    visit(join(dirname(file), match[1]));
  }
}
visit(entry);
visit(join('assets', pageChunk));

let raw = 0;
let gzip = 0;
for (const file of [...seen].sort()) {
  const bytes = readFileSync(join(dist, file));
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzip += zipped;
  console.log(`${(zipped / 1024).toFixed(2).padStart(8)} kB gz  ${file}`);
}
console.log(
  `${(gzip / 1024).toFixed(2).padStart(8)} kB gz  total initial JS for ${page} (${(raw / 1024).toFixed(1)} kB raw, ${seen.size} files)`,
);
