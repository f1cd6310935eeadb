/**
 * Runs `work` with a signal that aborts after `ms` or when `callerSignal` does.
 *
 * The timer keeps a strong reference to its controller until `work` settles.
 * `AbortSignal.timeout()`, alone or combined with `AbortSignal.any()`, does not:
 * on Node 20 a garbage collection during the request can drop such a signal, and
 * then it never fires (a request to a silent server waited for undici's own
 * 300 s header timeout instead of its 1 s deadline). Every third-party client
 * that takes a fetch gets its deadlines from here.
 */
export async function withDeadline<T>(
  ms: number,
  callerSignal: AbortSignal | null | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('The request timed out', 'TimeoutError')), ms);
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}
