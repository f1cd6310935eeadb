import ipaddr from 'ipaddr.js';

/**
 * Where an IP address belongs, as far as Sharepool's outbound calls care.
 * Only `public` may be called; `allowPrivate` (local development, tests)
 * lifts every refusal except `cloudMetadata` and `invalid`.
 */
export type AddressRange =
  | 'public'
  | 'cloudMetadata'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'linkLocal'
  | 'carrierGradeNat'
  | 'uniqueLocal'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'invalid';

type Rule = readonly [AddressRange, readonly string[]];

/**
 * Instance metadata and host agent endpoints of the clouds we might run on. Most
 * sit in ranges refused anyway; they are named so that a refusal says why, and
 * so that `allowPrivate` never opens them (a developer laptop on a cloud VM must
 * not hand out its instance credentials). 168.63.129.16 is public address space.
 */
const CLOUD_METADATA = [
  '169.254.169.254/32', // AWS, GCP, Azure, DigitalOcean, OpenStack, Oracle
  '169.254.170.2/32', // AWS ECS task metadata
  '169.254.170.23/32', // AWS EKS pod identity
  '169.254.0.23/32', // Tencent Cloud
  '100.100.100.200/32', // Alibaba Cloud
  '168.63.129.16/32', // Azure wire server
  '192.0.0.192/32', // Oracle Cloud (legacy)
  'fd00:ec2::254/128', // AWS IMDS over IPv6
  'fd00:ec2::23/128', // AWS EKS pod identity over IPv6
];

const IPV4_RULES: readonly Rule[] = [
  ['cloudMetadata', CLOUD_METADATA.filter((cidr) => !cidr.includes(':'))],
  ['unspecified', ['0.0.0.0/8']],
  ['loopback', ['127.0.0.0/8']],
  ['private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']],
  ['linkLocal', ['169.254.0.0/16']],
  ['carrierGradeNat', ['100.64.0.0/10']],
  ['broadcast', ['255.255.255.255/32']],
  ['multicast', ['224.0.0.0/4']],
  [
    'reserved',
    [
      '192.0.0.0/24', // IETF protocol assignments
      '192.0.2.0/24', // documentation
      '192.31.196.0/24', // AS112
      '192.52.193.0/24', // AMT
      '192.88.99.0/24', // 6to4 relay anycast
      '192.175.48.0/24', // AS112
      '198.18.0.0/15', // benchmarking
      '198.51.100.0/24', // documentation
      '203.0.113.0/24', // documentation
      '240.0.0.0/4', // future use
    ],
  ],
];

const IPV6_RULES: readonly Rule[] = [
  ['cloudMetadata', CLOUD_METADATA.filter((cidr) => cidr.includes(':'))],
  ['unspecified', ['::/128']],
  ['loopback', ['::1/128']],
  ['uniqueLocal', ['fc00::/7']],
  ['linkLocal', ['fe80::/10', 'fec0::/10']],
  ['multicast', ['ff00::/8']],
  [
    'reserved',
    [
      '64:ff9b:1::/48', // NAT64 for local networks
      '100::/64', // discard
      '2001:db8::/32', // documentation
      '3fff::/20', // documentation
      '2620:4f:8000::/48', // AS112
    ],
  ],
];

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

const compile = (rules: readonly Rule[]) => rules.map(([range, cidrs]) => [range, cidrs.map((c) => ipaddr.parseCIDR(c) as Cidr)] as const);
const IPV4 = compile(IPV4_RULES);
const IPV6 = compile(IPV6_RULES);

const [GLOBAL_UNICAST, IPV4_MAPPED, IPV4_TRANSLATED, IPV4_COMPATIBLE, NAT64, SIX_TO_FOUR, TEREDO, IETF_ASSIGNMENTS] = [
  '2000::/3',
  '::ffff:0:0/96',
  '::ffff:0:0:0/96',
  '::/96',
  '64:ff9b::/96',
  '2002::/16',
  '2001::/32',
  '2001::/23',
].map((c) => ipaddr.parseCIDR(c) as Cidr);

/** The range an address (IPv4 or IPv6, as DNS or a URL gives it) belongs to. */
export function classifyAddress(address: string): AddressRange {
  const text = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  // Only canonical forms: ipaddr also reads "0x7f.1" or "2130706433", which no resolver returns.
  if (!ipaddr.IPv4.isValidFourPartDecimal(text) && !ipaddr.IPv6.isValid(text)) return 'invalid';
  const parsed = ipaddr.parse(text);
  return parsed.kind() === 'ipv4' ? classifyIpv4(parsed as ipaddr.IPv4) : classifyIpv6(parsed as ipaddr.IPv6);
}

/** Whether Sharepool may connect to the address under the given policy. */
export function isAddressAllowed(address: string, policy: { allowPrivate: boolean }): boolean {
  const range = classifyAddress(address);
  if (range === 'public') return true;
  return policy.allowPrivate && range !== 'cloudMetadata' && range !== 'invalid';
}

function classifyIpv4(address: ipaddr.IPv4): AddressRange {
  for (const [range, cidrs] of IPV4) if (cidrs.some((cidr) => address.match(cidr))) return range;
  return 'public';
}

function classifyIpv6(address: ipaddr.IPv6): AddressRange {
  for (const [range, cidrs] of IPV6) if (cidrs.some((cidr) => address.match(cidr))) return range;

  // Addresses that carry an IPv4 address reach that IPv4 host: judge the host.
  if (address.match(IPV4_MAPPED) || address.match(IPV4_TRANSLATED) || address.match(IPV4_COMPATIBLE) || address.match(NAT64)) {
    return classifyIpv4(lastIpv4(address));
  }
  if (address.match(SIX_TO_FOUR)) return classifyIpv4(ipv4From(address.parts[1], address.parts[2]));
  if (address.match(TEREDO)) {
    // Teredo: the relay server in clear, the client obfuscated (bits inverted).
    const server = classifyIpv4(ipv4From(address.parts[2], address.parts[3]));
    const client = classifyIpv4(ipv4From(~address.parts[6] & 0xffff, ~address.parts[7] & 0xffff));
    return server !== 'public' ? server : client;
  }
  if (address.match(IETF_ASSIGNMENTS)) return 'reserved';
  return address.match(GLOBAL_UNICAST) ? 'public' : 'reserved';
}

function lastIpv4(address: ipaddr.IPv6): ipaddr.IPv4 {
  return ipv4From(address.parts[6], address.parts[7]);
}

function ipv4From(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}
