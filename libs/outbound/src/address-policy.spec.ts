import { classifyAddress, isAddressAllowed } from './address-policy.js';

const strict = { allowPrivate: false };
const lax = { allowPrivate: true };

describe('the outbound address rule', () => {
  it.each([
    ['93.184.216.34', 'a public IPv4 address'],
    ['8.8.8.8', 'a public resolver'],
    ['172.32.0.1', 'just above 172.16/12'],
    ['100.128.0.1', 'just above the CGNAT range'],
    ['2606:4700:4700::1111', 'a public IPv6 address'],
    ['2a00:1450:4001:82a::200e', 'another public IPv6 address'],
    ['::ffff:93.184.216.34', 'a public address mapped into IPv6'],
    ['64:ff9b::808:808', 'NAT64 of a public address'],
    ['2002:5db8:d822::1', '6to4 of a public address'],
  ])('allows %s (%s)', (address) => {
    expect(classifyAddress(address)).toBe('public');
    expect(isAddressAllowed(address, strict)).toBe(true);
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['fec0::1', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.254', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['192.0.2.10', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['3fff::1', 'reserved'],
    ['100::1', 'reserved'],
    ['2001:2::1', 'reserved'],
    ['64:ff9b:1::a00:1', 'reserved'],
    ['4000::1', 'reserved'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456:789a::1', 'uniqueLocal'],
  ])('refuses %s as %s', (address, range) => {
    expect(classifyAddress(address)).toBe(range);
    expect(isAddressAllowed(address, strict)).toBe(false);
  });

  it.each([
    ['169.254.169.254', 'AWS, GCP and Azure instance metadata'],
    ['169.254.170.2', 'ECS task metadata'],
    ['100.100.100.200', 'Alibaba Cloud metadata'],
    ['168.63.129.16', 'the Azure wire server, in public address space'],
    ['fd00:ec2::254', 'AWS metadata over IPv6'],
    ['::ffff:169.254.169.254', 'metadata mapped into IPv6'],
  ])('refuses the cloud metadata address %s (%s)', (address) => {
    expect(classifyAddress(address)).toBe('cloudMetadata');
    expect(isAddressAllowed(address, strict)).toBe(false);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'loopback', 'IPv4-mapped loopback in hex'],
    ['::ffff:10.1.2.3', 'private', 'IPv4-mapped private'],
    ['::ffff:0:10.1.2.3', 'private', 'IPv4-translated private'],
    ['::127.0.0.1', 'loopback', 'IPv4-compatible loopback'],
    ['64:ff9b::7f00:1', 'loopback', 'NAT64 of loopback'],
    ['64:ff9b::a9fe:a9fe', 'cloudMetadata', 'NAT64 of the metadata address'],
    ['2002:7f00:1::1', 'loopback', '6to4 of loopback'],
    ['2002:c0a8:101::1', 'private', '6to4 of 192.168.1.1'],
    ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'private', 'Teredo whose client is 10.0.0.1'],
    ['2001:0:a00:1:8000:63bf:a2c9:47cb', 'private', 'Teredo whose server is 10.0.0.1'],
  ])('judges %s by the IPv4 address it carries (%s: %s)', (address, range) => {
    expect(classifyAddress(address)).toBe(range);
    expect(isAddressAllowed(address, strict)).toBe(false);
  });

  it('allows a Teredo address whose server and client are both public', () => {
    expect(classifyAddress('2001:0:4136:e378:8000:63bf:a2c9:47cb')).toBe('public');
  });

  it.each(['localhost', '0x7f.1', '2130706433', '127.1', '1.2.3', '::ffff:999.0.0.1', ''])('treats %j as no address at all', (text) => {
    expect(classifyAddress(text)).toBe('invalid');
    expect(isAddressAllowed(text, lax)).toBe(false);
  });

  it('lets private, loopback and link-local addresses through when private addresses are allowed', () => {
    for (const address of ['127.0.0.1', '::1', '10.0.0.1', '192.168.1.1', 'fe80::1', 'fd12::1', '100.64.0.1', '::ffff:127.0.0.1']) {
      expect(isAddressAllowed(address, lax)).toBe(true);
    }
  });

  it('keeps refusing cloud metadata addresses even when private addresses are allowed', () => {
    for (const address of ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '::ffff:169.254.169.254']) {
      expect(isAddressAllowed(address, lax)).toBe(false);
    }
  });
});
