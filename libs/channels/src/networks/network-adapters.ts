import { BlueskyAdapter, type BlueskyAdapterOptions } from './bluesky.adapter.js';
import { LinkedInAdapter, type LinkedInAdapterOptions } from './linkedin.adapter.js';
import { MastodonAdapter } from './mastodon.adapter.js';
import type { AdapterTimeouts, GuardedHttp, Network, NetworkAdapter } from './network-adapter.js';
import { WebhookAdapter } from './webhook.adapter.js';
import { XAdapter, type XAdapterOptions } from './x.adapter.js';

export interface NetworkAdaptersOptions {
  /** The SSRF-guarded OutboundHttp: webhooks, LinkedIn, and the member-given Mastodon and Bluesky servers go through it. */
  readonly http: GuardedHttp;
  readonly timeouts?: Partial<AdapterTimeouts>;
  readonly x?: Omit<XAdapterOptions, 'timeouts'>;
  readonly linkedIn?: Omit<LinkedInAdapterOptions, 'http' | 'timeouts'>;
  readonly bluesky?: Omit<BlueskyAdapterOptions, 'http' | 'timeouts'>;
}

/** The adapter of each network, one instance each (Bluesky keeps its sessions in its adapter). */
export class NetworkAdapters {
  private readonly byNetwork: ReadonlyMap<Network, NetworkAdapter>;

  constructor(adapters: readonly NetworkAdapter[]) {
    const byNetwork = new Map<Network, NetworkAdapter>();
    for (const adapter of adapters) {
      if (byNetwork.has(adapter.network)) throw new Error(`Two adapters for ${adapter.network}`);
      byNetwork.set(adapter.network, adapter);
    }
    this.byNetwork = byNetwork;
  }

  /** Every network with its real API (base URLs overridable for tests). */
  static create(options: NetworkAdaptersOptions): NetworkAdapters {
    const { http, timeouts } = options;
    return new NetworkAdapters([
      new WebhookAdapter({ http, timeouts }),
      new MastodonAdapter({ http, timeouts }),
      new BlueskyAdapter({ ...options.bluesky, http, timeouts }),
      new XAdapter({ ...options.x, timeouts }),
      new LinkedInAdapter({ ...options.linkedIn, http, timeouts }),
    ]);
  }

  get(network: Network): NetworkAdapter {
    const adapter = this.byNetwork.get(network);
    if (!adapter) throw new Error(`No adapter for ${network}`);
    return adapter;
  }
}
