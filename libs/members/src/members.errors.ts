import { ConflictError, PermissionDeniedError } from '@sharepool/kernel';

export class EmailTakenError extends ConflictError {
  constructor() {
    super('An account with this email already exists', { field: 'email' });
  }
}

export class HandleTakenError extends ConflictError {
  constructor(handle: string) {
    super(`The handle "${handle}" is taken`, { field: 'handle' });
  }
}

export class NicheSlugTakenError extends ConflictError {
  constructor(slug: string) {
    super(`A niche with the slug "${slug}" already exists`, { field: 'slug' });
  }
}

/** A suspended member tried to act or sign in. */
export class MemberSuspendedError extends PermissionDeniedError {
  constructor() {
    super('This account is suspended. Contact the moderators if you think this is a mistake.');
  }
}

/** Sharepool always keeps one active admin. */
export class LastAdminError extends ConflictError {
  constructor(action: string) {
    super(`Cannot ${action} the last active admin`);
  }
}
