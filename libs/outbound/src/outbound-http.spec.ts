import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutboundHttp } from './outbound-http.js';
import {
  OutboundAddressRefusedError,
  OutboundContentTypeError,
  OutboundInvalidUrlError,
  OutboundNetworkError,
  OutboundTimeoutError,
  OutboundTooLargeError,
  OutboundTooManyRedirectsError,
} from './outbound.errors.js';
import type { HostResolver } from './outbound.types.js';

/** What the page server saw: one entry per request that reached it. */
interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

const HTML = '<!doctype html><html><head><title>Hello</title></head><body>Hi</body></html>';
const PUBLIC_ADDRESS = '93.184.216.34';

let server: Server;
let port: number;
let seen: Seen[];

/** The page server on 127.0.0.1: the only thing any test here ever connects to. */
function route(request: IncomingMessage, response: ServerResponse, url: URL, body: string) {
  const path = url.pathname;
  const hops = path.match(/^\/hops\/(\d+)$/);
  if (path === '/page') return response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HTML);
  if (path === '/xhtml') return response.writeHead(200, { 'content-type': 'application/xhtml+xml' }).end(HTML);
  if (path === '/json') return response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  if (path === '/missing') return response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"gone"}');
  if (path === '/echo') {
    const echo = { method: request.method, body, authorization: request.headers.authorization ?? null, host: request.headers.host };
    return response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(echo));
  }
  if (hops) {
    const left = Number(hops[1]);
    return response.writeHead(302, { location: left === 0 ? '/page' : `/hops/${left - 1}` }).end();
  }
  if (path === '/redirect') {
    const status = Number(url.searchParams.get('status') ?? 302);
    return response.writeHead(status, { location: url.searchParams.get('to') ?? '/page' }).end('moved');
  }
  if (path === '/big') {
    // 2 MB in 64 KB chunks, no Content-Length: only counting while streaming can stop it.
    response.writeHead(200, { 'content-type': 'text/html' });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < 32) {
        sent++;
        if (!response.write(chunk)) return response.once('drain', pump);
      }
      response.end();
    };
    return pump();
  }
  if (path === '/big-declared') {
    return response
      .writeHead(200, { 'content-type': 'text/html', 'content-length': String(2 * 1024 * 1024) })
      .end(Buffer.alloc(2 * 1024 * 1024));
  }
  if (path === '/slow') {
    // Headers and a first chunk at once, the rest never: the deadline covers the body too.
    response.writeHead(200, { 'content-type': 'text/html' });
    return response.write('<html><head>');
  }
  if (path === '/silent') return; // reads the request, never answers
  if (path === '/reset') return request.socket.destroy();
  response.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const url = new URL(request.url ?? '/', 'http://page.example');
      seen.push({ method: request.method ?? '', path: url.pathname + url.search, headers: request.headers, body });
      route(request, response, url, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
});

