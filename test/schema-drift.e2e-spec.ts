import { DataSource } from 'typeorm';
import { createThrowawayDatabase, findSchemaDrift, formatSchemaDrift } from '@sharepool/database';
import { ENTITIES } from '@sharepool/runtime';
import { createTestDatabase, startTestCore, TEST_POSTGRES_URL } from '@sharepool/testing';

describe('the schema in code', () => {
  it('matches the migrations: TypeORM finds nothing to change, and a database built from the entities has the same catalog', async () => {
    const migrated = await createTestDatabase();
    const empty = await createThrowawayDatabase(TEST_POSTGRES_URL, 'sharepool_test_entities');
    try {
      const drift = await findSchemaDrift(migrated.url, empty.url, ENTITIES);
      // The statements and differences themselves, so a failure says what to fix.
      expect(formatSchemaDrift(drift)).toBe('');
    } finally {
      await Promise.all([migrated.drop(), empty.drop()]);
    }
  });

  it('registers in the app exactly the entities the CLI and the drift check know (ENTITIES)', async () => {
    const core = await startTestCore();
    try {
      const registered = core.get(DataSource).entityMetadatas.map((m) => m.name);
      expect([...registered].sort()).toEqual(ENTITIES.map((e) => e.name).sort());
    } finally {
      await core.close();
    }
  });
});
