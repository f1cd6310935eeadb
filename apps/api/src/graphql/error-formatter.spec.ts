import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { ConflictError, InsufficientCreditsError, InvalidInputError, NotFoundError, RateLimitedError } from '@sharepool/kernel';
import { formatGraphqlError, requestErrorsPlugin } from './error-formatter.js';

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

  it('hides an unexpected error behind INTERNAL_SERVER_ERROR, logged and answered with the request id', async () => {
    const leaky = new Error('duplicate key value violates unique constraint "members_email_key" in SELECT * FROM members');
    const formatted = format(leaky);
    expect(formatted).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });

    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const domain = format(new NotFoundError('Post'));
    const hooks = (await requestErrorsPlugin().requestDidStart!({ contextValue: { requestId: 'req-12345678' } } as never))!;
    await hooks.didEncounterErrors!({ errors: [new GraphQLError(leaky.message, { originalError: leaky })] } as never);
    const response = { body: { kind: 'single', singleResult: { data: null, errors: [formatted, domain] } } };
    await hooks.willSendResponse!({ response } as never);

    const [answered, untouched] = response.body.singleResult.errors;
    expect(answered!.message).toBe('Internal server error (request id req-12345678)');
    expect(answered!.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-12345678' });
    expect(untouched).toEqual(domain);
    expect(JSON.stringify(response)).not.toMatch(/SELECT|members_email_key|at /);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged.mock.calls[0]![0]).toContain('Unexpected error (request req-12345678): duplicate key value');
    logged.mockRestore();
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
