import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { type ClickRecorder, isHumanClick, type LinkResolution, type ShareLinksService } from '@sharepool/links';

/** The path of short links: PUBLIC_URL/s/<code>. */
export const SHORT_LINK_PATH = '/s';

const PAGE_STYLE = 'body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2933}';
/**
 * The 404 and 410 pages' own policy: nothing loads, their one style element is
 * allowed by its hash (the app's policy allows no inline style at all).
 */
export const SHORT_LINK_PAGE_CSP =
  `default-src 'none'; style-src 'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'; ` +
  `base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<meta name="robots" content="noindex"><title>${title} · Sharepool</title><style>${PAGE_STYLE}</style></head>` +
  `<body><h1>${title}</h1><p>${text}</p></body></html>`;
const NOT_FOUND_PAGE = page('Link not found', 'This link does not lead anywhere. Check that it was copied whole.');
const GONE_PAGE = page('No longer available', 'The content this link led to is no longer available.');

/**
 * GET /s/<code>: the redirect of a share's short link. Answered from memory
 * when the code was seen since the last change of posts or pauses; a human
 * click is written to Redis (with the other clicks of the same turn of the
 * event loop) before the answer goes out, and nobody waits for Redis to reply. Neither the IP address nor the user agent is kept: the
 * recorder only sends a keyed hash of them, and the access log (pino-http)
 * writes the request id, method and path alone.
 */
export function shortLinkRoute(links: ShareLinksService, recorder: ClickRecorder) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const code = req.path.slice(1);
    const remembered = links.remembered(code);
    if (remembered !== undefined) return answer(req, res, remembered, recorder);
    links.resolve(code).then((resolution) => answer(req, res, resolution, recorder), next);
  };
}

function answer(req: Request, res: Response, link: LinkResolution | null, recorder: ClickRecorder): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.status(405).setHeader('allow', 'GET, HEAD').end();
    return;
  }
  res.setHeader('cache-control', 'private, max-age=0');
  if (!link || link.state === 'GONE') {
    res
      .status(link ? 410 : 404)
      .setHeader('content-security-policy', SHORT_LINK_PAGE_CSP)
      .type('html')
      .send(link ? GONE_PAGE : NOT_FOUND_PAGE);
    return;
  }
  res.setHeader('referrer-policy', 'no-referrer-when-downgrade');
  res.setHeader('location', link.target);
  res.statusCode = 302;
  const userAgent = req.headers['user-agent'];
  if (isHumanClick({ method: req.method, userAgent, header: (name) => req.header(name) })) {
    // Answered once the click is on its way to Redis (the end of this turn of the event loop).
    recorder.record(link.shareId, req.ip ?? req.socket.remoteAddress ?? '', userAgent!, () => res.end());
  } else {
    res.end();
  }
}
