import type { Page, PageRequest } from '@sharepool/kernel';
import { type CursorValue, encodeCursor } from './keyset-cursor.js';

/**
 * Builds a page from rows fetched with `LIMIT first + 1`: the extra row only
 * tells whether another page follows.
 */
export function keysetPage<T>(
  rows: readonly T[],
  request: PageRequest,
  sortKey: (row: T) => readonly CursorValue[],
  totalCount: () => Promise<number>,
): Page<T> {
  const items = rows.slice(0, request.first);
  let counted: Promise<number> | undefined;
  return {
    items,
    cursors: items.map((row) => encodeCursor(sortKey(row))),
    hasNextPage: rows.length > request.first,
    hasPreviousPage: request.after !== null,
    totalCount: () => (counted ??= totalCount()),
  };
}
