import { ConflictError, InsufficientCreditsError, InvalidInputError } from '@sharepool/kernel';
import { pgErrorCode } from '@sharepool/database';

/** A transfer id was reused with different parameters. */
export class TransferIdConflictError extends ConflictError {
  constructor(id: string) {
    super(`Transfer ${id} was already made with other parameters`, { transferId: id });
  }
}

/** A pending transfer was already settled or voided. */
export class PendingTransferResolvedError extends ConflictError {
  constructor(message: string) {
    super(message);
  }
}

/** A settle or void names a transfer that is not pending. */
export class PendingTransferNotFoundError extends ConflictError {
  constructor(id: string) {
    super(`No pending transfer ${id}`, { transferId: id });
  }
}

/** A ledger account does not exist (the member or post was never given one). */
export class LedgerAccountMissingError extends Error {
  constructor(detail: string) {
    super(`Ledger account missing: ${detail}`);
    this.name = 'LedgerAccountMissingError';
  }
}

interface PgError {
  message: string;
  detail?: string;
  driverError?: { message: string; detail?: string };
}

/** Turns the ledger functions' SQLSTATEs into domain errors; other errors pass through. */
export function ledgerError(error: unknown, requested?: number): unknown {
  const e = error as PgError;
  const detail = e?.driverError?.detail ?? e?.detail ?? '';
  const message = e?.driverError?.message ?? e?.message ?? '';
  switch (pgErrorCode(error)) {
    case 'SPIC1': {
      const facts = JSON.parse(detail) as { available: number; requested: number };
      return new InsufficientCreditsError(Number(facts.available), Number(requested ?? facts.requested));
    }
    case 'SPID1':
      return new TransferIdConflictError(message.match(/transfer id (\S+)/)?.[1] ?? 'unknown');
    case 'SPPR1':
      return new PendingTransferResolvedError(message.charAt(0).toUpperCase() + message.slice(1));
    case 'SPPN1':
      return new PendingTransferNotFoundError(message.replace('no pending transfer ', ''));
    case 'SPAM1':
      return new InvalidInputError('amount', message);
    case 'SPNA1':
      return new LedgerAccountMissingError(detail);
    default:
      return error;
  }
}
