/**
 * Query strings as the browser and the server write them (`?status=POSTED&next=%2Fwallet`):
 * every value a plain string, none JSON-encoded, so addresses stay readable, survive a reload,
 * and match what the API puts in its redirects (`/channels?connected=<id>`).
 */
export function parseSearch(search: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(search.startsWith('?') ? search.slice(1) : search));
}

export function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** The value when it is one of `allowed`, else undefined (an old or mistyped link shows everything). */
export function oneOf<const T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return allowed.find((item) => item === value);
}

/** A non-empty string, else undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Only a path on this site is followed after logging in, never another site (`//evil.example`, `/\\evil.example`). */
export function localPath(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : undefined;
}

/** The filters pages keep in their address. */
export const POST_STATUSES = ['PENDING_REVIEW', 'APPROVED', 'REJECTED', 'WITHDRAWN'] as const;
export const SHARE_STATUSES = ['SCHEDULED', 'POSTING', 'POSTED', 'FAILED', 'CANCELLED'] as const;
export const MEMBER_STATUSES = ['ACTIVE', 'SUSPENDED'] as const;
export const ROLES = ['MEMBER', 'MODERATOR', 'ADMIN'] as const;
