import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@sharepool/migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

// bigint (credits, counts) as JS numbers: every value Sharepool stores is far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface DataSourceSettings {
  readonly url: string;
  /** Entity classes; the app registers them per domain module instead. */
  readonly entities?: DataSourceOptions['entities'];
  readonly poolSize?: number;
  readonly applicationName?: string;
}

/** The one description of Sharepool's database, shared by the app, the CLI and the tests. */
export function dataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: settings.entities ?? [],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    // Generated uuids are gen_random_uuid() (built in since PostgreSQL 13); extensions are the migrations' business.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    logging: false,
    applicationName: settings.applicationName ?? 'sharepool',
    extra: {
      max: settings.poolSize ?? 20,
      // A statement stuck for a minute is a bug; fail it instead of holding locks.
      statement_timeout: 60_000,
      idle_in_transaction_session_timeout: 60_000,
    },
  };
}

/** How to open a plain pg connection to the database `options` describe, for what TypeORM's pool does not do (LISTEN, prepared reads). */
export function pgConnectionSettings(options: DataSourceOptions): pg.ClientConfig {
  const postgres = options as { url?: string; applicationName?: string; extra?: { statement_timeout?: number } };
  return {
    connectionString: postgres.url,
    application_name: postgres.applicationName,
    statement_timeout: postgres.extra?.statement_timeout,
  };
}
