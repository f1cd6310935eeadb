import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Secrets that were not configured, generated once and kept in DATA_DIR/secrets
 * (mode 0600) so that restarts keep sessions valid and encrypted data readable.
 * Used only outside production.
 */
export class SecretStore {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'secrets');
  }

  pathOf(name: string): string {
    return join(this.dir, name);
  }

  /** The stored secret `name`, created with `generate` the first time. */
  getOrCreate(name: string, generate: () => string = () => randomBytes(32).toString('base64url')): string {
    const file = this.pathOf(name);
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const value = generate();
    // 'wx' refuses to overwrite a file another process wrote a moment ago.
    try {
      writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
      throw error;
    }
    chmodSync(file, 0o600);
    return value;
  }
}
