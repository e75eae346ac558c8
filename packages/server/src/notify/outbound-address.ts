/**
 * Where the platform may send what its users ask it to send (webhooks, EPCIS subscriptions): a
 * receiver is a public address. A receiver on loopback, a private network, link-local (cloud
 * metadata at 169.254.169.254) or an unspecified address would let any organisation's
 * administrator make the server call into its own network and read the answers' status codes
 * (server-side request forgery). Names are resolved and every address they resolve to is checked,
 * at registration and again before each delivery (a name may change what it points to).
 * SEALWATCH_WEBHOOK_ALLOW_PRIVATE=true lifts the rule (closed networks, tests).
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

/** True for an address that is not on the public internet (IPv4-mapped IPv6 judged as its IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return blocked.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type Resolve = (host: string) => Promise<string[]>;
const resolveAll: Resolve = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Why `url` may not receive deliveries (a sentence naming the address), or null when it may.
 * A name that does not resolve is refused too: nothing would be delivered to it.
 */
export async function outboundRefusal(url: string, resolve: Resolve = resolveAll): Promise<string | null> {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return `${url} is not a URL`;
  }
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    return `${host} does not resolve`;
  }
  const inside = addresses.find(isPrivateAddress);
  return inside ? `${host} is a loopback, private or link-local address (${inside}); receivers must be public` : null;
}
