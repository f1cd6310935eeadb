import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@sharepool/config';
import { TransactionRunner } from '@sharepool/database';
import { type DomainError } from '@sharepool/kernel';
import { MembersService, normaliseEmail, validatePassword } from '@sharepool/members';
import { PasswordHasher } from './password-hasher.js';

/** An arbitrary constant: the advisory lock under which one process creates the first admin. */
const BOOTSTRAP_LOCK = 7_351_993_002;

/** Start-up refused for a reason the operator must fix; the message says what. */
export class StartupRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupRefusedError';
  }
}

/**
 * Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when no admin
 * exists. Idempotent across restarts and across processes starting together;
 * never touches the password of an existing account.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminBootstrap');

  constructor(
    private readonly config: AppConfig,
    private readonly transactions: TransactionRunner,
    private readonly members: MembersService,
    private readonly passwords: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { adminEmail, adminPassword, isProduction } = this.config;
    const weakness = adminPassword === undefined ? null : passwordWeakness(adminPassword, adminEmail);
    if (isProduction && weakness) throw new StartupRefusedError(`ADMIN_PASSWORD is too weak: ${weakness}`);
    await this.transactions.run(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
      if (await this.members.anyAdmin(tx)) return;
      if (!adminEmail || !adminPassword) {
        throw new StartupRefusedError('No admin exists yet: set ADMIN_EMAIL and ADMIN_PASSWORD so that Sharepool can create the first one');
      }
      const email = normaliseEmail(adminEmail);
      const existing = await this.members.lockByEmail(tx, email);
      if (existing) {
        // The account exists (it signed up first): make it the admin, keep its password.
        await this.members.makeAdmin(tx, existing.id);
        this.logger.log(`Made ${email} the first admin`);
        return;
      }
      if (weakness) this.logger.warn(`ADMIN_PASSWORD is weak (${weakness}); production would refuse it`);
      const handle = (await this.members.isHandleTaken(tx, 'admin')) ? `admin_${Date.now() % 100_000}` : 'admin';
      await this.members.enrol(tx, {
        email,
        handle,
        displayName: 'Sharepool admin',
        passwordHash: await this.passwords.hash(adminPassword),
        role: 'ADMIN',
        // The operator configured this address: nobody is left to verify it.
        emailVerified: true,
      });
      this.logger.log(`Created the first admin, ${email}`);
    });
  }
}

function passwordWeakness(password: string, email: string | undefined): string | null {
  try {
    validatePassword(password, email);
    return null;
  } catch (error) {
    return (error as DomainError).message;
  }
}
