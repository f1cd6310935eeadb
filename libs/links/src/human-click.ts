import { isbot } from 'isbot';

/** What a click is judged on: never stored. */
export interface ClickRequest {
  readonly method: string;
  readonly userAgent: string | undefined;
  /** Lower-case header name → value. */
  header(name: string): string | undefined;
}

/** Headers browsers send when they fetch a page ahead of a click that may never come. */
const PREFETCH_HEADERS = ['purpose', 'sec-purpose', 'x-purpose', 'x-moz'];

/**
 * Whether a request through a short link is a person's visit: not a HEAD, not
 * a prefetch or preview, and from a user agent that the isbot list does not
 * recognise as a bot, crawler or link-preview fetcher. No user agent at all is
 * not a browser either.
 */
export function isHumanClick(request: ClickRequest): boolean {
  if (request.method !== 'GET') return false;
  for (const name of PREFETCH_HEADERS) {
    const value = request.header(name)?.toLowerCase();
    if (value && /prefetch|preview|prerender/.test(value)) return false;
  }
  const agent = request.userAgent?.trim();
  return !!agent && !isbot(agent);
}
