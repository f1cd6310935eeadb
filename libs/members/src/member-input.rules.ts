import { InvalidInputError } from '@sharepool/kernel';
import { COMMON_PASSWORDS } from './common-passwords.js';

/** Handles that would impersonate Sharepool or collide with routes. */
const RESERVED_HANDLES = new Set([
  'admin',
  'administrator',
  'api',
  'root',
  'system',
  'support',
  'help',
  'moderator',
  'mod',
  'staff',
  'sharepool',
  'official',
  'security',
  'graphql',
  'graphiql',
  'health',
  'ready',
  'metrics',
  'login',
  'logout',
  'signup',
  'register',
  'settings',
  'me',
  'null',
  'undefined',
  'anonymous',
  'everyone',
  'here',
]);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HANDLE = /^[a-z0-9_]{3,30}$/;

/** Trimmed, lower-cased email, or BAD_USER_INPUT on `email`. */
export function normaliseEmail(email: string): string {
  const value = email.trim().toLowerCase();
  if (value.length > 254 || !EMAIL.test(value)) throw new InvalidInputError('email', 'Enter a valid email address');
  return value;
}

/** The handle as stored (lower case), or BAD_USER_INPUT on `handle`. */
export function validateHandle(handle: string): string {
  const value = handle.trim().toLowerCase();
  if (!HANDLE.test(value)) {
    throw new InvalidInputError('handle', 'A handle is 3 to 30 characters: lower-case letters, digits and _');
  }
  if (RESERVED_HANDLES.has(value)) throw new InvalidInputError('handle', `The handle "${value}" is reserved`);
  return value;
}

export function validatePassword(password: string, email?: string): void {
  if (password.length < 10 || password.length > 256) {
    throw new InvalidInputError('password', 'A password is 10 to 256 characters long');
  }
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || /^(.)\1+$/.test(password)) {
    throw new InvalidInputError('password', 'This password is too common; choose another');
  }
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) {
    throw new InvalidInputError('password', 'A password must not contain your email address');
  }
}

export function validateDisplayName(displayName: string): string {
  const value = displayName.trim();
  if (value.length < 1 || value.length > 80) throw new InvalidInputError('displayName', 'A display name is 1 to 80 characters');
  return value;
}

/** The bio as stored: null when empty. */
export function validateBio(bio: string | null): string | null {
  const value = bio?.trim() ?? '';
  if (value.length > 500) throw new InvalidInputError('bio', 'A bio is at most 500 characters');
  return value === '' ? null : value;
}

/** A reason for a moderation or admin action, shown to whoever reads the audit. */
export function validateReason(reason: string, field = 'reason'): string {
  const value = reason.trim();
  if (value.length < 3 || value.length > 500) throw new InvalidInputError(field, 'A reason is 3 to 500 characters');
  return value;
}
