// The lint rule that keeps the dependency graph honest. Each lib declares the libs it uses in its
// package.json (`dependencies`; `devDependencies` for what only its tests use); the declared graph
// must be acyclic, and every import must follow it:
//   - another lib only through its package name (`@sharepool/<lib>`, or a subpath it exports),
//     never through a relative path into its files;
//   - a lib only imports libs it declares (so never "upward", since the graph has no cycle);
//   - libs never import apps; an app never reaches into another app.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const PREFIX = '@sharepool/';

/** name → { dir, deps, devDeps, exports } for every workspace package. */
function readPackages() {
  const packages = new Map();
  const dirs = readdirSync(join(root, 'libs')).map((d) => join('libs', d));
  dirs.push('migrations');
  for (const dir of dirs) {
    const file = join(root, dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    packages.set(pkg.name, {
      dir,
      deps: Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith(PREFIX)),
      devDeps: Object.keys(pkg.devDependencies ?? {}).filter((d) => d.startsWith(PREFIX)),
      exports: Object.keys(pkg.exports ?? { '.': null }),
    });
  }
  return packages;
}

/** The first cycle among the declared runtime dependencies, as a list of names, or null. */
function findCycle(packages) {
  const state = new Map();
  const stack = [];
  const visit = (name) => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'open') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'open');
    stack.push(name);
    for (const dep of packages.get(name)?.deps ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const name of packages.keys()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return null;
}

const packages = readPackages();
const cycle = findCycle(packages);
if (cycle) throw new Error(`The libraries' declared dependencies form a cycle: ${cycle.join(' → ')}`);

/** Which package or app a repository-relative path belongs to. */
function ownerOf(path) {
  const parts = path.split(sep);
  if (parts[0] === 'libs' && parts.length > 1) return { kind: 'lib', name: `${PREFIX}${parts[1]}`, dir: join('libs', parts[1]) };
  if (parts[0] === 'migrations') return { kind: 'lib', name: `${PREFIX}migrations`, dir: 'migrations' };
  if (parts[0] === 'apps' && parts.length > 1) return { kind: 'app', name: parts[1], dir: join('apps', parts[1]) };
  return { kind: 'harness', name: parts[0], dir: parts[0] };
}

const isTestFile = (path) => /\.(spec|e2e-spec|chaos-spec)\.ts$/.test(path);

const libBoundaries = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const file = relative(root, context.filename);
    const owner = ownerOf(file);
    const check = (node, specifier) => {
      if (typeof specifier !== 'string') return;
      if (specifier.startsWith('.')) {
        const target = relative(root, resolve(dirname(context.filename), specifier));
        const to = ownerOf(target);
        if (to.dir === owner.dir) return;
        if (to.kind === 'lib') {
          context.report({ node, message: `Import ${to.name} by its name, not a path into its files (${specifier}).` });
        } else if (to.kind === 'app' && owner.kind !== 'harness') {
          context.report({
            node,
            message: `${owner.kind === 'lib' ? 'Libraries' : 'An app'} may not import another app's files (${specifier}).`,
          });
        }
        return;
      }
      if (!specifier.startsWith(PREFIX)) return;
      const [scope, bare, ...rest] = specifier.split('/');
      const name = `${scope}/${bare}`;
      const target = packages.get(name);
      if (!target) return context.report({ node, message: `No workspace package ${name}.` });
      const subpath = rest.length ? `./${rest.join('/')}` : '.';
      if (!target.exports.includes(subpath)) {
        return context.report({ node, message: `${specifier} reaches into ${name}: import what its index exports.` });
      }
      if (owner.kind !== 'lib') return;
      if (name === owner.name) return context.report({ node, message: `A lib imports its own files by relative path, not as ${name}.` });
      const own = packages.get(owner.name);
      const allowed = isTestFile(file) ? [...own.deps, ...own.devDeps] : own.deps;
      if (!allowed.includes(name)) {
        context.report({
          node,
          message: `${owner.name} does not declare ${name}: add it to ${own.dir}/package.json if the dependency belongs (the graph must stay acyclic), or move the code.`,
        });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export const boundariesPlugin = { rules: { 'lib-boundaries': libBoundaries } };
