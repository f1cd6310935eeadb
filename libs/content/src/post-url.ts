import { InvalidInputError } from '@sharepool/kernel';

export const POST_URL_MAX_LENGTH = 2048;

/** Query parameters that only say where a click came from: dropped so one page is one post. */
const TRACKING_PARAMETERS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'mc_cid',
  'mc_eid',
  'igshid',
  'igsh',
  'yclid',
  'ysclid',
  '_hsenc',
  '_hsmi',
  '__hstc',
  '__hssc',
  '__hsfp',
  'hsctatracking',
  'mkt_tok',
  'oly_anon_id',
  'oly_enc_id',
  'rb_clickid',
  's_cid',
  'vero_id',
  'vero_conv',
  'wickedid',
  '_openstat',
  'srsltid',
  'ref_src',
  'ref_url',
]);

/**
 * The URL of a post as stored and compared: http or https, at most 2,048
 * characters, no user:password, lower-case scheme and host (Unicode hosts in
 * punycode), no default port, no fragment, no tracking parameters, the rest of
 * the query in its order. Anything else is BAD_USER_INPUT on `url`.
 *
 * IP-literal and single-label hosts are accepted: this is a rule about the
 * form of the URL. Whether Sharepool may reach the host is the outbound
 * address rule's business, applied when the page is fetched.
 */
export function normalisePostUrl(input: string): string {
  const text = input.trim();
  if (!text) throw new InvalidInputError('url', 'Enter the URL of the page');
  if (text.length > POST_URL_MAX_LENGTH) throw tooLong();

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidInputError('url', 'Enter a full URL, starting with http:// or https://');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidInputError('url', 'Only http:// and https:// URLs can be posted');
  }
  if (url.username || url.password) throw new InvalidInputError('url', 'A URL must not contain a user name or password');
  // The URL parser already lower-cased scheme and host, punycoded Unicode hosts and dropped default ports.
  const host = url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname;
  if (!host || (!host.startsWith('[') && host.split('.').includes('')))
    throw new InvalidInputError('url', 'The URL has no valid host name');
  url.hostname = host;
  url.hash = '';
  url.search = withoutTracking(url.search);

  const normalised = url.href;
  if (normalised.length > POST_URL_MAX_LENGTH) throw tooLong();
  return normalised;
}

/** Filters the raw query so the parameters kept are byte for byte what the member gave. */
function withoutTracking(search: string): string {
  const kept = search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !isTracking(parameterName(pair)));
  return kept.length ? `?${kept.join('&')}` : '';
}

function parameterName(pair: string): string {
  const raw = pair.split('=', 1)[0].replace(/\+/g, ' ');
  try {
    return decodeURIComponent(raw).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

function isTracking(name: string): boolean {
  return name.startsWith('utm_') || TRACKING_PARAMETERS.has(name);
}

function tooLong(): InvalidInputError {
  return new InvalidInputError('url', `A URL is at most ${POST_URL_MAX_LENGTH.toLocaleString('en')} characters`);
}
