/**
 * Domain errors: what went wrong, in the words of the domain. Each family below is
 * mapped to one GraphQL `extensions.code` by the API's error formatter; libraries
 * never speak GraphQL. Domain-specific errors extend one of these families.
 */
export abstract class DomainError extends Error {
  /** Extra facts safe to show the caller (never secrets, SQL or stack traces). */
  readonly details: Record<string, unknown>;

  protected constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** An input value breaks a rule; `field` names the input that must change. */
export class InvalidInputError extends DomainError {
  constructor(
    readonly field: string | undefined,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, field ? { field, ...details } : details);
  }
}

/** Who is asking could not be established (no, bad or expired credentials). */
export class AuthenticationError extends DomainError {
  constructor(message = 'Authentication required') {
    super(message);
  }
}

/** The actor is known but may not do this. */
export class PermissionDeniedError extends DomainError {
  constructor(message = 'You are not allowed to do this', details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

/** The thing does not exist, or the actor may not know that it exists. */
export class NotFoundError extends DomainError {
  constructor(what: string, details: Record<string, unknown> = {}) {
    super(`${what} not found`, details);
  }
}

/** The request clashes with the current state (duplicate, illegal transition…). */
export class ConflictError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}

/** Too many attempts; try again after `retryAfter` seconds. */
export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message, { retryAfter });
  }
}

/** An account cannot cover an amount; `available` is what it could cover. */
export class InsufficientCreditsError extends DomainError {
  constructor(
    readonly available: number,
    readonly requested: number,
    message = `Not enough credits: ${available} available, ${requested} needed`,
  ) {
    super(message, { available, requested });
  }
}
