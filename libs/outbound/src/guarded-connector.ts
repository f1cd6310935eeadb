import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import { classifyAddress, isAddressAllowed } from './address-policy.js';
import { OutboundAddressRefusedError, OutboundNetworkError } from './outbound.errors.js';
import type { HostResolver, OutboundHttpOptions } from './outbound.types.js';

const defaultResolver: HostResolver = (hostname) => lookup(hostname, { all: true });

/**
 * Resolves a host once and checks every address it resolves to: one refused
 * address refuses the host, since nothing says which one a later connection
 * (or an attacker's DNS) would pick.
 */
export async function resolveAllowedAddresses(hostname: string, options: OutboundHttpOptions): Promise<string[]> {
  const literal = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  let addresses: string[];
  if (isIP(literal)) {
    addresses = [literal];
  } else {
    const found = await (options.resolve ?? defaultResolver)(hostname).catch((error: unknown) => {
      throw new OutboundNetworkError(false, `The site ${hostname} could not be found`, { cause: error });
    });
    addresses = found.map((entry) => entry.address);
    if (addresses.length === 0) throw new OutboundNetworkError(false, `The site ${hostname} could not be found`);
  }
  for (const address of addresses) {
    if (!isAddressAllowed(address, options)) throw new OutboundAddressRefusedError(hostname, classifyAddress(address));
  }
  return addresses;
}

/**
 * An undici connector that opens sockets only to checked addresses. The host is
 * resolved here and the socket goes to the very address that was checked, so a
 * second DNS answer (rebinding) can never slip in between check and connect.
 * TLS still verifies the certificate against the host name (SNI `servername`).
 */
export function createGuardedConnector(options: OutboundHttpOptions): buildConnector.connector {
  const connectSocket = buildConnector({});
  return (connectOptions, callback) => {
    const { hostname, protocol } = connectOptions;
    const port = Number(connectOptions.port) || (protocol === 'https:' ? 443 : 80);
    const servername = isIP(hostname) ? undefined : hostname;

    const attempt = (addresses: string[], index: number) => {
      const target = options.connectTo ? options.connectTo(addresses[index], port) : { host: addresses[index], port };
      connectSocket({ ...connectOptions, hostname: target.host, port: String(target.port), servername }, (error, socket) => {
        if (!error) return callback(null, socket);
        // Another address of the same host may answer (a dead IPv6 route, one server down).
        if (index + 1 < addresses.length) return attempt(addresses, index + 1);
        callback(new OutboundNetworkError(false, connectFailure(hostname, error), { cause: error }), null);
      });
    };

    resolveAllowedAddresses(hostname, options).then(
      (addresses) => attempt(addresses, 0),
      (error: Error) => callback(error, null),
    );
  };
}

function connectFailure(hostname: string, error: Error & { code?: string }): string {
  if (error.code?.startsWith('ERR_TLS') || error.code?.includes('CERT')) return `The secure connection to ${hostname} failed`;
  if (error.code === 'UND_ERR_CONNECT_TIMEOUT') return `${hostname} did not accept the connection in time`;
  return `Could not connect to ${hostname}`;
}
