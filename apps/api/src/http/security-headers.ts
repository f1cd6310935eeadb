import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '@sharepool/config';

/** Where the queue board is mounted (admin/queue-board.ts). */
const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * The web app's Content-Security-Policy: its own scripts and styles only, no
 * plugins, never framed. Post covers come from members' own sites, so images
 * may load from any web address.
 */
function appDirectives(config: AppConfig): Record<string, string[] | null> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'https:', 'http:'],
    'font-src': ["'self'", 'data:'],
    // Live subscriptions are a WebSocket to /graphql: 'self' covers it in current browsers (CSP 3),
    // the public address's ws(s): origin in those that predate that.
    'connect-src': ["'self'", new URL(config.publicUrl).origin.replace(/^http/, 'ws')],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    // Outside production the app runs on plain http (localhost, tests): upgrading would break it.
    'upgrade-insecure-requests': config.isProduction ? [] : null,
  };
}

/**
 * GraphiQL (development only) is the one page that needs more: its Monaco editor
 * adds <style> elements and runs its language service in workers.
 */
function graphiqlDirectives(config: AppConfig): Record<string, string[] | null> {
  return {
    ...appDirectives(config),
    'style-src': ["'self'", "'unsafe-inline'"],
    'worker-src': ["'self'", 'blob:'],
  };
}

/**
 * The queue board (Bull Board, admins only) styles its loading screen inline
 * and loads its fonts from Google Fonts; its scripts are its own files.
 */
function boardDirectives(config: AppConfig): Record<string, string[] | null> {
  return {
    ...appDirectives(config),
    'style-src': ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
    'font-src': ["'self'", 'data:', 'https://fonts.gstatic.com'],
  };
}

/**
 * Security headers on every answer: a strict CSP (looser styles on /graphiql
 * and the queue board only, never scripts), nosniff, no framing, Referrer-Policy strict-origin-when-cross-origin,
 * HSTS in production. X-Powered-By is switched off on the app and on every
 * sub-application separately (see the queue board).
 */
export function securityHeaders(config: AppConfig): RequestHandler {
  const common = {
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' as const },
    strictTransportSecurity: config.isProduction ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' as const },
    // Covers on members' sites are cross-origin images without CORP headers.
    crossOriginEmbedderPolicy: false,
  };
  const app = helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: appDirectives(config) } });
  const graphiql = helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: graphiqlDirectives(config) } });
  const board = helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: boardDirectives(config) } });
  return (req, res, next) => {
    if (config.graphiql && isGraphiqlPath(req.path)) return graphiql(req, res, next);
    if (req.path === QUEUE_BOARD_PATH || req.path.startsWith(`${QUEUE_BOARD_PATH}/`)) return board(req, res, next);
    return app(req, res, next);
  };
}

/** The GraphiQL page and the assets only it loads (its bundle, its editor's workers and styles). */
function isGraphiqlPath(path: string): boolean {
  return path === '/graphiql' || path.startsWith('/graphiql/');
}
