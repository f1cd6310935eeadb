import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';

/** An arbitrary constant: the advisory lock every Sharepool process takes to migrate. */
const MIGRATION_LOCK = 7_351_993_001;

/**
 * Applies pending migrations. Many API and worker processes may start at once
 * on one database: an advisory lock lets one migrate while the others wait.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = new DataSource({ ...dataSourceOptions({ url, poolSize: 1, applicationName: 'sharepool-migrate' }) });
  await dataSource.initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await dataSource.destroy();
  }
}

export async function revertLastMigration(url: string): Promise<void> {
  const dataSource = new DataSource(dataSourceOptions({ url, poolSize: 1, applicationName: 'sharepool-migrate' }));
  await dataSource.initialize();
  try {
    await dataSource.undoLastMigration({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
