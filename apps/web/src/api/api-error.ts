/** The error codes of the partner contract, plus NETWORK for a request that never got an answer. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INSUFFICIENT_CREDITS'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR'
  | 'NETWORK';

/** One GraphQL error as the server sends it. */
export interface GraphqlErrorItem {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: {
    code?: string;
    field?: string;
    available?: number;
    requested?: number;
    retryAfter?: number;
    requestId?: string;
    [key: string]: unknown;
  };
}

const KNOWN_CODES = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'INSUFFICIENT_CREDITS',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
]);

/** A failed API call: the GraphQL errors of the answer, or a NETWORK error when there was none. */
export class ApiError extends Error {
  readonly errors: readonly GraphqlErrorItem[];

  constructor(errors: readonly GraphqlErrorItem[]) {
    super(errors[0]?.message ?? 'Request failed');
    this.name = 'ApiError';
    this.errors = errors.length > 0 ? errors : [{ message: 'Request failed', extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
  }

  static network(message = 'Network request failed'): ApiError {
    return new ApiError([{ message, extensions: { code: 'NETWORK' } }]);
  }

  /** The code of the first error, the one the person should hear about. */
  get code(): ErrorCode {
    return codeOf(this.errors[0]);
  }

  get first(): GraphqlErrorItem {
    return this.errors[0];
  }

  has(code: ErrorCode): boolean {
    return this.errors.some((error) => codeOf(error) === code);
  }
}

export function codeOf(error: GraphqlErrorItem | undefined): ErrorCode {
  const code = error?.extensions?.code;
  if (code === 'NETWORK') return 'NETWORK';
  return typeof code === 'string' && KNOWN_CODES.has(code) ? (code as ErrorCode) : 'INTERNAL_SERVER_ERROR';
}

/**
 * The input an error concerns, as the form names it: the server may report a path
 * (`input.budget`) where the form only knows `budget`.
 */
export function fieldOf(error: GraphqlErrorItem | undefined): string | undefined {
  const field = error?.extensions?.field;
  if (typeof field !== 'string' || field === '') return undefined;
  return field.split('.').pop();
}
