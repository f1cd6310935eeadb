import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import type { Authenticated } from '@sharepool/auth';
import { type Actor, ANONYMOUS, AuthenticationError, DomainError, PermissionDeniedError } from '@sharepool/kernel';

/** What authentication leaves on the request for the GraphQL context and admin routes. */
export interface AuthenticatedRequest extends Request {
  actor?: Actor;
  authenticated?: Authenticated;
}

const STRATEGIES = ['api-key', 'jwt'];

/**
 * Runs the Passport strategies once per HTTP request. Without credentials the
 * request is anonymous; with credentials that fail, it is anonymous too but
 * remembers why, so that whatever needs a member says so precisely (expired
 * token, revoked key, suspended account) while public fields still answer.
 */
@Injectable()
export class AuthenticationMiddleware implements NestMiddleware {
  use(req: AuthenticatedRequest, res: Response, next: NextFunction): void {
    if (!req.headers.authorization) {
      req.actor = ANONYMOUS;
      return next();
    }
    passport.authenticate(STRATEGIES, { session: false }, (error: unknown, result: Authenticated | false) => {
      if (error && !(error instanceof DomainError)) return next(error);
      if (error) {
        const failure = error instanceof PermissionDeniedError ? error : new AuthenticationError((error as Error).message);
        req.actor = { kind: 'anonymous', failure };
      } else if (result) {
        req.authenticated = result;
        req.actor = result.actor;
      } else {
        req.actor = {
          kind: 'anonymous',
          failure: new AuthenticationError('The bearer token is not valid or has expired: refresh it or sign in again'),
        };
      }
      next();
    })(req, res, next);
  }
}
