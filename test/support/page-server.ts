import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the page server answers on one path. */
export interface ServedPage {
  readonly status?: number;
  readonly contentType?: string;
  readonly body?: string;
  readonly location?: string;
  /** Wait this long before answering. */
  readonly delayMs?: number;
}

/** A small web site on 127.0.0.1 for page previews: fixed pages per path, and a log of what was asked. */
export interface PageServer {
  readonly port: number;
  /** `http://127.0.0.1:<port><path>`. */
  url(path: string): string;
  serve(path: string, page: ServedPage): void;
  /** The paths requested so far, in order. */
  readonly requested: string[];
  close(): Promise<void>;
}

/** An HTML page with `head` inside <head>. */
export const htmlPage = (head: string, body = '<p>Hello</p>') => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;

export async function startPageServer(): Promise<PageServer> {
  const pages = new Map<string, ServedPage>();
  const requested: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = request.url ?? '/';
    requested.push(path);
    const page = pages.get(path) ?? { status: 404, body: htmlPage('<title>Not found</title>') };
    const answer = () => {
      const headers: Record<string, string> = { 'content-type': page.contentType ?? 'text/html; charset=utf-8' };
      if (page.location) headers.location = page.location;
      response.writeHead(page.status ?? 200, headers).end(page.body ?? '');
    };
    if (page.delayMs) setTimeout(answer, page.delayMs);
    else answer();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    serve: (path, page) => void pages.set(path, page),
    requested,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
