import { InvalidInputError } from './domain-errors.js';

export const MAX_PAGE_SIZE = 100;

/** A validated request for one page of a keyset-paginated list. */
export interface PageRequest {
  readonly first: number;
  readonly after: string | null;
}

/** One page of results; `totalCount` is computed only when asked for. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly cursors: readonly string[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly totalCount: () => Promise<number>;
}

export function pageRequest(first: number | null | undefined, after: string | null | undefined, defaultSize = 20): PageRequest {
  const size = first ?? defaultSize;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new InvalidInputError('first', `first must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return { first: size, after: after ?? null };
}