/** A DNS of our own: the hosts a test names, nothing else. */
function resolverOf(hosts: Record<string, string[]>, calls: string[] = []): HostResolver {
  return async (hostname) => {
    calls.push(hostname);
    const addresses = hosts[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const HOSTS: Record<string, string[]> = {
  'page.example': [PUBLIC_ADDRESS],
  'other.example': ['2606:4700:4700::1111'],
  'intranet.example': ['10.0.0.5'],
  'mixed.example': [PUBLIC_ADDRESS, '127.0.0.1'],
  'mapped.example': ['::ffff:127.0.0.1'],
  'metadata.example': ['169.254.169.254'],
};

/**
 * The production rule (allowPrivate false) with a test DNS; whatever address
 * passes the rule, the socket goes to the page server. Even if the rule were
 * broken, nothing would leave 127.0.0.1: the page server would answer instead
 * and the test would fail.
 */
function strictHttp(connected: string[] = [], calls: string[] = []): OutboundHttp {
  return new OutboundHttp({
    allowPrivate: false,
    resolve: resolverOf(HOSTS, calls),
    connectTo: (address) => {
      connected.push(address);
      return { host: '127.0.0.1', port };
    },
  });
}

const local = (path: string) => `http://127.0.0.1:${port}${path}`;
const pub = (path: string, host = 'page.example') => `http://${host}:${port}${path}`;

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('OutboundHttp', () => {
  describe('with private addresses allowed (local development)', () => {
    const http = new OutboundHttp({ allowPrivate: true });

    it('fetches a page from 127.0.0.1', async () => {
      const response = await http.fetch(local('/page'), { accept: 'html' });
      expect(response.status).toBe(200);
      expect(response.text()).toBe(HTML);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.url).toBe(local('/page'));
      expect(seen[0].headers['user-agent']).toMatch(/^Sharepool/);
    });

    it('still refuses the cloud metadata address', async () => {
      // Hooked to the page server so that a broken rule could not reach beyond 127.0.0.1 either.
      const hooked = new OutboundHttp({ allowPrivate: true, connectTo: () => ({ host: '127.0.0.1', port }) });
      const error = await failureOf(hooked.fetch('http://169.254.169.254/latest/meta-data'));
      expect(error).toBeInstanceOf(OutboundAddressRefusedError);
      expect(seen).toEqual([]);
    });

    it('still refuses schemes other than http and https', async () => {
      await expect(http.fetch('file:///etc/passwd')).rejects.toThrow(OutboundInvalidUrlError);
      await expect(http.fetch('gopher://127.0.0.1/')).rejects.toThrow(OutboundInvalidUrlError);
    });

    it('still enforces the byte limit', async () => {
      await expect(http.fetch(local('/big'))).rejects.toThrow(OutboundTooLargeError);
    });
  });

  describe('refusing what is not on the public internet', () => {
    it.each([
      ['http://127.0.0.1/', 'loopback'],
      ['http://127.0.0.1:{port}/page', 'loopback'],
      ['http://[::1]/', 'loopback'],
      ['http://169.254.169.254/latest/meta-data', 'cloudMetadata'],
      ['http://10.0.0.1/', 'private'],
      ['http://192.168.0.1/', 'private'],
      ['http://100.64.0.1/', 'carrierGradeNat'],
      ['http://[::ffff:127.0.0.1]/', 'loopback'],
      ['http://[fd00:ec2::254]/', 'cloudMetadata'],
      ['http://0.0.0.0/', 'unspecified'],
      ['http://2130706433/', 'loopback'],
      ['http://0x7f.1/', 'loopback'],
      ['http://intranet.example/', 'private'],
      ['http://mapped.example/', 'loopback'],
      ['http://metadata.example/', 'cloudMetadata'],
    ])('refuses %s (%s) without connecting', async (url, range) => {
      const connected: string[] = [];
      const error = await failureOf(strictHttp(connected).fetch(url.replace('{port}', String(port))));
      expect(error).toBeInstanceOf(OutboundAddressRefusedError);
      expect((error as OutboundAddressRefusedError).range).toBe(range);
      expect(connected).toEqual([]);
      expect(seen).toEqual([]);
    });

    it('refuses a host when any one of its addresses is private', async () => {
      const connected: string[] = [];
      await expect(strictHttp(connected).fetch(pub('/page', 'mixed.example'))).rejects.toThrow(OutboundAddressRefusedError);
      expect(connected).toEqual([]);
    });

    it('refuses localhost as the system resolver answers it', async () => {
      const http = new OutboundHttp({ allowPrivate: false, connectTo: () => ({ host: '127.0.0.1', port }) });
      await expect(http.fetch(`http://localhost:${port}/page`)).rejects.toThrow(OutboundAddressRefusedError);
      expect(seen).toEqual([]);
    });

    it('names the host the member gave, never the address it resolved to', async () => {
      const error = await failureOf(strictHttp().fetch('http://intranet.example/'));
      expect(error.message).toBe('Sharepool does not connect to intranet.example: it is not a public internet address');
      expect(error.message).not.toContain('10.0.0.5');
    });

    it('fetches a public host, connecting to the very address it checked', async () => {
      const connected: string[] = [];
      const calls: string[] = [];
      const response = await strictHttp(connected, calls).fetch(pub('/page'), { accept: 'html' });
      expect(response.status).toBe(200);
      expect(response.text()).toBe(HTML);
      expect(calls).toEqual(['page.example']);
      expect(connected).toEqual([PUBLIC_ADDRESS]);
      expect(seen[0].headers.host).toBe(`page.example:${port}`);
    });

    it('re-checks a redirect and refuses one to loopback', async () => {
      const connected: string[] = [];
      const to = encodeURIComponent(local('/page'));
      const error = await failureOf(strictHttp(connected).fetch(pub(`/redirect?to=${to}`)));
      expect(error).toBeInstanceOf(OutboundAddressRefusedError);
      expect(seen.map((s) => s.path)).toEqual([`/redirect?to=${to}`]);
      expect(connected).toEqual([PUBLIC_ADDRESS]);
    });

    it('re-checks a redirect to a host name that resolves to a private address', async () => {
      const to = encodeURIComponent(pub('/page', 'intranet.example'));
      await expect(strictHttp().fetch(pub(`/redirect?to=${to}`))).rejects.toThrow(OutboundAddressRefusedError);
      expect(seen).toHaveLength(1);
    });

    it('refuses a redirect to another scheme', async () => {
      const to = encodeURIComponent('file:///etc/passwd');
      await expect(strictHttp().fetch(pub(`/redirect?to=${to}`))).rejects.toThrow(OutboundInvalidUrlError);
    });
  });

  describe('URLs', () => {
    it.each(['not a url', '/relative/path', 'ftp://page.example/', 'javascript:alert(1)', 'data:text/html,hi'])(
      'refuses %j',
      async (url) => {
        await expect(strictHttp().fetch(url)).rejects.toThrow(OutboundInvalidUrlError);
      },
    );

    it('refuses a URL with a user name and password', async () => {
      const error = await failureOf(strictHttp().fetch(`http://user:secret@page.example:${port}/page`));
      expect(error).toBeInstanceOf(OutboundInvalidUrlError);
      expect(error.message).not.toContain('secret');
      expect(seen).toEqual([]);
    });

    it('reports a host that does not resolve as a network error before any request', async () => {
      const error = await failureOf(strictHttp().fetch('http://nowhere.example/'));
      expect(error).toBeInstanceOf(OutboundNetworkError);
      expect(error.message).toBe('The site nowhere.example could not be found');
      expect((error as OutboundNetworkError).requestSent).toBe(false);
    });
  });

  describe('redirects', () => {
    it('follows three redirects, each one checked', async () => {
      const connected: string[] = [];
      const response = await strictHttp(connected).fetch(pub('/hops/2'));
      expect(response.status).toBe(200);
      expect(response.url).toBe(pub('/page'));
      expect(seen.map((s) => s.path)).toEqual(['/hops/2', '/hops/1', '/hops/0', '/page']);
    });

    it('refuses a fourth redirect', async () => {
      const error = await failureOf(strictHttp().fetch(pub('/hops/3')));
      expect(error).toBeInstanceOf(OutboundTooManyRedirectsError);
      expect(error.message).toBe('The site redirected more than 3 times');
      expect(seen).toHaveLength(4);
    });

    it('returns the redirect itself when maxRedirects is 0', async () => {
      const response = await strictHttp().fetch(pub('/hops/0'), { maxRedirects: 0 });
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe('/page');
      expect(seen).toHaveLength(1);
    });

    it('turns a POST into a GET without body after a 303', async () => {
      const response = await strictHttp().fetch(pub('/redirect?status=303&to=/echo'), { method: 'POST', body: 'payload' });
      expect(response.json()).toMatchObject({ method: 'GET', body: '' });
    });

    it('repeats a POST with its body after a 307', async () => {
      const response = await strictHttp().fetch(pub('/redirect?status=307&to=/echo'), {
        method: 'POST',
        body: 'payload',
        headers: { 'Content-Type': 'text/plain' },
      });
      expect(response.json()).toMatchObject({ method: 'POST', body: 'payload' });
    });

    it('drops the authorization header when a redirect leaves the origin', async () => {
      const headers = { authorization: 'Bearer secret' };
      const sameOrigin = await strictHttp().fetch(pub('/redirect?to=/echo'), { headers });
      expect(sameOrigin.json()).toMatchObject({ authorization: 'Bearer secret' });

      const elsewhere = encodeURIComponent(pub('/echo', 'other.example'));
      const otherOrigin = await strictHttp().fetch(pub(`/redirect?to=${elsewhere}`), { headers });
      expect(otherOrigin.json()).toMatchObject({ authorization: null, host: `other.example:${port}` });
    });
  });

  describe('limits', () => {
    it('times out a slow page at the deadline, after the request was sent', async () => {
      const started = Date.now();
      const error = await failureOf(strictHttp().fetch(pub('/slow'), { timeoutMs: 300 }));
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(OutboundTimeoutError);
      expect((error as OutboundTimeoutError).afterRequestSent).toBe(true);
      expect(error.message).toBe('The site did not answer within 0.3 seconds');
      // Not before the deadline; and well before the 5 s default would have ended it (a loaded machine fires timers late).
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(4_500);
    });

    it('times out a silent site with the default deadline of 5 seconds', async () => {
      const started = Date.now();
      const error = await failureOf(strictHttp().fetch(pub('/silent'), { method: 'POST', body: '{"share":1}' }));
      expect(error).toBeInstanceOf(OutboundTimeoutError);
      expect((error as OutboundTimeoutError).afterRequestSent).toBe(true);
      // 5 s, not undici's own 300 s (timers may fire late on a loaded machine, never early).
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_990);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(seen).toEqual([expect.objectContaining({ method: 'POST', body: '{"share":1}' })]);
    }, 30_000);

    it('times out before sending anything when resolving the host outlasts the deadline', async () => {
      const http = new OutboundHttp({
        allowPrivate: false,
        resolve: () => new Promise(() => undefined),
        connectTo: () => ({ host: '127.0.0.1', port }),
      });
      const started = Date.now();
      const error = await failureOf(http.fetch(pub('/page'), { method: 'POST', body: 'x', timeoutMs: 200 }));
      expect(error).toBeInstanceOf(OutboundTimeoutError);
      expect((error as OutboundTimeoutError).afterRequestSent).toBe(false);
      // Ended by its own 200 ms deadline, not the 5 s default.
      expect(Date.now() - started).toBeLessThan(4_500);
      expect(seen).toEqual([]);
    });

    it('stops reading a 2 MB body at the 1 MB limit', async () => {
      const error = await failureOf(strictHttp().fetch(pub('/big')));
      expect(error).toBeInstanceOf(OutboundTooLargeError);
      expect(error.message).toBe('The page is larger than 1 MB');
    });

    it('refuses a declared 2 MB body before reading it', async () => {
      await expect(strictHttp().fetch(pub('/big-declared'))).rejects.toThrow(OutboundTooLargeError);
    });

    it('reads a body up to a larger limit when the caller asks for one', async () => {
      const response = await strictHttp().fetch(pub('/big'), { maxBytes: 3 * 1024 * 1024 });
      expect(response.body).toHaveLength(2 * 1024 * 1024);
    });

    it('refuses a JSON page when HTML is required', async () => {
      const error = await failureOf(strictHttp().fetch(pub('/json'), { accept: 'html' }));
      expect(error).toBeInstanceOf(OutboundContentTypeError);
      expect(error.message).toBe('The address is not a web page (it returned application/json)');
    });

    it('accepts XHTML when HTML is required', async () => {
      const response = await strictHttp().fetch(pub('/xhtml'), { accept: 'html' });
      expect(response.status).toBe(200);
    });

    it('returns an error status as it is, whatever its content type', async () => {
      const response = await strictHttp().fetch(pub('/missing'), { accept: 'html' });
      expect(response.status).toBe(404);
    });

    it('returns JSON when any content type is accepted', async () => {
      const response = await strictHttp().fetch(pub('/json'));
      expect(response.json()).toEqual({ ok: true });
      expect((await strictHttp().fetch(pub('/page'))).json()).toBeUndefined();
    });
  });

  describe('network failures', () => {
    it('reports a refused connection as not sent', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const deadPort = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const http = new OutboundHttp({ allowPrivate: true });
      const error = await failureOf(http.fetch(`http://127.0.0.1:${deadPort}/`));
      expect(error).toBeInstanceOf(OutboundNetworkError);
      expect((error as OutboundNetworkError).requestSent).toBe(false);
      expect(error.message).toBe('Could not connect to 127.0.0.1');
    });

    it('reports a connection dropped after the request as sent', async () => {
      const error = await failureOf(strictHttp().fetch(pub('/reset'), { method: 'POST', body: 'x' }));
      expect(error).toBeInstanceOf(OutboundNetworkError);
      expect((error as OutboundNetworkError).requestSent).toBe(true);
      expect(error.message).toBe('The connection to page.example was lost before it answered');
    });

    it('tries the next address of a host when one refuses the connection', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const deadPort = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const http = new OutboundHttp({
        allowPrivate: false,
        resolve: resolverOf({ 'page.example': ['93.184.216.1', PUBLIC_ADDRESS] }),
        connectTo: (address) => ({ host: '127.0.0.1', port: address === PUBLIC_ADDRESS ? port : deadPort }),
      });
      expect((await http.fetch(pub('/page'))).status).toBe(200);
    });
  });

  describe('fetchFunction()', () => {
    const http = strictHttp();
    const guardedFetch = http.fetchFunction();
    afterAll(() => http.close());

    it('fetches a public host like fetch does', async () => {
      const response = await guardedFetch(pub('/json'));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
    });

    it('accepts a Request object of the global fetch', async () => {
      const response = await guardedFetch(new Request(pub('/echo'), { method: 'POST', body: 'hello' }));
      expect(await response.json()).toMatchObject({ method: 'POST', body: 'hello' });
    });

    it('refuses loopback with the reason as the cause', async () => {
      const error = await failureOf(guardedFetch(local('/page')));
      expect(error).toBeInstanceOf(TypeError);
      expect(error.cause).toBeInstanceOf(OutboundAddressRefusedError);
      expect(seen).toEqual([]);
    });

    it('refuses a redirect to a private host', async () => {
      const to = encodeURIComponent(pub('/page', 'intranet.example'));
      const error = await failureOf(guardedFetch(pub(`/redirect?to=${to}`)));
      expect(error.cause).toBeInstanceOf(OutboundAddressRefusedError);
      expect(seen).toHaveLength(1);
    });

    it('refuses other schemes', async () => {
      const error = await failureOf(guardedFetch('file:///etc/passwd'));
      expect(error.cause).toBeInstanceOf(OutboundInvalidUrlError);
    });
  });
});

describe('connection reuse', () => {
  it('keeps a checked connection open for the next call to the same site: one lookup, one connect', async () => {
    const connected: string[] = [];
    const calls: string[] = [];
    const http = strictHttp(connected, calls);
    try {
      for (let i = 0; i < 3; i++) {
        expect((await http.fetch(`http://page.example:${port}/page`)).status).toBe(200);
        // The connection goes back to the pool once the answer is read to its end.
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(calls).toEqual(['page.example']);
      expect(connected).toEqual([PUBLIC_ADDRESS]);
    } finally {
      await http.close();
    }
  });

  it('checks the address of every new connection, whatever is pooled: a refused host stays refused', async () => {
    const connected: string[] = [];
    const http = strictHttp(connected);
    try {
      expect((await http.fetch(`http://page.example:${port}/page`)).status).toBe(200);
      await expect(http.fetch(`http://intranet.example:${port}/page`)).rejects.toBeInstanceOf(OutboundAddressRefusedError);
      expect(connected).toEqual([PUBLIC_ADDRESS]);
    } finally {
      await http.close();
    }
  });
});
