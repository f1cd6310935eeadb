/**
 * The base URL of a member's server (Mastodon instance, Bluesky PDS) from what
 * the member typed: "mastodon.social" or "https://mastodon.social/" both give
 * "https://mastodon.social". Undefined when it is not an http(s) address.
 */
export function instanceOrigin(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  try {
    const url = new URL(withScheme);
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || !url.hostname) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
