import { InvalidInputError } from '@sharepool/kernel';

export type CursorValue = string | number | null;

/**
 * Opaque keyset cursors: the sort-key values of the last row seen, so the next
 * page starts right after it however the list changes in between.
 */
export function encodeCursor(values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The values of `cursor`, checked against the expected kinds; BAD_USER_INPUT `after` otherwise. */
export function decodeCursor(cursor: string, kinds: readonly ('string' | 'number' | 'date')[]): CursorValue[] {
  const invalid = () => new InvalidInputError('after', 'after is not a cursor of this list');
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(values) || values.length !== kinds.length) throw invalid();
  values.forEach((value, i) => {
    const kind = kinds[i];
    const ok =
      value === null ||
      (kind === 'number' && typeof value === 'number' && Number.isFinite(value)) ||
      (kind === 'string' && typeof value === 'string' && value.length <= 200) ||
      (kind === 'date' && typeof value === 'string' && !Number.isNaN(Date.parse(value)));
    if (!ok) throw invalid();
  });
  return values as CursorValue[];
}

/**
 * SQL for a timestamptz column as cursor text with all six fractional digits:
 * a JS Date keeps milliseconds only, and a cursor that drops the microseconds
 * would skip rows created within the same millisecond.
 */
export function cursorTimeSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
