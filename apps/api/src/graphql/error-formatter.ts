import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { HttpException, Logger } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import {
  AuthenticationError,
  ConflictError,
  DomainError,
  InsufficientCreditsError,
  InvalidInputError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitedError,
} from '@sharepool/kernel';
import type { GraphqlContext } from './request-context.js';

/** The error codes of the partner contract. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INSUFFICIENT_CREDITS'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

/** The one table from domain error families to GraphQL codes. */
const DOMAIN_CODES: Array<[abstract new (...args: never[]) => DomainError, ErrorCode]> = [
  [InvalidInputError, 'BAD_USER_INPUT'],
  [AuthenticationError, 'UNAUTHENTICATED'],
  [PermissionDeniedError, 'FORBIDDEN'],
  [NotFoundError, 'NOT_FOUND'],
  [ConflictError, 'CONFLICT'],
  [InsufficientCreditsError, 'INSUFFICIENT_CREDITS'],
  [RateLimitedError, 'RATE_LIMITED'],
];

/** The contract's code for a domain error. */
export function domainErrorCode(error: DomainError): ErrorCode {
  return DOMAIN_CODES.find(([family]) => error instanceof family)?.[1] ?? 'INTERNAL_SERVER_ERROR';
}

const HTTP_CODES: Record<number, ErrorCode> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'BAD_USER_INPUT',
  429: 'RATE_LIMITED',
};

/** Apollo's and graphql-js's own codes for a request that is malformed or invalid. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

const logger = new Logger('GraphQL');

/**
 * Turns any error into one with an `extensions.code` of the contract. Domain
 * errors keep their message and safe details; anything unexpected becomes a bare
 * INTERNAL_SERVER_ERROR (requestErrorsPlugin logs its details and adds the
 * request id).
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

  if (original instanceof DomainError) {
    const code = domainErrorCode(original);
    return { ...base, message: original.message, extensions: { code, ...original.details } };
  }
  if (original instanceof HttpException) {
    const status = original.getStatus();
    const code = HTTP_CODES[status];
    if (code) return { ...base, message: httpMessage(original), extensions: { code, ...validationField(original) } };
  }
  const existing = formatted.extensions?.code;
  if (typeof existing === 'string') {
    if (REQUEST_ERROR_CODES.has(existing)) {
      const field = inputFieldOf(formatted.message);
      return {
        ...base,
        extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}), ...pick(formatted.extensions, ['field', 'cost', 'limit']) },
      };
    }
    if ((DOMAIN_CODES.some(([, c]) => c === existing) || existing in HTTP_CODES) && original instanceof GraphQLError) {
      return { ...base, extensions: { ...formatted.extensions } };
    }
  }
  return { message: INTERNAL_MESSAGE, locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

const INTERNAL_MESSAGE = 'Internal server error';

/**
 * The request's side of unexpected errors, where the request is known: each one
 * is logged with the request id, and the answer carries that id so a member
 * can quote it.
 */
export function requestErrorsPlugin(): ApolloServerPlugin<GraphqlContext> {
  return {
    async requestDidStart({ contextValue }) {
      const requestId = contextValue?.requestId ?? 'unknown';
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (
              formatGraphqlError({ message: error.message, extensions: error.extensions }, error).extensions?.code !==
              'INTERNAL_SERVER_ERROR'
            )
              continue;
            const original = unwrapResolverError(error) as Error | undefined;
            logger.error(`Unexpected error (request ${requestId}): ${original?.message ?? String(original)}`, original?.stack);
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          response.body.singleResult.errors = response.body.singleResult.errors?.map((error) =>
            error.extensions?.code === 'INTERNAL_SERVER_ERROR' && error.message === INTERNAL_MESSAGE
              ? { ...error, message: `${INTERNAL_MESSAGE} (request id ${requestId})`, extensions: { ...error.extensions, requestId } }
              : error,
          );
        },
      };
    },
  };
}

function httpMessage(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'object' && response && 'message' in response) {
    const message = (response as { message: unknown }).message;
    return Array.isArray(message) ? String(message[0]) : String(message);
  }
  return error.message;
}

/** class-validator messages start with the property name: report it as `field`. */
function validationField(error: HttpException): { field?: string } {
  const response = error.getResponse() as { message?: unknown };
  const first = Array.isArray(response?.message) ? String(response.message[0]) : undefined;
  const field = first?.match(/^([A-Za-z0-9_.]+) /)?.[1];
  return field ? { field } : {};
}

/**
 * The input field that graphql-js names when a value does not fit the schema
 * (a required field missing, a wrong type at a path), so such errors carry
 * `field` like the domain's own. The last step of a path is the field.
 */
function inputFieldOf(message: string): string | undefined {
  const missing = /Field "(?:\w+\.)?(\w+)" of required type "[^"]+" was not provided/.exec(message)?.[1];
  if (missing) return missing;
  const path = /^Variable "\$\w+" got invalid value .* at "([\w.[\]]+)"; /s.exec(message)?.[1];
  // A path without a dot names the variable itself, not an input field.
  return path?.includes('.')
    ? path
        .split('.')
        .pop()!
        .replace(/\[\d+\]/g, '')
    : undefined;
}

function pick(source: Record<string, unknown> | undefined, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => source?.[k] !== undefined).map((k) => [k, source![k]]));
}
