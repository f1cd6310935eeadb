/** SQLSTATE codes Sharepool reacts to. */
export const PG = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  lockNotAvailable: '55P03',
  raiseException: 'P0001',
} as const;

interface PgErrorShape {
  code?: string;
  constraint?: string;
  driverError?: PgErrorShape;
}

/** The SQLSTATE of a pg or TypeORM error, if it is one. */
export function pgErrorCode(error: unknown): string | undefined {
  const e = error as PgErrorShape | undefined;
  return e?.driverError?.code ?? e?.code;
}

export function pgConstraint(error: unknown): string | undefined {
  const e = error as PgErrorShape | undefined;
  return e?.driverError?.constraint ?? e?.constraint;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return pgErrorCode(error) === PG.uniqueViolation && (constraint === undefined || pgConstraint(error) === constraint);
}

/** Errors that mean "run the whole transaction again", never a caller's fault. */
export function isRetryableTransactionError(error: unknown): boolean {
  const code = pgErrorCode(error);
  return code === PG.serializationFailure || code === PG.deadlockDetected;
}
