import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

const made: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sharepool-config-'));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const messageOf = (env: Record<string, string>) => {
  try {
    loadConfig({ DATA_DIR: dataDir(), ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
};

describe('configuration', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({ DATA_DIR: dataDir() });
    expect(config).toMatchObject({ port: 3000, env: 'development', signupGrant: 100, outboundAllowPrivate: false, logLevel: 'info' });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('names the variable and the rule when a value is bad', () => {
    expect(messageOf({ PORT: 'eighty' })).toBe('PORT must be an integer between 0 and 65535 (got "eighty")');
    expect(messageOf({ DATABASE_URL: 'mysql://x' })).toMatch(/^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(messageOf({ OUTBOUND_ALLOW_PRIVATE: 'maybe' })).toMatch(/^OUTBOUND_ALLOW_PRIVATE must be true or false/);
    expect(messageOf({ SIGNUP_GRANT: '-1' })).toMatch(/^SIGNUP_GRANT must be an integer between 0/);
  });

  it('never echoes a secret in its message', () => {
    expect(messageOf({ JWT_SECRET: 'short-secret' })).toBe('JWT_SECRET must be at least 32 characters');
  });

  it('requires every secret in production', () => {
    expect(messageOf({ NODE_ENV: 'production' })).toBe('JWT_SECRET must be set when NODE_ENV=production');
  });

  it('generates missing secrets once, with mode 0600, and reuses them', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(second.encryptionKeys[0]!.key.equals(first.encryptionKeys[0]!.key)).toBe(true);
    const file = join(dir, 'secrets', 'JWT_SECRET');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.jwtSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('reads a keyring of versioned encryption keys, newest first', () => {
    const k2 = Buffer.alloc(32, 2).toString('base64');
    const k1 = Buffer.alloc(32, 1).toString('base64');
    const config = loadConfig({ DATA_DIR: dataDir(), ENCRYPTION_KEY: `2:${k2},1:${k1}` });
    expect(config.encryptionKeys.map((k) => k.version)).toEqual([2, 1]);
    expect(messageOf({ ENCRYPTION_KEY: 'dG9vIHNob3J0' })).toMatch(/^ENCRYPTION_KEY key #1 must be 32 bytes/);
  });
});
