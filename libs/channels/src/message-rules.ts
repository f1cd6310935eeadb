import { InvalidInputError } from '@sharepool/kernel';
import type { Network } from './networks/network-adapter.js';

/** What each network allows, in its own unit (see checkMessageLength). */
export const MESSAGE_LIMITS: Readonly<Record<Network, number>> = {
  X: 280,
  BLUESKY: 300,
  MASTODON: 500,
  LINKEDIN: 3_000,
  // Receivers are the member's own code; the cap only keeps payloads sane.
  WEBHOOK: 10_000,
};

const NETWORK_NAMES: Readonly<Record<Network, string>> = {
  X: 'X',
  BLUESKY: 'Bluesky',
  MASTODON: 'Mastodon',
  LINKEDIN: 'LinkedIn',
  WEBHOOK: 'a webhook',
};

/** X and Mastodon count every link as this many characters, whatever its length. */
const SHORTENED_LINK_LENGTH = 23;
const URL_PATTERN = /https?:\/\/[^\s<>"]+/giu;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The text that goes out: the member's message carrying `link` (a share's
 * short link). Where the message names the post's own URL (`replacing`), the
 * link takes its place; a message that already holds the link is left as it
 * is; otherwise the link is appended.
 */
export function composePostText(message: string, link: string, replacing?: string): string {
  const text = message.trim();
  if (!text) return link;
  if (text.includes(link)) return text;
  if (replacing && replacing !== link) {
    // Only the URL itself, not a longer address that starts with it.
    const standalone = new RegExp(`(?<![^\\s(<\\[])${escapeRegExp(replacing)}(?=$|[\\s)>\\]]|[.,!?;:'"](?:$|\\s))`, 'gu');
    if (standalone.test(text)) return text.replace(standalone, link);
  }
  return `${text} ${link}`;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The length of `text` as `network` counts it, and that network's limit. */
export function checkMessageLength(network: Network, text: string): { length: number; limit: number } {
  return { length: countFor(network, text), limit: MESSAGE_LIMITS[network] };
}

/**
 * Refuses a message that would not fit on `network` once the link is in it
 * (see composePostText), with BAD_USER_INPUT on `message`. Returns the text
 * that will be posted.
 */
export function assertMessageFits(network: Network, message: string, link: string, replacing?: string): string {
  const text = composePostText(message, link, replacing);
  const { length, limit } = checkMessageLength(network, text);
  if (length > limit) {
    throw new InvalidInputError(
      'message',
      `The message is ${length} characters long for ${NETWORK_NAMES[network]}; the limit is ${limit}`,
      {
        network,
        length,
        limit,
      },
    );
  }
  return text;
}

function countFor(network: Network, text: string): number {
  switch (network) {
    case 'X':
      return xWeightedLength(text);
    case 'MASTODON':
      return graphemeCount(text.normalize('NFC').replace(URL_PATTERN, 'x'.repeat(SHORTENED_LINK_LENGTH)));
    case 'BLUESKY':
      return graphemeCount(text);
    case 'LINKEDIN':
      // LinkedIn counts UTF-16 units, like a Java string.
      return text.length;
    case 'WEBHOOK':
      return [...text].length;
  }
}

function graphemeCount(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

/**
 * X's weighted count (twitter-text v3): most Latin, Greek, Cyrillic… code points
 * weigh 1, everything else (CJK, most symbols) 2, an emoji sequence 2 whatever
 * its code points, and every http(s) link 23.
 */
function xWeightedLength(text: string): number {
  let length = 0;
  let rest = text.normalize('NFC');
  rest = rest.replace(URL_PATTERN, () => {
    length += SHORTENED_LINK_LENGTH;
    return '';
  });
  for (const { segment } of graphemes.segment(rest)) {
    if (/\p{Extended_Pictographic}/u.test(segment)) {
      length += 2;
      continue;
    }
    for (const char of segment) length += xCodePointWeight(char.codePointAt(0)!);
  }
  return length;
}

/** twitter-text's ranges of weight 1 (scaled: 100 of 200). */
const LIGHT_RANGES: readonly (readonly [number, number])[] = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];

function xCodePointWeight(codePoint: number): number {
  return LIGHT_RANGES.some(([from, to]) => codePoint >= from && codePoint <= to) ? 1 : 2;
}
