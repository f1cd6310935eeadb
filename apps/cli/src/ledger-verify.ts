import pg from 'pg';
import { ConfigError, loadConfig } from '@sharepool/config';
import { createLogger } from '@sharepool/observability';
import { ServiceStartError, startServices } from '@sharepool/runtime';
import { formatLedgerVerification, verifyLedger } from '@sharepool/ledger';

/** A problem with the setup rather than the ledger: one line, no stack. */
class SetupError extends Error {}

/**
 * `npm run ledger:verify`: recomputes every balance from the entries and checks
 * every invariant. Uses DATABASE_URL, or the embedded database when it is not
 * set, like `npm start`. Exits 1 on any mismatch.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 'sharepool-ledger-verify');
  const services = await startServices({ ...config, redisUrl: config.redisUrl ?? 'redis://unused' }, logger);
  try {
    // No statement timeout: a large ledger may take a while to recompute.
    const client = new pg.Client({ connectionString: services.databaseUrl, application_name: 'sharepool-ledger-verify' });
    try {
      await client.connect();
    } catch (error) {
      throw new SetupError(`Cannot connect to ${services.databaseLabel}: ${(error as Error).message}`);
    }
    try {
      const { rows } = await client.query(`SELECT to_regclass('ledger_accounts') IS NOT NULL AS present`);
      if (!rows[0].present) throw new SetupError(`${services.databaseLabel} has no ledger: run \`npm run migration:run\` first`);
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const report = await verifyLedger(client);
      await client.query('COMMIT');
      process.stdout.write(`Verifying the ledger in ${services.databaseLabel}\n${formatLedgerVerification(report)}\n`);
      return report.ok ? 0 : 1;
    } finally {
      await client.end();
    }
  } finally {
    await services.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    const known = error instanceof ConfigError || error instanceof ServiceStartError || error instanceof SetupError;
    process.stderr.write(`${known ? '' : 'Ledger verification failed: '}${(error as Error).message}\n`);
    process.exit(1);
  },
);
