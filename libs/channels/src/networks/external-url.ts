/**
 * Addresses that come back from a network are the network's (or, for a
 * member's own Mastodon server or webhook, the member's) word, shown to the
 * author and to partner apps as a link: only an http(s) URL is kept, and an
 * adapter that knows where its posts live keeps only those. Anything else is
 * dropped (the share is still posted, with no address).
 */
export function httpUrlOrNull(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048) return null;
  try {
    const url = new URL(value);
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return null;
    return url.href;
  } catch {
    return null;
  }
}

/** `value` when it is an http(s) URL on `origin` (scheme, host and port), else null. */
export function urlOnOrigin(value: unknown, origin: string | undefined): string | null {
  const url = httpUrlOrNull(value);
  return url && origin && new URL(url).origin === origin ? url : null;
}
