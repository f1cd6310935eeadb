import { OutboundHttp } from '@sharepool/outbound';
import { NETWORKS } from './network-adapter.js';
import { NetworkAdapters } from './network-adapters.js';

describe('the network adapters', () => {
  it('has one adapter per network, and says which retry with the same key is safe', () => {
    const adapters = NetworkAdapters.create({ http: new OutboundHttp({ allowPrivate: false }) });
    expect(NETWORKS.map((network) => adapters.get(network).network)).toEqual(NETWORKS);
    expect(NETWORKS.filter((network) => adapters.get(network).honoursIdempotencyKey)).toEqual(['WEBHOOK', 'MASTODON']);
  });

  it('refuses two adapters for one network', () => {
    const http = new OutboundHttp({ allowPrivate: false });
    const [webhook] = [NetworkAdapters.create({ http }).get('WEBHOOK')];
    expect(() => new NetworkAdapters([webhook!, webhook!])).toThrow('Two adapters for WEBHOOK');
  });
});
