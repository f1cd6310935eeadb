import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

  it('takes the trust levels from one table, which TRUST_RULES changes in part, and names what is wrong with it', () => {
    const defaults = loadConfig({ DATA_DIR: dataDir() }).trustRules;
    expect(defaults.levels.map((l) => [l.level, l.privileges.sharesPerDay, l.privileges.maxCreditsPerShare])).toEqual([
      ['NEW', 10, 10],
      ['BASIC', 20, 25],
      ['MEMBER', 30, 50],
      ['TRUSTED', 40, 100],
      ['LEADER', 50, 100],
    ]);
    expect(defaults.demotionGraceDays).toBe(14);
    const changed = loadConfig({
      DATA_DIR: dataDir(),
      TRUST_RULES: '{"levels":{"NEW":{"privileges":{"sharesPerDay":5}},"BASIC":{"requirements":[{"measure":"postedShares","atLeast":1}]}}}',
    }).trustRules;
    expect(changed.levels[0]!.privileges).toEqual({ ...defaults.levels[0]!.privileges, sharesPerDay: 5 });
    expect(changed.levels[1]!.requirements).toEqual([{ measure: 'postedShares', atLeast: 1 }]);
    expect(changed.levels[2]).toEqual(defaults.levels[2]);
    expect(messageOf({ TRUST_RULES: '{levels' })).toBe('TRUST_RULES must be JSON');
    expect(messageOf({ TRUST_RULES: '{"levels":{"NEW":{"privileges":{"maxCreditsPerShare":500}}}}' })).toMatch(
      /^TRUST_RULES levels\.NEW\.privileges\.maxCreditsPerShare: /,
    );
    expect(messageOf({ TRUST_RULES: '{"levels":{"LEADER":{"requirements":[]}}}' })).toMatch(/LEADER/);
  });

  it('never echoes a secret in its message', () => {
    expect(messageOf({ JWT_SECRET: 'short-secret' })).toBe('JWT_SECRET must be at least 32 characters');
  });

  it('refuses OUTBOUND_ALLOW_PRIVATE=true in production, in one line', () => {
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'j'.repeat(32),
      ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      API_KEY_PEPPER: 'p'.repeat(32),
      PUBLIC_URL: 'https://sharepool.example',
    };
    const message = messageOf({ ...production, OUTBOUND_ALLOW_PRIVATE: 'true' });
    expect(message).toMatch(/^OUTBOUND_ALLOW_PRIVATE must not be true when NODE_ENV=production/);
    expect(message).not.toContain('\n');
    expect(loadConfig({ DATA_DIR: dataDir(), ...production }).outboundAllowPrivate).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir(), OUTBOUND_ALLOW_PRIVATE: 'true' }).outboundAllowPrivate).toBe(true);
  });

  it('reads TRUST_PROXY as Express takes it, loopback by default', () => {
    const trust = (value?: string) =>
      loadConfig({ DATA_DIR: dataDir(), ...(value === undefined ? {} : { TRUST_PROXY: value }) }).trustProxy;
    expect(trust()).toEqual(['loopback']);
    expect(trust('false')).toBe(false);
    expect(trust('2')).toBe(2);
    expect(trust('loopback, 10.0.0.0/8,192.0.2.1')).toEqual(['loopback', '10.0.0.0/8', '192.0.2.1']);
    expect(messageOf({ TRUST_PROXY: 'everyone' })).toMatch(/^TRUST_PROXY must be true, false, a number of hops/);
    expect(messageOf({ TRUST_PROXY: '10.0.0.0/99' })).toMatch(/^TRUST_PROXY must be/);
  });

  it('checks the metrics and registration settings', () => {
    const config = loadConfig({ DATA_DIR: dataDir() });
    expect(config).toMatchObject({ metricsPort: 0, metricsToken: undefined, registrationsPerAddressPerHour: 10 });
    expect(config).toMatchObject({ graphqlIntrospection: true, graphqlSuggestions: true });
    expect(messageOf({ METRICS_TOKEN: 'short' })).toBe('METRICS_TOKEN must be at least 32 characters');
    expect(messageOf({ METRICS_PORT: '3000' })).toBe('METRICS_PORT must differ from PORT');
    expect(messageOf({ REGISTRATIONS_PER_ADDRESS_PER_HOUR: '0' })).toMatch(/^REGISTRATIONS_PER_ADDRESS_PER_HOUR must be an integer/);
  });

  it('reads the mail, live and limiter settings: verification required in production or with a mail server', () => {
    const plain = loadConfig({ DATA_DIR: dataDir() });
    expect(plain).toMatchObject({
      publicUrl: 'http://localhost:3000',
      smtpUrl: undefined,
      emailVerificationRequired: false,
      liveMaxConnections: 1000,
    });
    expect(plain.mailFrom).toBe('Sharepool <no-reply@sharepool.local>');
    const smtp = loadConfig({ DATA_DIR: dataDir(), SMTP_URL: 'smtp://mail.example.com:587', PUBLIC_URL: 'https://sharepool.example/' });
    expect(smtp).toMatchObject({
      emailVerificationRequired: true,
      publicUrl: 'https://sharepool.example',
      mailFrom: 'Sharepool <no-reply@sharepool.example>',
    });
    expect(loadConfig({ DATA_DIR: dataDir(), SMTP_URL: 'smtp://m.example', EMAIL_VERIFICATION: 'off' }).emailVerificationRequired).toBe(
      false,
    );
    expect(loadConfig({ DATA_DIR: dataDir(), NETWORK_CONCURRENCY: 'X=1, WEBHOOK=32' }).networkConcurrency).toEqual({ X: 1, WEBHOOK: 32 });
    expect(messageOf({ SMTP_URL: 'http://mail.example.com' })).toMatch(/^SMTP_URL must be a smtp:\/\/ or smtps:\/\/ URL/);
    expect(messageOf({ EMAIL_VERIFICATION: 'maybe' })).toMatch(/^EMAIL_VERIFICATION must be required or off/);
    expect(messageOf({ NETWORK_CONCURRENCY: 'MYSPACE=3' })).toMatch(/^NETWORK_CONCURRENCY must be a comma-separated list of NETWORK=limit/);
    expect(messageOf({ LIVE_MAX_CONNECTIONS: '0' })).toMatch(/^LIVE_MAX_CONNECTIONS must be an integer between 1/);
  });

  it('requires every secret in production', () => {
    expect(messageOf({ NODE_ENV: 'production' })).toBe('JWT_SECRET must be set when NODE_ENV=production');
  });

  it('builds short links on PUBLIC_URL, by default this server on localhost, and requires it in production', () => {
    expect(loadConfig({ DATA_DIR: dataDir(), PORT: '4100' }).publicUrl).toBe('http://localhost:4100');
    expect(loadConfig({ DATA_DIR: dataDir(), PUBLIC_URL: 'https://share.example.com/' }).publicUrl).toBe('https://share.example.com');
    expect(messageOf({ PUBLIC_URL: 'ftp://example.com' })).toMatch(/^PUBLIC_URL must be a https:\/\/ or http:\/\/ URL/);
    expect(messageOf({ PUBLIC_URL: 'https://example.com/?a=1' })).toMatch(/^PUBLIC_URL must have no query or fragment/);
    const secrets = {
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      API_KEY_PEPPER: 'p'.repeat(32),
    };
    expect(messageOf(secrets)).toMatch(/^PUBLIC_URL must be set when NODE_ENV=production/);
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

  it('says in one line that DATA_DIR cannot be written when a secret must be kept there', () => {
    // A path under a file: no user, root included, can create it.
    const file = join(dataDir(), 'a-file');
    writeFileSync(file, '');
    expect(messageOf({ DATA_DIR: join(file, 'data') })).toBe(
      `DATA_DIR (${join(file, 'data')}) cannot be written by this user (ENOTDIR), and JWT_SECRET is kept there: choose a folder it can write, or set JWT_SECRET`,
    );
  });

  it('reads a keyring of versioned encryption keys, newest first', () => {
    const k2 = Buffer.alloc(32, 2).toString('base64');
    const k1 = Buffer.alloc(32, 1).toString('base64');
    const config = loadConfig({ DATA_DIR: dataDir(), ENCRYPTION_KEY: `2:${k2},1:${k1}` });
    expect(config.encryptionKeys.map((k) => k.version)).toEqual([2, 1]);
    expect(messageOf({ ENCRYPTION_KEY: 'dG9vIHNob3J0' })).toMatch(/^ENCRYPTION_KEY key #1 must be 32 bytes/);
  });
  it('sets up X and LinkedIn only with their client credentials, and never a secret alone', () => {
    const none = loadConfig({ DATA_DIR: dataDir() });
    expect(none.xClient).toBeUndefined();
    expect(none.linkedInClient).toBeUndefined();
    const both = loadConfig({
      DATA_DIR: dataDir(),
      X_CLIENT_ID: 'xid',
      X_CLIENT_SECRET: 'xsecret',
      LINKEDIN_CLIENT_ID: 'lid',
      LINKEDIN_CLIENT_SECRET: 'ls',
    });
    expect(both.xClient).toEqual({ clientId: 'xid', clientSecret: 'xsecret' });
    expect(both.linkedInClient).toEqual({ clientId: 'lid', clientSecret: 'ls' });
    expect(loadConfig({ DATA_DIR: dataDir(), X_CLIENT_ID: 'public-client' }).xClient).toEqual({
      clientId: 'public-client',
      clientSecret: undefined,
    });
    expect(messageOf({ X_CLIENT_SECRET: 'xsecret' })).toBe('X_CLIENT_ID must be set when X_CLIENT_SECRET is');
    expect(messageOf({ LINKEDIN_CLIENT_ID: 'lid' })).toBe('LINKEDIN_CLIENT_SECRET must be set when LINKEDIN_CLIENT_ID is');
  });
});
