/**
 * Where a short link sends a visitor: the post's own URL with the campaign
 * parameters that tell its owner's analytics the visit came through Sharepool.
 * Parameters already in the URL are kept, ours included (an author who tagged
 * the URL themselves keeps their tags).
 */
export function trackedTarget(postUrl: string, network: string, nicheSlug: string): string {
  const url = new URL(postUrl);
  const params: Array<[string, string]> = [
    ['utm_source', 'sharepool'],
    ['utm_medium', network.toLowerCase()],
    ['utm_campaign', nicheSlug],
  ];
  for (const [name, value] of params) if (!url.searchParams.has(name)) url.searchParams.append(name, value);
  return url.toString();
}
