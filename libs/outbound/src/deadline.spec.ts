import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { underGcPressure } from '@sharepool/testing';
import { withDeadline } from './deadline.js';
import { OutboundHttp } from './outbound-http.js';

describe('a deadline for third-party clients', () => {
  let silent: Server;
  let url: string;
  const http = new OutboundHttp({ allowPrivate: true });

  beforeAll(async () => {
    // Takes the request and never answers.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
    await http.close();
  });

  const timedOut = (promise: Promise<unknown>) =>
    promise.then(
      () => 'answered',
      (error: Error) => error.name,
    );

  // A deadline lost to a garbage collection never fires: the request would wait on the silent server
  // until the test's own time limit failed it. How late a timer fires on a loaded machine is not checked.
  it('aborts a request to a silent server while memory is being collected', async () => {
    const fetchFn = http.fetchFunction();
    const outcome = await underGcPressure(() =>
      timedOut(withDeadline(300, undefined, (signal) => fetchFn(url, { method: 'POST', body: 'x', signal }))),
    );
    expect(outcome).toBe('TimeoutError');
  }, 20_000);

  it("aborts when the caller's own signal does, with the caller's reason", async () => {
    const fetchFn = http.fetchFunction();
    const caller = new AbortController();
    setTimeout(() => caller.abort(new Error('the worker is stopping')), 50);
    const error = await withDeadline(60_000, caller.signal, (signal) => fetchFn(url, { signal })).catch((e: Error) => e);
    expect((error as Error).message).toBe('the worker is stopping');
  });

  it('stops its timer once the work is done', async () => {
    let seen: AbortSignal | undefined;
    expect(await withDeadline(10, undefined, async (signal) => ((seen = signal), 'done'))).toBe('done');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(seen?.aborted).toBe(false);
  });
});
