import { type FindOptionsSelect, getMetadataArgsStorage, type ValueTransformer } from 'typeorm';
import { SNAKE_NAMING } from './snake-naming.strategy.js';

/**
 * A value read from the database outside the set its column allows (a status,
 * a kind): a bug or a schema the code does not know, so it stops the read
 * instead of passing on as a value of the wrong type.
 */
export class UnexpectedValueError extends Error {
  constructor(column: string, value: unknown) {
    super(`${column} holds ${JSON.stringify(value)}, which is not one of its values`);
    this.name = 'UnexpectedValueError';
  }
}

/** `value` when it is one of `values`; UnexpectedValueError (naming `column`) otherwise. */
export function assertOneOf<const V extends string>(values: readonly V[], value: unknown, column: string): V {
  if (!values.includes(value as V)) throw new UnexpectedValueError(column, value);
  return value as V;
}

/**
 * A column whose values are a closed set: the list is the one declaration of
 * the set (its type is `(typeof LIST)[number]`), and a value read that is not
 * in it is an UnexpectedValueError, however it was read (a repository, or SQL
 * through entityFields).
 */
export function oneOf<const V extends string>(values: readonly V[], column: string): ValueTransformer {
  return { to: (value: unknown) => value, from: (value: unknown) => assertOneOf(values, value, column) };
}

/** An array column whose every element is one of `values` (see oneOf). */
export function everyOneOf<const V extends string>(values: readonly V[], column: string): ValueTransformer {
  return {
    to: (value: unknown) => value,
    from: (value: unknown) => {
      if (!Array.isArray(value)) throw new UnexpectedValueError(column, value);
      return value.map((element) => assertOneOf(values, element, column));
    },
  };
}

/** The properties of an entity that can be columns (not methods). */
export type ColumnKey<E> = { [K in keyof E]: E[K] extends (...args: never[]) => unknown ? never : K }[keyof E] & string;

/** What a selection of an entity's properties reads: those properties of the entity. */
export type FieldsOf<F> = F extends EntityFields<infer E, infer K> ? Readonly<Pick<E, K>> : never;

/** Properties renamed with a prefix: `handle` under `channel` is `channelHandle`. */
export type Prefixed<T, P extends string> = { readonly [K in keyof T & string as `${P}${Capitalize<K>}`]: T[K] };

type Reader = ((value: unknown) => unknown) | null;

/**
 * Some properties of an entity, as SQL reads them: the select list
 * (`alias.column AS "property"`, column names from the entity and the naming
 * strategy, so a wrong property fails to compile), the reading of a row it
 * selected (closed-set columns checked, see oneOf), and the same selection for
 * a repository's `find`.
 */
export class EntityFields<E, K extends ColumnKey<E>> {
  /** [property, column, read] per property, in order. */
  private readonly columns: ReadonlyArray<readonly [K, string, Reader]>;
  /** For a repository's `find({ select })`. */
  readonly select: FindOptionsSelect<E>;

  constructor(
    entity: abstract new (...args: never[]) => E,
    readonly properties: readonly K[],
  ) {
    const declared = getMetadataArgsStorage().filterColumns(entity);
    this.columns = properties.map((property) => {
      const column = declared.find((c) => c.propertyName === property);
      if (!column) throw new Error(`${entity.name}.${property} is not a column`);
      const transformers = [column.options.transformer ?? []].flat();
      const read = transformers.length ? (value: unknown) => transformers.reduce((v, transformer) => transformer.from(v), value) : null;
      return [property, SNAKE_NAMING.columnName(property, column.options.name, []), read] as const;
    });
    this.select = Object.fromEntries(properties.map((p) => [p, true])) as FindOptionsSelect<E>;
  }

  /** The select list over the table or view aliased `alias`. */
  sql(alias: string): string {
    return selectList(alias, this.columns);
  }

  /** The properties of a row selected with `sql()`, closed-set values checked. */
  read(row: Readonly<Record<string, unknown>>): Readonly<Pick<E, K>> {
    return readRow(row, this.columns) as Pick<E, K>;
  }

  /**
   * The same selection with its properties renamed under `prefix`, for a
   * query that joins rows whose properties would collide (a channel's handle
   * and a member's).
   */
  prefixed<const P extends string>(prefix: P): PrefixedFields<Pick<E, K>, P> {
    return new PrefixedFields(
      prefix,
      this.columns.map(([property, column, read]) => [`${prefix}${property[0]!.toUpperCase()}${property.slice(1)}`, column, read] as const),
    );
  }
}

/** A selection whose properties are renamed under a prefix (see EntityFields.prefixed). */
export class PrefixedFields<T, P extends string> {
  constructor(
    readonly prefix: P,
    private readonly columns: ReadonlyArray<readonly [string, string, Reader]>,
  ) {}

  sql(alias: string): string {
    return selectList(alias, this.columns);
  }

  read(row: Readonly<Record<string, unknown>>): Prefixed<T, P> {
    return readRow(row, this.columns) as Prefixed<T, P>;
  }
}

function selectList(alias: string, columns: ReadonlyArray<readonly [string, string, Reader]>): string {
  return columns
    .map(([property, column]) => (column === property ? `${alias}.${column}` : `${alias}.${column} AS "${property}"`))
    .join(', ');
}

function readRow(
  row: Readonly<Record<string, unknown>>,
  columns: ReadonlyArray<readonly [string, string, Reader]>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [property, , read] of columns) {
    const value = row[property];
    out[property] = read ? read(value) : value;
  }
  return out;
}

/** `properties` of `entity` (see EntityFields). */
export function entityFields<E, const K extends ColumnKey<E>>(
  entity: abstract new (...args: never[]) => E,
  properties: readonly K[],
): EntityFields<E, K> {
  return new EntityFields(entity, properties);
}
