import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestScopeData {
  readonly requestId: string;
}

const storage = new AsyncLocalStorage<RequestScopeData>();

/** The id of the HTTP request being served, wherever in its call chain we are. */
export const RequestScope = {
  run<T>(requestId: string, fn: () => T): T {
    return storage.run({ requestId }, fn);
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
};
