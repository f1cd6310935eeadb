import type { IncomingHttpHeaders } from 'node:http';
import type { OutboundResponse } from './outbound.types.js';

/** A fully read answer; `text()` decodes with the Content-Type charset (utf-8 when absent or unknown). */
export class BufferedOutboundResponse implements OutboundResponse {
  constructor(
    readonly status: number,
    readonly headers: Readonly<Record<string, string>>,
    readonly url: string,
    readonly body: Buffer,
  ) {}

  text(): string {
    return decodeText(this.body, charsetOf(this.headers['content-type']));
  }

  json(): unknown {
    try {
      return JSON.parse(this.text());
    } catch {
      return undefined;
    }
  }
}

/** The charset parameter of a Content-Type header, lower-cased, if any. */
export function charsetOf(contentType: string | undefined): string | undefined {
  return contentType?.match(/;\s*charset\s*=\s*"?([^";\s]+)/i)?.[1]?.toLowerCase();
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return mediaType || undefined;
}

/** Decodes with the WHATWG label (latin1, windows-1252, shift_jis…); unknown labels fall back to utf-8. */
export function decodeText(body: Uint8Array, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

/** Header names lower-cased; repeated headers joined as HTTP allows. */
export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
