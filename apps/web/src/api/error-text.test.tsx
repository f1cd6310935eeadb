import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error';
import { errorText, formErrors, formatWait } from './error-text';

const apiError = (code: string, message: string, extensions: Record<string, unknown> = {}) =>
  new ApiError([{ message, extensions: { code, ...extensions } }]);

describe('error text', () => {
  it('says how many credits are available and how many are needed', () => {
    expect(errorText(apiError('INSUFFICIENT_CREDITS', 'Not enough credits', { available: 40, requested: 50 }))).toBe(
      "You don't have enough credits: 40 available, 50 needed",
    );
  });

  it('tells how long to wait after too many attempts, rounded up to whole minutes', () => {
    expect(errorText(apiError('RATE_LIMITED', 'Too many login attempts', { retryAfter: 700 }))).toBe(
      'Too many attempts — try again in 12 minutes',
    );
    expect(formatWait(45)).toBe('in 45 seconds');
    expect(formatWait(60)).toBe('in 1 minute');
    expect(formatWait(7200)).toBe('in 2 hours');
  });

  it('gives the request id as a reference for a server failure, never the server message', () => {
    const text = errorText(apiError('INTERNAL_SERVER_ERROR', 'Internal server error (request id abc-123)', { requestId: 'abc-123' }));
    expect(text).toBe('Something went wrong on our side (reference abc-123). Please try again.');
  });

  it('explains a suspension instead of a bare permission error', () => {
    expect(errorText(apiError('FORBIDDEN', 'This account is suspended. Contact the moderators.'))).toMatch(/Your account is suspended/);
    expect(errorText(apiError('FORBIDDEN', 'You are not allowed to do this'))).toBe("You don't have permission to do that.");
  });

  it('keeps the domain wording of invalid input but hides GraphQL validation jargon', () => {
    expect(errorText(apiError('BAD_USER_INPUT', 'A handle is 3 to 30 characters'))).toBe('A handle is 3 to 30 characters');
    expect(errorText(apiError('BAD_USER_INPUT', 'Variable "$input" got invalid value "x"; Int cannot represent non-integer value'))).toBe(
      "Some of what you entered isn't valid. Check it and try again.",
    );
  });

  it('names what was not found', () => {
    expect(errorText(apiError('NOT_FOUND', 'Post not found'))).toBe("We couldn't find that post — it may have been removed.");
  });

  it('says the connection failed when there was no answer', () => {
    expect(errorText(ApiError.network())).toMatch(/couldn't reach Sharepool/);
    expect(errorText(new Error('boom'))).toBe('Something went wrong. Please try again.');
  });

  it('lets a form word a code its own way', () => {
    expect(errorText(apiError('UNAUTHENTICATED', 'Invalid credentials'), { UNAUTHENTICATED: 'Wrong password' })).toBe('Wrong password');
  });
});

describe('form errors', () => {
  it('puts an error under the field the server names, even as an input path', () => {
    const errors = formErrors(apiError('BAD_USER_INPUT', 'Enter a valid email address', { field: 'input.email' }), {
      fields: ['email', 'password'],
    });
    expect(errors).toEqual({ fields: { email: 'Enter a valid email address' }, message: undefined });
  });

  it('shows an error on a field the form does not have for the whole form', () => {
    const errors = formErrors(apiError('BAD_USER_INPUT', 'Unknown niche', { field: 'nicheId' }), { fields: ['url'] });
    expect(errors).toEqual({ fields: {}, message: 'Unknown niche' });
  });

  it('ties a code to a field when the form says which one it concerns', () => {
    const errors = formErrors(apiError('INSUFFICIENT_CREDITS', 'Not enough', { available: 10, requested: 30 }), {
      fields: ['budget'],
      codeFields: { INSUFFICIENT_CREDITS: 'budget' },
    });
    expect(errors.fields.budget).toBe("You don't have enough credits: 10 available, 30 needed");
  });

  it('keeps a conflict on a named field next to it', () => {
    const errors = formErrors(apiError('CONFLICT', 'The handle "ada" is taken', { field: 'handle' }), { fields: ['handle'] });
    expect(errors.fields.handle).toBe('The handle "ada" is taken');
  });
});
