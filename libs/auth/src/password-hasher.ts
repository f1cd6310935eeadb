import { Injectable, type OnModuleInit } from '@nestjs/common';
import argon2 from 'argon2';

/** OWASP's argon2id profile: 19 MiB, 2 passes, 1 lane. */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Hashes and checks passwords with argon2id. A login for an unknown email is
 * checked against a hash of the same cost, so a wrong email and a wrong
 * password take about the same time and cannot be told apart.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private decoy: Promise<string> | undefined;

  onModuleInit(): void {
    this.decoy = argon2.hash('sharepool decoy password, never valid', ARGON2_OPTIONS);
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  }

  /** True when `password` matches `hash`; with no hash, spends the same time and returns false. */
  async verify(hash: string | null, password: string): Promise<boolean> {
    const target = hash ?? (await (this.decoy ??= argon2.hash('sharepool decoy password, never valid', ARGON2_OPTIONS)));
    try {
      const ok = await argon2.verify(target, password);
      return hash !== null && ok;
    } catch {
      return false;
    }
  }
}
