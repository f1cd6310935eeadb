import { Parser } from 'htmlparser2';
import { charsetOf, decodeText, OutboundError, type OutboundHttp } from '@sharepool/outbound';

/** What a page says about itself, for the post card. */
export interface PagePreview {
  readonly title: string | null;
  readonly description: string | null;
  readonly imageUrl: string | null;
}

export const PREVIEW_TITLE_MAX = 200;
export const PREVIEW_DESCRIPTION_MAX = 500;
export const PREVIEW_IMAGE_URL_MAX = 2048;
const PREVIEW_TIMEOUT_MS = 5_000;
const PREVIEW_MAX_BYTES = 1024 * 1024;

const TITLE_KEYS = ['og:title', 'twitter:title'];
const DESCRIPTION_KEYS = ['og:description', 'twitter:description', 'description'];
const IMAGE_KEYS = ['og:image:secure_url', 'og:image', 'og:image:url', 'twitter:image', 'twitter:image:src'];
const META_KEYS = new Set([...TITLE_KEYS, ...DESCRIPTION_KEYS, ...IMAGE_KEYS]);

/** The page answered, but not with a page (404, 500…). */
export class PageUnavailableError extends OutboundError {
  constructor(readonly status: number) {
    super(`The page could not be loaded (the site answered with status ${status})`);
  }
}

/**
 * Reads the Open Graph / Twitter card / <title> of a page: og:title, then
 * twitter:title, then <title>; og:description, then twitter:description, then
 * the meta description; og:image (its https variant first), then twitter:image.
 * Relative image URLs resolve against <base href> or the page; only http(s)
 * images are kept. Stops at the end of <head>: the card lives there.
 */
export function readPagePreview(html: string, pageUrl: string): PagePreview {
  const meta = new Map<string, string>();
  let title: string | null = null;
  let inTitle = false;
  let titleText = '';
  let baseHref: string | null = null;

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'body') return parser.pause(); // head is over even without </head>
        if (name === 'title' && title === null) {
          inTitle = true;
          titleText = '';
        } else if (name === 'base' && baseHref === null && attributes.href) {
          baseHref = attributes.href;
        } else if (name === 'meta') {
          const key = (attributes.property ?? attributes.name ?? '').trim().toLowerCase();
          if (META_KEYS.has(key) && !meta.has(key) && attributes.content !== undefined) meta.set(key, attributes.content);
        }
      },
      ontext(text) {
        if (inTitle) titleText += text;
      },
      onclosetag(name) {
        if (name === 'title' && inTitle) {
          inTitle = false;
          title = titleText;
        } else if (name === 'head') {
          parser.pause();
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();

  const base = resolveHttpUrl(baseHref ?? '', pageUrl) ?? pageUrl;
  return {
    title: firstText([...TITLE_KEYS.map((key) => meta.get(key)), title], PREVIEW_TITLE_MAX),
    description: firstText(
      DESCRIPTION_KEYS.map((key) => meta.get(key)),
      PREVIEW_DESCRIPTION_MAX,
    ),
    imageUrl: firstImage(
      IMAGE_KEYS.map((key) => meta.get(key)),
      base,
    ),
  };
}

/**
 * Fetches a page (HTML only, 5 s, 1 MB, every address checked) and reads its
 * preview. Throws the OutboundError of a failed fetch, or PageUnavailableError
 * for an answer other than 2xx; every message is fit to show the member.
 */
export async function fetchPagePreview(http: OutboundHttp, url: string): Promise<PagePreview> {
  const response = await http.fetch(url, { accept: 'html', timeoutMs: PREVIEW_TIMEOUT_MS, maxBytes: PREVIEW_MAX_BYTES });
  if (response.status < 200 || response.status >= 300) throw new PageUnavailableError(response.status);
  const html = decodeText(response.body, pageCharset(response.body, response.headers['content-type']));
  return readPagePreview(html, response.url);
}

/**
 * The encoding as the HTML standard picks it, simplified: a byte order mark,
 * then the Content-Type charset, then a <meta charset> (or http-equiv) in the
 * first 1024 bytes, then utf-8.
 */
export function pageCharset(body: Buffer, contentType: string | undefined): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  const declared = charsetOf(contentType);
  if (declared) return declared;
  const head = body.subarray(0, 1024).toString('latin1');
  const fromMeta =
    head.match(/<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i)?.[1] ??
    head.match(/<meta[^>]+content\s*=\s*["'][^"']*charset\s*=\s*([\w.:-]+)/i)?.[1];
  return fromMeta?.toLowerCase() ?? 'utf-8';
}

function firstText(candidates: Array<string | null | undefined>, max: number): string | null {
  for (const candidate of candidates) {
    const text = candidate?.replace(/\s+/g, ' ').trim();
    if (text) return truncate(text, max);
  }
  return null;
}

function firstImage(candidates: Array<string | undefined>, base: string): string | null {
  for (const candidate of candidates) {
    const url = resolveHttpUrl(candidate?.trim() ?? '', base);
    // A cut URL would point elsewhere: one too long is skipped, not shortened.
    if (url && url.length <= PREVIEW_IMAGE_URL_MAX) return url;
  }
  return null;
}

function resolveHttpUrl(href: string, base: string): string | null {
  if (!href) return null;
  try {
    const url = new URL(href, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** At most `max` characters (code points, so no emoji is cut in half), an ellipsis marking the cut. */
function truncate(text: string, max: number): string {
  const characters = Array.from(text);
  if (characters.length <= max) return text;
  return `${characters
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}
