import { GraphqlClient } from '../api/graphql-client';
import type { GraphqlErrorItem } from '../api/api-error';

/** What a fake operation answers: data, or GraphQL errors as the server formats them. */
export type FakeReply = { data?: unknown; errors?: GraphqlErrorItem[] };
export type FakeHandler = (variables: Record<string, any>, request: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeRequest {
  operationName: string;
  query: string;
  variables: Record<string, any>;
  headers: Record<string, string>;
}

/** The session's own routes, answered like operations of these names ({ data } or { errors }). */
const SESSION_ROUTES: Record<string, string> = { '/auth/session/refresh': 'SessionRefresh', '/auth/session/logout': 'SessionLogout' };

/**
 * A stand-in for the Sharepool API at the HTTP boundary: it answers each operation by name, as
 * the server would, and records every request. Unknown operations fail the test loudly.
 */
export function createFakeApi() {
  const handlers = new Map<string, FakeHandler>();
  const requests: FakeRequest[] = [];

  const fetch = async (url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const route = SESSION_ROUTES[String(url)];
    const body = route ? { operationName: route, query: '' } : JSON.parse(String(init?.body));
    const request: FakeRequest = {
      operationName: body.operationName,
      query: body.query,
      variables: body.variables ?? {},
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
    };
    requests.push(request);
    const handler = handlers.get(request.operationName);
    if (!handler) throw new Error(`The fake API has no answer for ${request.operationName}`);
    const reply = await handler(request.variables, request);
    return { ok: true, status: 200, headers: new Headers(), json: async () => reply } as Response;
  };

  const client = new GraphqlClient({ fetch });
  return {
    client,
    requests,
    on(operationName: string, handler: FakeHandler | FakeReply) {
      handlers.set(operationName, typeof handler === 'function' ? handler : () => handler);
      return this;
    },
    /** the requests made for one operation */
    calls(operationName: string) {
      return requests.filter((r) => r.operationName === operationName);
    },
  };
}

export type FakeApi = ReturnType<typeof createFakeApi>;

export function gqlError(code: string, message: string, extensions: Record<string, unknown> = {}): FakeReply {
  return { errors: [{ message, extensions: { code, ...extensions } }] };
}

/** The cookie by which the page knows it has a session (the server sets it with the HttpOnly refresh cookie). */
export function giveSessionCookie(csrf = 'csrf-0'): void {
  document.cookie = `sp_csrf=${csrf}; path=/`;
}

export function clearSessionCookie(): void {
  document.cookie = 'sp_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
}
