import type { AppConfig } from '@sharepool/config';
import { TransactionRunner } from '@sharepool/database';
import { MembersService } from '@sharepool/members';
import { startTestCore, type TestCore } from '@sharepool/testing';
import { AdminBootstrap, StartupRefusedError } from './admin-bootstrap.js';
import { PasswordHasher } from './password-hasher.js';

describe('the bootstrap admin', () => {
  let core: TestCore;
  let transactions: TransactionRunner;
  const bootstrapWith = (config: Partial<AppConfig>) =>
    new AdminBootstrap(
      { ...core.env.config, ...config } as AppConfig,
      transactions,
      core.get(MembersService),
      core.get(PasswordHasher),
    ).onApplicationBootstrap();
  const admins = () =>
    transactions.query<{ email: string; password_hash: string }>(`SELECT email, password_hash FROM members WHERE role = 'ADMIN'`);

  beforeAll(async () => {
    core = await startTestCore();
    transactions = core.get(TransactionRunner);
  });
  afterAll(() => core.close());

  it('is created once at start-up from ADMIN_EMAIL and ADMIN_PASSWORD', async () => {
    const [admin] = await admins();
    expect(admin!.email).toBe(core.env.config.adminEmail);
    expect(await core.get(PasswordHasher).verify(admin!.password_hash, core.env.config.adminPassword!)).toBe(true);
  });

  it('is left alone on the next start, even when ADMIN_PASSWORD changed', async () => {
    const before = await admins();
    await bootstrapWith({ adminPassword: 'a different long passphrase' });
    await bootstrapWith({ adminEmail: 'someone.else@example.com' });
    expect(await admins()).toEqual(before);
  });

  it('is created once when many processes start together', async () => {
    await transactions.run((tx) => tx.query(`UPDATE members SET role = 'MEMBER' WHERE role = 'ADMIN'`));
    await Promise.all(Array.from({ length: 4 }, () => bootstrapWith({ adminEmail: 'first.admin@example.com' })));
    expect((await admins()).map((a) => a.email)).toEqual(['first.admin@example.com']);
  });

  it('refuses a weak password in production with a clear message', async () => {
    await expect(bootstrapWith({ isProduction: true, adminPassword: 'password123' })).rejects.toThrow(
      new StartupRefusedError('ADMIN_PASSWORD is too weak: This password is too common; choose another'),
    );
  });

  it('refuses to start without a bootstrap password when no admin exists', async () => {
    await transactions.run((tx) => tx.query(`UPDATE members SET role = 'MEMBER' WHERE role = 'ADMIN'`));
    await expect(bootstrapWith({ isProduction: true, adminPassword: undefined })).rejects.toBeInstanceOf(StartupRefusedError);
  });
});
