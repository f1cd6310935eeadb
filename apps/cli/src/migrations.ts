import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '@sharepool/config';
import {
  createThrowawayDatabase,
  dataSourceOptions,
  findSchemaDrift,
  formatSchemaDrift,
  revertLastMigration,
  runMigrations,
  type ThrowawayDatabase,
} from '@sharepool/database';
import { createLogger } from '@sharepool/observability';
import { ENTITIES, ServiceStartError, startServices } from '@sharepool/runtime';

const USAGE = 'usage: migrations run | revert | check | generate <Name>';

/**
 * `npm run migration:run|revert|check|generate`. Uses DATABASE_URL, or the
 * embedded database when it is not set, like `npm start`. `check` and
 * `generate` leave that database alone: they migrate throwaway databases on
 * its server and compare them with the entities (ENTITIES).
 */
async function main(): Promise<number> {
  const [command, name] = process.argv.slice(2);
  if (
    !command ||
    !['run', 'revert', 'check', 'generate'].includes(command) ||
    (command === 'generate' && !/^[A-Z][A-Za-z0-9]+$/.test(name ?? ''))
  ) {
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
    } else if (command === 'check') {
      return await check(services.databaseUrl);
    } else {
      process.stdout.write(`${await generate(services.databaseUrl, name!)}\n`);
    }
    return 0;
  } finally {
    await services.stop();
  }
}

/** Runs `work` with a freshly migrated throwaway database and an empty one, on the server of `serverUrl`; drops both. */
async function withThrowawayDatabases<T>(serverUrl: string, work: (migrated: string, empty: string) => Promise<T>): Promise<T> {
  const databases: ThrowawayDatabase[] = [];
  try {
    databases.push(await createThrowawayDatabase(serverUrl, 'sharepool_schema_migrated'));
    databases.push(await createThrowawayDatabase(serverUrl, 'sharepool_schema_entities'));
    await runMigrations(databases[0]!.url);
    return await work(databases[0]!.url, databases[1]!.url);
  } finally {
    for (const database of databases) await database.drop();
  }
}

/** Exits 1, saying how, when the entities and the migrations differ (CI runs it). */
async function check(serverUrl: string): Promise<number> {
  const drift = await withThrowawayDatabases(serverUrl, (migrated, empty) => findSchemaDrift(migrated, empty, ENTITIES));
  if (drift.statements.length === 0 && drift.differences.length === 0) {
    process.stdout.write(`The entities (${ENTITIES.length}) and the migrations agree.\n`);
    return 0;
  }
  process.stdout.write(
    `The entities and the migrations differ: change the entities, or write a migration (npm run migration:generate -- <Name>).\n${formatSchemaDrift(drift)}\n`,
  );
  return 1;
}

/**
 * Writes a migration with the SQL TypeORM's schema builder would run to bring a
 * freshly migrated database to the entities' shape. What the builder does not
 * compare (indexes declared with IndexBySql, views, CHECK expressions) is
 * written by hand: `migration:check` tells what is left.
 */
async function generate(serverUrl: string, name: string): Promise<string> {
  const afterwards =
    'Then run npm run migration:check: it also compares what TypeORM does not write (IndexBySql indexes, views, CHECK expressions).';
  return withThrowawayDatabases(serverUrl, async (migratedUrl) => {
    const dataSource = new DataSource(dataSourceOptions({ url: migratedUrl, entities: ENTITIES, applicationName: 'sharepool-migrate' }));
    await dataSource.initialize();
    try {
      const sql = await dataSource.driver.createSchemaBuilder().log();
      if (sql.upQueries.length === 0) return `TypeORM finds nothing to change. ${afterwards}`;
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
      return `Wrote ${file}: review it, then add ${name}${timestamp} to migrations/index.ts. ${afterwards}`;
    } finally {
      await dataSource.destroy();
    }
  });
}

main()
  .then((code) => process.exit(code))
  .catch((error) => {
    const known = error instanceof ConfigError || error instanceof ServiceStartError;
    process.stderr.write(`${known ? '' : 'Migration failed: '}${(error as Error).message}\n`);
    process.exit(1);
  });
