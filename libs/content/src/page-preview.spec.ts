import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutboundAddressRefusedError, OutboundContentTypeError, OutboundHttp, OutboundTooLargeError } from '@sharepool/outbound';
import { fetchPagePreview, pageCharset, PageUnavailableError, readPagePreview } from './page-preview.js';

const PAGE = 'https://news.example/articles/42';

const page = (head: string, body = '') => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;

describe('reading a page preview', () => {
  it('prefers Open Graph over the Twitter card over the <title>', () => {
    const html = page(`
      <title>Plain title</title>
      <meta name="twitter:title" content="Card title">
      <meta property="og:title" content="OG title">
      <meta name="description" content="Plain description">
      <meta name="twitter:description" content="Card description">
      <meta property="og:description" content="OG description">
      <meta name="twitter:image" content="https://cdn.example/card.png">
      <meta property="og:image" content="https://cdn.example/og.png">`);
    expect(readPagePreview(html, PAGE)).toEqual({
      title: 'OG title',
      description: 'OG description',
      imageUrl: 'https://cdn.example/og.png',
    });
  });

  it('falls back to the Twitter card, then to <title> and the meta description', () => {
    const card = page(`<title>Plain</title><meta name="twitter:title" content="Card"><meta name="twitter:description" content="Card text">
      <meta name="description" content="Plain text"><meta name="twitter:image:src" content="/img/card.jpg">`);
    expect(readPagePreview(card, PAGE)).toEqual({ title: 'Card', description: 'Card text', imageUrl: 'https://news.example/img/card.jpg' });

    const plain = page('<title>Plain</title><meta name="description" content="Plain text">');
    expect(readPagePreview(plain, PAGE)).toEqual({ title: 'Plain', description: 'Plain text', imageUrl: null });
  });

  it('returns nulls for a page that says nothing about itself', () => {
    expect(readPagePreview('<html><body>Hello</body></html>', PAGE)).toEqual({ title: null, description: null, imageUrl: null });
    expect(readPagePreview('', PAGE)).toEqual({ title: null, description: null, imageUrl: null });
  });

  it('skips empty values for the next candidate', () => {
    const html = page('<title>Fallback</title><meta property="og:title" content="   "><meta property="og:description" content="">');
    expect(readPagePreview(html, PAGE)).toMatchObject({ title: 'Fallback', description: null });
  });

  it('reads og: tags given with name= instead of property=, in any case', () => {
    const html = page('<META NAME="OG:Title" CONTENT="Shouted">');
    expect(readPagePreview(html, PAGE).title).toBe('Shouted');
  });

  it('decodes entities and collapses whitespace', () => {
    const html = page(`<title>
        Fish &amp; Chips &#8212;   the
        &quot;best&quot;&nbsp;guide </title>
      <meta property="og:description" content="Caf&eacute; &lt;3 &#x1F600;">`);
    expect(readPagePreview(html, PAGE)).toMatchObject({ title: 'Fish & Chips — the "best" guide', description: 'Café <3 😀' });
  });

  it('caps the title at 200 and the description at 500 characters, marking the cut', () => {
    const html = page(`<title>${'t'.repeat(300)}</title><meta name="description" content="${'😀'.repeat(600)}">`);
    const preview = readPagePreview(html, PAGE);
    expect(preview.title).toBe(`${'t'.repeat(199)}…`);
    expect(Array.from(preview.description!)).toHaveLength(500);
    expect(preview.description!.endsWith('😀…')).toBe(true);
  });

  it('resolves a relative image against the page, and against <base href> when there is one', () => {
    expect(readPagePreview(page('<meta property="og:image" content="../img/a.png">'), PAGE).imageUrl).toBe(
      'https://news.example/img/a.png',
    );
    expect(readPagePreview(page('<meta property="og:image" content="//cdn.example/a.png">'), PAGE).imageUrl).toBe(
      'https://cdn.example/a.png',
    );
    const based = page('<base href="https://static.example/assets/"><meta property="og:image" content="a.png">');
    expect(readPagePreview(based, PAGE).imageUrl).toBe('https://static.example/assets/a.png');
  });

  it('prefers the https variant of og:image', () => {
    const html = page(
      '<meta property="og:image" content="http://cdn.example/a.png"><meta property="og:image:secure_url" content="https://cdn.example/a.png">',
    );
    expect(readPagePreview(html, PAGE).imageUrl).toBe('https://cdn.example/a.png');
  });

  it('keeps only http and https images, trying the next candidate', () => {
    const html = page(`<meta property="og:image" content="data:image/png;base64,AAAA">
      <meta property="og:image:url" content="javascript:alert(1)"><meta name="twitter:image" content="https://cdn.example/card.png">`);
    expect(readPagePreview(html, PAGE).imageUrl).toBe('https://cdn.example/card.png');
    expect(readPagePreview(page('<meta property="og:image" content="ftp://x.example/a.png">'), PAGE).imageUrl).toBeNull();
  });

  it('skips an image URL longer than 2,048 characters rather than cutting it', () => {
    const long = `https://cdn.example/${'a'.repeat(2100)}.png`;
    const html = page(`<meta property="og:image" content="${long}"><meta name="twitter:image" content="https://cdn.example/b.png">`);
    expect(readPagePreview(html, PAGE).imageUrl).toBe('https://cdn.example/b.png');
  });

  it('stops at the end of <head>', () => {
    const html = page('<title>Head title</title>', '<meta property="og:title" content="Body meta"><title>Body title</title>');
    expect(readPagePreview(html, PAGE).title).toBe('Head title');
    const noHeadEnd = '<html><head><meta name="description" content="Head"><body><meta property="og:description" content="Body">';
    expect(readPagePreview(noHeadEnd, PAGE).description).toBe('Head');
  });

  it('reads a page without <head> or <html>', () => {
    expect(readPagePreview('<title>Bare</title><meta property="og:image" content="/a.png">', PAGE)).toEqual({
      title: 'Bare',
      description: null,
      imageUrl: 'https://news.example/a.png',
    });
  });

  it('ignores markup that only looks like a title inside scripts', () => {
    const html = page('<script>document.write("<title>Fake</title>")</script><title>Real</title>');
    expect(readPagePreview(html, PAGE).title).toBe('Real');
  });
});

