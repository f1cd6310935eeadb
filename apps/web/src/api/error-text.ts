import { ApiError, codeOf, fieldOf, type ErrorCode, type GraphqlErrorItem } from './api-error';

/** Words for a code in one place, e.g. UNAUTHENTICATED on the login form means a wrong password. */
export type ErrorWords = Partial<Record<ErrorCode, string>>;

const SUSPENDED = 'Your account is suspended. Contact the moderators if you think this is a mistake.';

/** Messages written by GraphQL itself rather than by the domain: accurate, but not for people. */
const TECHNICAL = /Variable "\$|Cannot query field|Expected type|Syntax Error|cannot represent|Unknown argument|was not provided/i;

/** "in 45 seconds", "in 12 minutes", "in 2 hours": how long to wait, rounded up. */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `in ${s} ${s === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return `in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  const hours = Math.ceil(minutes / 60);
  return `in ${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

export function isSuspendedError(error: GraphqlErrorItem | undefined): boolean {
  return codeOf(error) === 'FORBIDDEN' && /suspend/i.test(error?.message ?? '');
}

/** One GraphQL error in words a person understands. */
export function describeGraphqlError(error: GraphqlErrorItem, words: ErrorWords = {}): string {
  const code = codeOf(error);
  const override = words[code];
  if (override) return override;
  const message = error.message?.trim() ?? '';
  const ext = error.extensions ?? {};
  switch (code) {
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Please log in again.';
    case 'FORBIDDEN':
      return isSuspendedError(error) ? SUSPENDED : "You don't have permission to do that.";
    case 'BAD_USER_INPUT':
      return message && !TECHNICAL.test(message) ? message : "Some of what you entered isn't valid. Check it and try again.";
    case 'NOT_FOUND': {
      const thing = /^(.+) not found$/i.exec(message)?.[1]?.toLowerCase();
      return thing ? `We couldn't find that ${thing} — it may have been removed.` : "We couldn't find that — it may have been removed.";
    }
    case 'CONFLICT':
      return message || 'That clashes with a recent change. Refresh the page and try again.';
    case 'INSUFFICIENT_CREDITS':
      return typeof ext.available === 'number' && typeof ext.requested === 'number'
        ? `You don't have enough credits: ${ext.available} available, ${ext.requested} needed`
        : "You don't have enough credits for that.";
    case 'RATE_LIMITED':
      return typeof ext.retryAfter === 'number'
        ? `Too many attempts — try again ${formatWait(ext.retryAfter)}`
        : 'Too many attempts — try again later';
    case 'NETWORK':
      return "We couldn't reach Sharepool. Check your connection and try again.";
    case 'INTERNAL_SERVER_ERROR':
      return typeof ext.requestId === 'string' && ext.requestId !== 'unknown'
        ? `Something went wrong on our side (reference ${ext.requestId}). Please try again.`
        : 'Something went wrong on our side. Please try again.';
  }
}

/** Any thrown value in words: API errors by their first error, anything else as a generic failure. */
export function errorText(error: unknown, words: ErrorWords = {}): string {
  if (error instanceof ApiError) return describeGraphqlError(error.first, words);
  return 'Something went wrong. Please try again.';
}

/** What a form shows: a message under each field concerned, and one for the form as a whole. */
export interface FormErrors {
  fields: Record<string, string>;
  message?: string;
}

export interface FormErrorOptions {
  /** the inputs the form has; an error on another field is shown for the whole form */
  fields: readonly string[];
  /** codes that concern one input without the server naming it, e.g. INSUFFICIENT_CREDITS → budget */
  codeFields?: ErrorWords;
  words?: ErrorWords;
}

/** Sorts an error into the fields of a form (by `extensions.field`) and a form-level message. */
export function formErrors(error: unknown, options: FormErrorOptions): FormErrors {
  if (!(error instanceof ApiError)) return { fields: {}, message: errorText(error) };
  const fields: Record<string, string> = {};
  const messages: string[] = [];
  for (const item of error.errors) {
    const field = fieldOf(item) ?? options.codeFields?.[codeOf(item)];
    const text = describeGraphqlError(item, options.words);
    if (field && options.fields.includes(field)) {
      fields[field] ??= text;
    } else if (!messages.includes(text)) {
      messages.push(text);
    }
  }
  return { fields, message: messages.length > 0 ? messages.join(' ') : undefined };
}
