import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, RateLimitedError } from '@sharepool/kernel';
import { domainErrorCode } from './error-formatter.js';

const logger = new Logger('DomainErrors');

const HTTP_STATUS: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INSUFFICIENT_CREDITS: 409,
  RATE_LIMITED: 429,
};

/**
 * A domain error is the client's mistake or a rule doing its job (a wrong
 * password, RATE_LIMITED, CONFLICT), not a fault of the server: it is logged
 * at debug (a limit reached at info), where Nest's own handler would log every
 * one at error. Errors at error level are then the unexpected ones only. The
 * error goes on to the GraphQL formatter unchanged; an HTTP route gets the
 * same error shape with a matching status.
 */
@Catch(DomainError)
export class DomainErrorFilter implements ExceptionFilter {
  catch(error: DomainError, host: ArgumentsHost): unknown {
    const code = domainErrorCode(error);
    const line = `${code}: ${error.message}`;
    if (error instanceof RateLimitedError) logger.log(line);
    else logger.debug(line);
    if (host.getType<string>() === 'graphql') return error; // graphql-js treats a returned Error as thrown
    const res = host.switchToHttp().getResponse<Response>();
    if (error instanceof RateLimitedError) res.setHeader('retry-after', String(error.retryAfter));
    res.status(HTTP_STATUS[code] ?? 400).json({ errors: [{ message: error.message, extensions: { code, ...error.details } }] });
    return undefined;
  }
}
