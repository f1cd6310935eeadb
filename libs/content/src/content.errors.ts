import { ConflictError } from '../../kernel/src/index.js';

export class PostAlreadySubmittedError extends ConflictError {
  constructor() {
    super('You already have a post for this page waiting for review or approved', { field: 'url' });
  }
}
