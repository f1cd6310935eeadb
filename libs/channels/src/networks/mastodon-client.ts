import { MastoHttpError, MastoUnexpectedError, type mastodon } from 'masto';
import { createActionProxy, HttpActionDispatcher } from 'masto/adapters/action/index.js';
import { HttpActionDispatcherHookMastodon } from 'masto/adapters/action/dispatcher-http-hook-mastodon.js';
import { HttpConfigImpl } from 'masto/adapters/config/index.js';
import { BaseHttp } from 'masto/adapters/http/index.js';
import { SerializerNativeImpl } from 'masto/adapters/serializers/index.js';
import type { HttpRequestParams, HttpResponse } from 'masto/interfaces/index.js';
import { withDeadline } from '@sharepool/outbound';

export interface MastodonClientProps {
  readonly url: string;
  /** Unset for the calls an app makes before any member signed in (registering the app, the token endpoint). */
  readonly accessToken?: string;
  readonly timeoutMs: number;
  /** Every request goes through this fetch (the SSRF-guarded one: the instance URL is the member's). */
  readonly fetch: typeof fetch;
}

/**
 * masto's REST client whose requests go through a fetch of our choosing.
 * masto 8 always calls the global fetch, so the client is assembled from
 * masto's own parts (public through its package export map) around an Http
 * that takes the fetch; everything else (paths, parameters, entities) stays masto's.
 */
export function createMastodonClient(props: MastodonClientProps): mastodon.rest.Client {
  return createActionProxy<mastodon.rest.Client>(dispatcherFor(props), { context: ['api'] });
}

/** masto's OAuth client (`/oauth/token`, `/oauth/revoke`) on the same machinery. */
export function createMastodonOAuthClient(props: MastodonClientProps): mastodon.oauth.Client {
  return createActionProxy<mastodon.oauth.Client>(dispatcherFor(props), { context: ['oauth'] });
}

function dispatcherFor(props: MastodonClientProps): HttpActionDispatcher {
  const serializer = new SerializerNativeImpl();
  // No `timeout` for masto: it would make an AbortSignal.timeout, which a garbage collection can drop mid-request.
  const config = new HttpConfigImpl({ url: props.url, accessToken: props.accessToken }, serializer);
  const http = new FetchHttp(config, serializer, props.fetch, props.timeoutMs);
  return new HttpActionDispatcher(http, new HttpActionDispatcherHookMastodon(http));
}

/** masto's Http contract on a given fetch; failures are MastoHttpError with the Response as `cause`. */
class FetchHttp extends BaseHttp {
  constructor(
    private readonly config: HttpConfigImpl,
    private readonly serializer: SerializerNativeImpl,
    private readonly fetchFn: typeof fetch,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  async request<T>(params: HttpRequestParams): Promise<HttpResponse<T>> {
    const { method, path, search, encoding = 'json', requestInit = {} } = params;
    const url = this.config.resolvePath(path, search);
    const init = this.config.mergeRequestInitWithDefaults(requestInit);
    const headers = new Headers(init.headers);
    let body: string | undefined;
    if (params.body !== undefined) {
      // Sharepool only sends JSON (statuses, no media uploads).
      if (encoding !== 'json') throw new MastoUnexpectedError(`Unsupported request encoding ${encoding}`);
      body = this.serializer.serialize('json', params.body);
      headers.set('Content-Type', 'application/json');
    }
    // The deadline covers the answer's body too.
    const { response, text } = await withDeadline(this.timeoutMs, init.signal, async (signal) => {
      const answer = await this.fetchFn(url, { ...init, method, headers, body, signal });
      return { response: answer, text: await answer.text() };
    });
    const isJson = /^application\/json\b/i.test(response.headers.get('content-type') ?? '');
    if (!response.ok) {
      const data = isJson ? tryDeserialize(this.serializer, text) : undefined;
      throw new MastoHttpError(
        {
          statusCode: response.status,
          message: typeof data?.error === 'string' ? data.error : response.statusText || `HTTP ${response.status}`,
          description: typeof data?.errorDescription === 'string' ? data.errorDescription : undefined,
        },
        { cause: response },
      );
    }
    if (!isJson) throw new MastoUnexpectedError('The server answered with something other than JSON');
    return { headers: response.headers, data: this.serializer.deserialize<T>('json', text) };
  }
}

function tryDeserialize(serializer: SerializerNativeImpl, text: string): Record<string, unknown> | undefined {
  try {
    const data = serializer.deserialize('json', text);
    return data && typeof data === 'object' ? data : undefined;
  } catch {
    return undefined;
  }
}
