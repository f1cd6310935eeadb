import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Runs `work` while the garbage collector runs every few milliseconds, so a
 * test sees what a long, busy process would: anything held only weakly (an
 * AbortSignal.timeout, say) is collected mid-call.
 */
export async function underGcPressure<T>(work: () => Promise<T>, everyMs = 10): Promise<T> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const timer = setInterval(gc, everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
