import { describe, expect, it, vi } from 'vitest';
import { graphql } from '../graphql/graphql';
import { createFakeApi, giveSessionCookie, gqlError } from '../testing/fake-api';
import { ApiError } from './api-error';

const BALANCE = graphql(`
  query Balance {
    viewer {
      creditBalance
    }
  }
`);

function signedIn() {
  giveSessionCookie('csrf-1');
  const api = createFakeApi();
  api.client.signIn({ accessToken: 'access-old', expiresIn: 900 });
  return api;
}

const renewed = { data: { accessToken: 'access-new', expiresIn: 900 } };

describe('GraphQL client', () => {
  it('sends JSON with the access token as a Bearer token', async () => {
    const api = signedIn().on('Balance', { data: { viewer: { creditBalance: 7 } } });
    await expect(api.client.request(BALANCE)).resolves.toEqual({ viewer: { creditBalance: 7 } });
    const [request] = api.calls('Balance');
    expect(request.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer access-old' });
    expect(request.query).toContain('query Balance');
  });

  it('renews the session once when the access token is refused, then retries', async () => {
    const api = signedIn()
      .on('Balance', (_vars, request) =>
        request.headers.authorization === 'Bearer access-new'
          ? { data: { viewer: { creditBalance: 7 } } }
          : gqlError('UNAUTHENTICATED', 'Token expired'),
      )
      .on('SessionRefresh', renewed);
    await expect(api.client.request(BALANCE)).resolves.toEqual({ viewer: { creditBalance: 7 } });
    // The refresh token itself is an HttpOnly cookie the page never sees; the CSRF token goes in a header.
    expect(api.calls('SessionRefresh')).toHaveLength(1);
    expect(api.calls('SessionRefresh')[0].headers['x-csrf-token']).toBe('csrf-1');
    expect(api.calls('SessionRefresh')[0].headers.authorization).toBeUndefined();
    expect(localStorage.length).toBe(0);
  });

  it('refreshes once for requests refused at the same time', async () => {
    const api = signedIn()
      .on('Balance', (_vars, request) =>
        request.headers.authorization === 'Bearer access-new'
          ? { data: { viewer: { creditBalance: 1 } } }
          : gqlError('UNAUTHENTICATED', 'Token expired'),
      )
      .on('SessionRefresh', async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return renewed;
      });
    await Promise.all([api.client.request(BALANCE), api.client.request(BALANCE), api.client.request(BALANCE)]);
    expect(api.calls('SessionRefresh')).toHaveLength(1);
  });

  it('ends the session when the server refuses to renew it', async () => {
    const api = signedIn()
      .on('Balance', gqlError('UNAUTHENTICATED', 'Token expired'))
      .on('SessionRefresh', gqlError('UNAUTHENTICATED', 'Refresh token revoked'));
    const ended = vi.fn();
    api.client.onSessionEnded = ended;
    const error = await api.client.request(BALANCE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('UNAUTHENTICATED');
    expect(ended).toHaveBeenCalledWith('expired');
    expect(api.client.tokens.accessToken).toBeUndefined();
    expect(api.calls('Balance')).toHaveLength(1);
  });

  it('keeps the session when the network is down during a refresh', async () => {
    giveSessionCookie();
    const api = createFakeApi();
    api.on('SessionRefresh', () => {
      throw new TypeError('Failed to fetch');
    });
    const ended = vi.fn();
    api.client.onSessionEnded = ended;
    const error = await api.client.request(BALANCE).catch((e: unknown) => e);
    expect((error as ApiError).code).toBe('NETWORK');
    expect(ended).not.toHaveBeenCalled();
    expect(api.client.tokens.hasSession).toBe(true);
  });

  it('does not try to renew a session the browser has no cookie for', async () => {
    const api = createFakeApi().on('Balance', gqlError('UNAUTHENTICATED', 'Authentication required'));
    await api.client.request(BALANCE).catch(() => undefined);
    expect(api.calls('SessionRefresh')).toHaveLength(0);
  });

  it('reports a suspended member as such when the refresh is forbidden', async () => {
    giveSessionCookie();
    const api = createFakeApi();
    api
      .on('SessionRefresh', gqlError('FORBIDDEN', 'This account is suspended.'))
      .on('Balance', gqlError('UNAUTHENTICATED', 'Authentication required'));
    const ended = vi.fn();
    api.client.onSessionEnded = ended;
    await api.client.request(BALANCE).catch(() => undefined);
    expect(ended).toHaveBeenCalledWith('suspended');
  });
});
