import { FakeHttpServer, routePath } from '@sharepool/testing/fakes';

/** The article the author submits: what its page says about itself in its Open Graph tags. */
export const ARTICLE = {
  path: '/articles/grow-together',
  title: 'Grow together: a field guide to peer sharing',
  summary: 'Why a small circle of peers who share each other’s work beats chasing strangers, and how to keep it fair.',
} as const;

export interface BlogSite {
  readonly url: string;
  articleUrl(): string;
  /** Paths the site was asked for, in order (the API's preview fetch, the browser's image load). */
  readonly requested: readonly string[];
  close(): Promise<void>;
}

/**
 * The author's blog on 127.0.0.1: one article with a title, summary and cover image in its
 * Open Graph tags, so the post card shows the preview the API fetched, as it would in production.
 */
export async function startBlogSite(): Promise<BlogSite> {
  let base = '';
  const server = await FakeHttpServer.start([
    {
      name: 'article',
      method: 'GET',
      path: routePath(ARTICLE.path),
      handle: () => ({ status: 200, body: articlePage(base) }),
    },
    {
      name: 'cover',
      method: 'GET',
      path: routePath('/images/cover.svg'),
      handle: () => ({ status: 200, headers: { 'content-type': 'image/svg+xml' }, body: COVER_SVG }),
    },
  ]);
  base = server.url;
  return {
    url: server.url,
    articleUrl: () => `${server.url}${ARTICLE.path}`,
    get requested() {
      return server.requests.map((r) => r.path);
    },
    close: () => server.close(),
  };
}

function articlePage(base: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${ARTICLE.title} · Ada's notes</title>
  <meta property="og:title" content="${ARTICLE.title}">
  <meta property="og:description" content="${ARTICLE.summary}">
  <meta property="og:image" content="${base}/images/cover.svg">
</head>
<body><h1>${ARTICLE.title}</h1><p>${ARTICLE.summary}</p></body>
</html>`;
}

const COVER_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#4f46e5"/><stop offset="1" stop-color="#0ea5e9"/></linearGradient></defs>
  <rect width="1200" height="630" fill="url(#g)"/>
  <circle cx="480" cy="315" r="150" fill="#ffffff" fill-opacity="0.25"/>
  <circle cx="720" cy="315" r="150" fill="#ffffff" fill-opacity="0.25"/>
</svg>`;
