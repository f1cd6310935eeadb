import { Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import {
  ConflictError,
  InsufficientCreditsError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
} from '../../../../libs/kernel/src/index.js';
import { RequestScope } from '../../../../libs/observability/src/index.js';
import { formatGraphqlError } from './error-formatter.js';

const format = (error: unknown) => formatGraphqlError({ message: (error as Error).message }, error);

describe('the GraphQL error formatter', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('gives a bad input its field', () => {
    expect(format(new InvalidInputError('email', 'email is not an email address')).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'email',
    });
  });

  it('maps each domain error family to its contract code', () => {
    expect(format(new NotFoundError('Post')).extensions?.code).toBe('NOT_FOUND');
    expect(format(new ConflictError('already shared')).extensions?.code).toBe('CONFLICT');
    expect(format(new RateLimitedError('slow down', 30)).extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 30 });
    expect(format(new InsufficientCreditsError(5, 10)).extensions).toEqual({ code: 'INSUFFICIENT_CREDITS', available: 5, requested: 10 });
  });

  it('hides an unexpected error behind INTERNAL_SERVER_ERROR with the request id', () => {
    const leaky = new Error('duplicate key value violates unique constraint "members_email_key" in SELECT * FROM members');
    const formatted = RequestScope.run('req-12345678', () => format(leaky));
    expect(formatted.message).toBe('Internal server error (request id req-12345678)');
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-12345678' });
    expect(JSON.stringify(formatted)).not.toMatch(/SELECT|members_email_key|at /);
  });

  it('names the input field of a variable that does not fit the schema', () => {
    const fieldOf = (message: string) =>
      formatGraphqlError({ message, extensions: { code: 'BAD_USER_INPUT' } }, new GraphQLError(message)).extensions;
    expect(fieldOf('Variable "$i" got invalid value { amount: 1 }; Field "reason" of required type "String!" was not provided.')).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'reason',
    });
    expect(fieldOf('Variable "$i" got invalid value 7 at "i.channelIds[0]"; ID cannot represent value: true')).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'channelIds',
    });
    expect(fieldOf('Variable "$first" got invalid value "x"; Int cannot represent non-integer value: "x"')).toEqual({
      code: 'BAD_USER_INPUT',
    });
  });

  it('reports a query that fails validation as BAD_USER_INPUT', () => {
    const error = new GraphQLError('Cannot query field "x" on type "Query".', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(formatGraphqlError({ message: error.message, extensions: error.extensions }, error).extensions).toEqual({
      code: 'BAD_USER_INPUT',
    });
  });
});
