import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '@sharepool/config';
import { dataSourceOptions, revertLastMigration, runMigrations } from '@sharepool/database';
import { createLogger } from '@sharepool/observability';
import { ServiceStartError, startServices } from '@sharepool/runtime';

const USAGE = 'usage: migration-cli run | revert | generate <Name>';

/**
 * `npm run migration:run|revert|generate`. Uses DATABASE_URL, or the embedded
 * database when it is not set, like `npm start`.
 */
async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (!command || !['run', 'revert', 'generate'].includes(command) || (command === 'generate' && !/^[A-Z][A-Za-z0-9]+$/.test(name ?? ''))) {
    throw new Error(`${USAGE}\n  <Name> is PascalCase, e.g. AddPostIndexes`);
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 'sharepool-migrate');
  const services = await startServices({ ...config, redisUrl: config.redisUrl ?? 'redis://unused' }, logger);
  try {
    if (command === 'run') {
      const applied = await runMigrations(services.databaseUrl);
      process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Nothing to apply.\n');
    } else if (command === 'revert') {
      await revertLastMigration(services.databaseUrl);
      process.stdout.write('Reverted the last migration.\n');
    } else {
      process.stdout.write(`${await generate(services.databaseUrl, name!)}\n`);
    }
  } finally {
    await services.stop();
  }
}

/** Writes a migration with the SQL that brings the database to the entities' shape. */
async function generate(url: string, name: string): Promise<string> {
  const dataSource = new DataSource(
    dataSourceOptions({ url, entities: [resolve('dist/libs/*/src/**/*.entity.js')], applicationName: 'sharepool-migrate' }),
  );
  await dataSource.initialize();
  try {
    await runMigrations(url);
    const sql = await dataSource.driver.createSchemaBuilder().log();
    if (sql.upQueries.length === 0) return 'The entities match the database: no migration needed.';
    const timestamp = Date.now();
    const quote = (q: string) => '`' + q.replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
    const up = sql.upQueries.map((q) => `    await db.query(${quote(q.query)});`).join('\n');
    const down = sql.downQueries
      .reverse()
      .map((q) => `    await db.query(${quote(q.query)});`)
      .join('\n');
    const file = resolve('migrations', `${timestamp}-${name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.ts`);
    writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name}${timestamp} implements MigrationInterface {\n  name = '${name}${timestamp}';\n\n  async up(db: QueryRunner): Promise<void> {\n${up}\n  }\n\n  async down(db: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
    );
    return `Wrote ${file}: review it, then add ${name}${timestamp} to migrations/index.ts.`;
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  const known = error instanceof ConfigError || error instanceof ServiceStartError;
  process.stderr.write(`${known ? '' : 'Migration failed: '}${(error as Error).message}\n`);
  process.exit(1);
});
