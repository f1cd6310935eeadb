/** The networks the share dialog counts for; WEBHOOK has no limit. */
export type CountedNetwork = 'X' | 'BLUESKY' | 'MASTODON' | 'LINKEDIN';

export interface NetworkLimit {
  limit: number;
  /** how the network counts a text */
  count: (text: string) => number;
  rule: string;
}

const URL_PATTERN = /https?:\/\/[^\s]+/gi;
/** X and Mastodon shorten every link to a fixed length, whatever its real length. */
const SHORT_LINK_LENGTH = 23;

function codePoints(text: string): number {
  return Array.from(text).length;
}

function withLinksAs(length: number) {
  return (text: string) => {
    const links = text.match(URL_PATTERN) ?? [];
    return codePoints(text.replace(URL_PATTERN, '')) + links.length * length;
  };
}

let segmenter: Intl.Segmenter | undefined;
/** Bluesky counts what a reader sees as one character (an emoji with skin tone is one). */
export function graphemes(text: string): number {
  if (typeof Intl.Segmenter !== 'function') return codePoints(text);
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

export const NETWORK_LIMITS: Record<CountedNetwork, NetworkLimit> = {
  X: { limit: 280, count: withLinksAs(SHORT_LINK_LENGTH), rule: 'links count as 23 characters' },
  BLUESKY: { limit: 300, count: graphemes, rule: 'counted as characters you see' },
  MASTODON: { limit: 500, count: withLinksAs(SHORT_LINK_LENGTH), rule: 'links count as 23 characters' },
  LINKEDIN: { limit: 3000, count: codePoints, rule: 'characters' },
};

export function limitFor(network: string): NetworkLimit | undefined {
  return NETWORK_LIMITS[network as CountedNetwork];
}

/** The text that is posted: the message with the post's link at the end, unless it is already in it. */
export function composeShareText(message: string, url: string): string {
  const text = message.trim();
  if (text.includes(url)) return text;
  return text ? `${text} ${url}` : url;
}

export interface NetworkCount {
  network: CountedNetwork;
  used: number;
  limit: number;
  over: boolean;
}

/** The count for each counted network among those chosen, in a stable order. */
export function countsFor(networks: Iterable<string>, message: string, url: string): NetworkCount[] {
  const text = composeShareText(message, url);
  const chosen = new Set(networks);
  return (Object.keys(NETWORK_LIMITS) as CountedNetwork[])
    .filter((network) => chosen.has(network))
    .map((network) => {
      const { limit, count } = NETWORK_LIMITS[network];
      const used = count(text);
      return { network, used, limit, over: used > limit };
    });
}
