import type { Network } from '@sharepool/channels';

/** Calls in flight per network and worker process: a network is never hit by the whole worker at once. */
export const NETWORK_CONCURRENCY: Readonly<Record<Network, number>> = { WEBHOOK: 16, MASTODON: 4, BLUESKY: 4, X: 2, LINKEDIN: 2 };

/** A counting semaphore per network. */
export class NetworkLimiter {
  private readonly running = new Map<Network, number>();
  private readonly waiting = new Map<Network, Array<() => void>>();

  constructor(private readonly limits: Readonly<Record<Network, number>> = NETWORK_CONCURRENCY) {}

  async run<T>(network: Network, work: () => Promise<T>): Promise<T> {
    if ((this.running.get(network) ?? 0) >= this.limits[network]) {
      await new Promise<void>((resolve) => this.waiting.set(network, [...(this.waiting.get(network) ?? []), resolve]));
    } else {
      this.running.set(network, (this.running.get(network) ?? 0) + 1);
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.get(network)?.shift();
      // A waiter inherits the slot; otherwise it is freed.
      if (next) next();
      else this.running.set(network, (this.running.get(network) ?? 1) - 1);
    }
  }
}
