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
  // NAT64 local-use prefix (RFC 8215): translated into the operator's own network by definition.
  ['64:ff9b:1::', 48],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

/**
 * True for an address that is not on the public internet. An IPv6 address that carries an IPv4
 * one is judged by it: IPv4-mapped (::ffff:a.b.c.d, in any notation), IPv4-compatible (::a.b.c.d),
 * SIIT (::ffff:0:a.b.c.d), NAT64 (64:ff9b::/96), 6to4 (2002::/16) and Teredo (2001::/32: its server
 * and its client), since a gateway on the way delivers to that IPv4 address.
 */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 4) return blocked.check(address, 'ipv4');
  const bytes = ipv6Bytes(address);
  if (!bytes) return true;
  const embedded = embeddedIpv4(bytes);
  if (embedded.length) return embedded.some((v4) => blocked.check(v4, 'ipv4'));
  return blocked.check(address, 'ipv6');
}

/** The 16 bytes of a valid IPv6 address (a zone index left out; a trailing dotted quad read as its 4 bytes). */
function ipv6Bytes(address: string): number[] | null {
  let s = address.toLowerCase().replace(/%.*$/, '');
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (quad) s = `${s.slice(0, quad.index)}0:0`;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const part = (h: string) => (h ? h.split(':') : []);
  const head = part(halves[0]);
  const tail = halves.length === 2 ? part(halves[1]) : [];
  const groups = halves.length === 2 ? [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail] : head;
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  const bytes = groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 255]);
  if (quad) bytes.splice(12, 4, ...quad.slice(1, 5).map(Number));
  return bytes;
}

/** The IPv4 addresses an IPv6 address stands for in the transition forms (none for a native one). */
function embeddedIpv4(b: number[]): string[] {
  const v4 = (at: number, xor = 0) =>
    b
      .slice(at, at + 4)
      .map((x) => x ^ xor)
      .join('.');
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return [v4(12)]; // ::ffff:a.b.c.d
  if (zero(0, 12)) return [v4(12)]; // ::a.b.c.d (and :: and ::1, as 0.0.0.0 and 0.0.0.1)
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12)) return [v4(12)]; // ::ffff:0:a.b.c.d
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return [v4(12)]; // 64:ff9b::/96
  if (b[0] === 0x20 && b[1] === 0x02) return [v4(2)]; // 6to4
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0 && b[3] === 0) return [v4(4), v4(12, 0xff)]; // Teredo
  return [];
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
