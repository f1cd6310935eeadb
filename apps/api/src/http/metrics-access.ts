import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppConfig } from '@sharepool/config';

/**
 * Who may read /metrics on the main port. With METRICS_TOKEN set, only a
 * request bearing it (in any environment). Otherwise open outside production;
 * in production the metrics are served on METRICS_PORT only (see
 * MetricsServer), or not at all, and the main port answers 404.
 */
export function metricsAccess(config: AppConfig): RequestHandler {
  const expected = config.metricsToken ? digest(config.metricsToken) : undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    if (expected) {
      const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (given && timingSafeEqual(digest(given), expected)) return next();
      res.status(401).set('www-authenticate', 'Bearer realm="metrics"').type('text/plain').send('Metrics need the bearer token.');
      return;
    }
    if (!config.isProduction) return next();
    res.status(404).type('text/plain').send('Not found');
  };
}

/** Equal-length values for a constant-time comparison. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
