import { describe, expect, it, vi } from 'vitest';
import { graphql } from '../graphql/graphql';
import { createFakeApi, gqlError } from '../testing/fake-api';
import { ApiError } from './api-error';

const BALANCE = graphql(`
  query Balance {
    viewer {
      creditBalance
    }
  }
`);

function signedIn() {
  const api = createFakeApi();
  api.client.signIn({ accessToken: 'access-old', refreshToken: 'refresh-old', expiresIn: 900 });
  return api;
}

describe('GraphQL client', () => {
  it('sends JSON with the access token as a Bearer token', async () => {
    const api = signedIn().on('Balance', { data: { viewer: { creditBalance: 7 } } });
    await expect(api.client.request(BALANCE)).resolves.toEqual({ viewer: { creditBalance: 7 } });
    const [request] = api.calls('Balance');
    expect(request.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer access-old' });
    expect(request.query).toContain('query Balance');
  });

  it('rotates the refresh token once when the access token is refused, then retries', async () => {
    const api = signedIn()
      .on('Balance', (_vars, request) =>
        request.headers.authorization === 'Bearer access-new'
          ? { data: { viewer: { creditBalance: 7 } } }
          : gqlError('UNAUTHENTICATED', 'Token expired'),
      )
      .on('RefreshToken', { data: { refreshToken: { accessToken: 'access-new', refreshToken: 'refresh-new', expiresIn: 900 } } });
    await expect(api.client.request(BALANCE)).resolves.toEqual({ viewer: { creditBalance: 7 } });
    expect(api.calls('RefreshToken').map((r) => r.variables)).toEqual([{ refreshToken: 'refresh-old' }]);
    expect(api.calls('RefreshToken')[0].headers.authorization).toBeUndefined();
    expect(localStorage.getItem('sharepool.refreshToken')).toBe('refresh-new');
  });

  it('refreshes once for requests refused at the same time', async () => {
    const api = signedIn()
      .on('Balance', (_vars, request) =>
        request.headers.authorization === 'Bearer access-new'
          ? { data: { viewer: { creditBalance: 1 } } }
          : gqlError('UNAUTHENTICATED', 'Token expired'),
      )
      .on('RefreshToken', async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return { data: { refreshToken: { accessToken: 'access-new', refreshToken: 'refresh-new', expiresIn: 900 } } };
      });
    await Promise.all([api.client.request(BALANCE), api.client.request(BALANCE), api.client.request(BALANCE)]);
    expect(api.calls('RefreshToken')).toHaveLength(1);
  });

  it('ends the session when the refresh token is refused', async () => {
    const api = signedIn()
      .on('Balance', gqlError('UNAUTHENTICATED', 'Token expired'))
      .on('RefreshToken', gqlError('UNAUTHENTICATED', 'Refresh token revoked'));
    const ended = vi.fn();
    api.client.onSessionEnded = ended;
    const error = await api.client.request(BALANCE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('UNAUTHENTICATED');
    expect(ended).toHaveBeenCalledWith('expired');
    expect(localStorage.getItem('sharepool.refreshToken')).toBeNull();
    expect(api.calls('Balance')).toHaveLength(1);
  });

  it('keeps the session when the network is down during a refresh', async () => {
    const api = createFakeApi();
    localStorage.setItem('sharepool.refreshToken', 'refresh-old');
    api.on('RefreshToken', () => {
      throw new TypeError('Failed to fetch');
    });
    const ended = vi.fn();
    api.client.onSessionEnded = ended;
    const error = await api.client.request(BALANCE).catch((e: unknown) => e);
    expect((error as ApiError).code).toBe('NETWORK');
    expect(ended).not.toHaveBeenCalled();
    expect(localStorage.getItem('sharepool.refreshToken')).toBe('refresh-old');
  });

  it('reports a suspended member as such when the refresh is forbidden', async () => {
    const api = createFakeApi();
    localStorage.setItem('sharepool.refreshToken', 'refresh-old');
    api
      .on('RefreshToken', gqlError('FORBIDDEN', 'This account is suspended.'))
      .on('Balance', gqlError('UNAUTHENTICATED', 'Authentication required'));
    const ended = vi.fn();
    api.client.onSessionEnded = ended;
    await api.client.request(BALANCE).catch(() => undefined);
    expect(ended).toHaveBeenCalledWith('suspended');
  });
});
