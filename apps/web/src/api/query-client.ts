import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-error';

/** Tries after the first for an answer that never came (offline, a restarting server); never for an answer that said no. */
const NETWORK_RETRIES = 2;

/**
 * The client's one cache of server data. Shown data is refetched when a page that uses it
 * mounts again or the window regains focus; errors the server gave are shown at once, only a
 * request that got no answer is tried again.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) => error instanceof ApiError && error.code === 'NETWORK' && failures < NETWORK_RETRIES,
      },
      mutations: { retry: false },
    },
  });
}