describe('the encoding of a page', () => {
  const latin1 = (text: string) => Buffer.from(text, 'latin1');

  it('is the Content-Type charset when given', () => {
    expect(pageCharset(latin1('<meta charset="utf-8">'), 'text/html; charset=ISO-8859-1')).toBe('iso-8859-1');
  });

  it('is the <meta charset> or http-equiv declaration otherwise', () => {
    expect(pageCharset(latin1('<html><head><meta charset="windows-1252">'), 'text/html')).toBe('windows-1252');
    expect(pageCharset(latin1('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'), undefined)).toBe('iso-8859-1');
  });

  it('is utf-8 by default and whatever a byte order mark says first', () => {
    expect(pageCharset(latin1('<html>'), 'text/html')).toBe('utf-8');
    expect(pageCharset(Buffer.from([0xef, 0xbb, 0xbf, 0x3c]), 'text/html; charset=iso-8859-1')).toBe('utf-8');
  });
});

describe('fetching a page preview', () => {
  let server: Server;
  let port: number;
  const pages: Record<string, { type: string; body: Buffer; status?: number; location?: string }> = {
    '/article': {
      type: 'text/html; charset=utf-8',
      body: Buffer.from(page('<title>Ünïcode title</title><meta property="og:image" content="/cover.jpg">')),
    },
    '/latin1': { type: 'text/html; charset=iso-8859-1', body: Buffer.from(page('<title>Crème brûlée</title>'), 'latin1') },
    '/meta-charset': { type: 'text/html', body: Buffer.from(page('<meta charset="iso-8859-1"><title>Café</title>'), 'latin1') },
    '/moved': { type: 'text/html', body: Buffer.alloc(0), status: 301, location: '/new/article' },
    '/new/article': { type: 'text/html', body: Buffer.from(page('<title>Moved</title><meta property="og:image" content="cover.jpg">')) },
    '/api': { type: 'application/json', body: Buffer.from('{"title":"nope"}') },
    '/huge': { type: 'text/html', body: Buffer.alloc(2 * 1024 * 1024, ' ') },
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const found = pages[request.url ?? ''];
      if (!found) return response.writeHead(404, { 'content-type': 'text/html' }).end('<title>Not found</title>');
      const headers: Record<string, string> = { 'content-type': found.type };
      if (found.location) headers.location = found.location;
      response.writeHead(found.status ?? 200, headers).end(found.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** The production address rule; news.example "resolves" to a public address whose socket goes to the page server. */
  const http = () =>
    new OutboundHttp({
      allowPrivate: false,
      resolve: async (hostname) => (hostname === 'news.example' ? [{ address: '93.184.216.34', family: 4 }] : []),
      connectTo: () => ({ host: '127.0.0.1', port }),
    });
  const at = (path: string) => `http://news.example:${port}${path}`;

  it('reads the preview of a page', async () => {
    expect(await fetchPagePreview(http(), at('/article'))).toEqual({
      title: 'Ünïcode title',
      description: null,
      imageUrl: at('/cover.jpg'),
    });
  });

  it('decodes a latin1 page by its Content-Type charset', async () => {
    expect((await fetchPagePreview(http(), at('/latin1'))).title).toBe('Crème brûlée');
  });

  it('decodes a page by its <meta charset> when the header has none', async () => {
    expect((await fetchPagePreview(http(), at('/meta-charset'))).title).toBe('Café');
  });

  it('resolves images against the URL the page was finally served from', async () => {
    expect(await fetchPagePreview(http(), at('/moved'))).toMatchObject({ title: 'Moved', imageUrl: at('/new/cover.jpg') });
  });

  it('refuses a page that answers with an error status', async () => {
    const error = await fetchPagePreview(http(), at('/gone')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PageUnavailableError);
    expect((error as Error).message).toBe('The page could not be loaded (the site answered with status 404)');
  });

  it('refuses what is not HTML', async () => {
    await expect(fetchPagePreview(http(), at('/api'))).rejects.toThrow(OutboundContentTypeError);
  });

  it('refuses a page larger than 1 MB', async () => {
    await expect(fetchPagePreview(http(), at('/huge'))).rejects.toThrow(OutboundTooLargeError);
  });

  it('refuses a page on a private address', async () => {
    await expect(fetchPagePreview(http(), `http://127.0.0.1:${port}/article`)).rejects.toThrow(OutboundAddressRefusedError);
  });
});
