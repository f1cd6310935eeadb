import { Index } from 'typeorm';

interface SqlIndex {
  readonly target: object;
  readonly name: string;
  readonly definition: string;
}

const declared: SqlIndex[] = [];

/**
 * An index TypeORM cannot describe: over an expression (`lower(handle)`) or
 * with columns in descending order. It is declared to TypeORM by name with
 * `synchronize: false`, so TypeORM neither creates nor drops it; its whole
 * definition is given here, and the schema drift check builds it from this
 * text and compares it with the database's.
 *
 * `definition` is the CREATE INDEX statement, as in the migration.
 */
export function IndexBySql(definition: string): ClassDecorator {
  const name = /^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+(\w+)\s+ON\s/i.exec(definition)?.[1];
  if (!name) throw new Error(`Not a CREATE INDEX statement: ${definition}`);
  return (target) => {
    Index(name, { synchronize: false })(target);
    declared.push({ target, name, definition });
  };
}

/** The CREATE INDEX statements declared with IndexBySql on these entities. */
export function sqlIndexDefinitions(entities: readonly unknown[]): string[] {
  return declared.filter((index) => entities.includes(index.target)).map((index) => index.definition);
}
