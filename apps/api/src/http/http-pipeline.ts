import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { AppConfig } from '@sharepool/config';
import { ClickRecorder, ShareLinksService } from '@sharepool/links';
import type { Metrics } from '@sharepool/observability';
import { GRAPHQL_PATH } from '../graphql/graphql-api.module.js';
import { metricsAccess } from './metrics-access.js';
import { securityHeaders } from './security-headers.js';
import { SHORT_LINK_PATH, shortLinkRoute } from './short-link.route.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;
export const BODY_LIMIT = '100kb';

/** Where the built web client lives (apps/web/dist), if it was built. */
export function webDistDir(): string | undefined {
  const dir = resolve(process.cwd(), 'apps/web/dist');
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}

/**
 * Express middleware around Nest: request ids, access logs, HTTP metrics, the
 * short links' redirect, the 100 kB body limit with GraphQL-shaped errors, and
 * the web client.
 */
export function configureHttpPipeline(
  app: INestApplication,
  config: AppConfig,
  logger: Logger,
  metrics: Metrics,
  web: string | undefined = webDistDir(),
): void {
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.disable('x-powered-by');
  http.set('trust proxy', config.trustProxy);

  app.use(securityHeaders(config));

  app.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.header('x-request-id');
    const id = given && REQUEST_ID.test(given) ? given : randomUUID();
    (req as Request & { id: string }).id = id;
    res.setHeader('x-request-id', id);
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => end({ method: req.method, route: routeLabel(req), status: String(res.statusCode) }));
    next();
  });
  app.use(
    pinoHttp({
      logger,
      genReqId: (req) => (req as Request & { id: string }).id,
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug'),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0] }),
      },
    }),
  );
  app.use('/metrics', metricsAccess(config));
  app.use(SHORT_LINK_PATH, shortLinkRoute(app.get(ShareLinksService), app.get(ClickRecorder)));
  app.use(GRAPHQL_PATH, express.json({ limit: BODY_LIMIT }));
  app.use(graphqlBodyErrors);

  if (config.graphiql && web && existsSync(join(web, 'graphiql.html'))) {
    app.use('/graphiql', (_req: Request, res: Response) => res.sendFile(join(web, 'graphiql.html')));
  }
  if (web) {
    app.use(express.static(web, { index: false, maxAge: '1h' }));
    // Client-side routes: any other GET (or HEAD, as uptime monitors send) for a page gets the app's index.html.
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (
        (req.method !== 'GET' && req.method !== 'HEAD') ||
        !req.accepts('html') ||
        /^\/(graphql|health|ready|metrics|admin\/queues|auth\/session|auth\/verify-email|mail\/|oauth\/)/.test(req.path)
      )
        return next();
      res.sendFile(join(web, 'index.html'));
    });
  }
}

const KNOWN_ROUTES =
  /^\/(graphql|graphiql|health|ready|metrics|admin\/queues|auth\/session|auth\/verify-email|mail\/unsubscribe|s|oauth\/callback)(?=\/|$)/;
function routeLabel(req: Request): string {
  const match = KNOWN_ROUTES.exec(req.path);
  return match ? `/${match[1]}` : 'other';
}

/** A body that is too large or not JSON gets a 4xx with a GraphQL error, never a 500. */
const graphqlBodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const status = typeof error?.status === 'number' ? error.status : typeof error?.statusCode === 'number' ? error.statusCode : 0;
  if (status < 400 || status >= 500) return next(error);
  const message =
    error.type === 'entity.too.large'
      ? `Request body is larger than ${BODY_LIMIT}`
      : error.type === 'entity.parse.failed'
        ? 'Request body is not valid JSON'
        : 'Malformed request';
  res
    .status(status)
    .type('application/json')
    .json({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });
};
