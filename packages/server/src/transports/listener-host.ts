/**
 * The listener host: one listener per vendor protocol descriptor (packages/protocols/src/registry.ts)
 * whose port is not `off`, on the transports the descriptor names, on one port number: TCP (TLS only
 * where SEALWATCH_TLS_LISTENERS asks for it; then no plain UDP beside it), UDP, HTTP. A busy port is
 * logged and skipped, so the platform still starts. What each frame means is the protocol's
 * (its descriptor's sessions); ingest, refusals, replies after the commit and commands are served
 * here once for all (tcp-listener.ts, stream-session.ts, udp-listener.ts, http-listener.ts).
 */
import type { Logger } from 'pino';
import { portVariable, vendorProtocols, type VendorProtocolName } from '@sealwatch/protocols/registry';
import type { ProtocolDescriptor } from '@sealwatch/protocols';
import type { VendorIngestService } from '../ingest/vendor-ingest';
import type { CommandDelivery } from '../commands/command.service';
import { startHttpListener } from './http-listener';
import { openStreamSession } from './stream-session';
import { startTcpListener } from './tcp-listener';
import { startUdpListener } from './udp-listener';
import type { VendorListener } from './vendor-listener';

export type { VendorListener } from './vendor-listener';

/** How one protocol's listener is served. */
export interface VendorListenerOptions {
  port: number;
  host: string;
  ingest: Pick<VendorIngestService, 'ingest'>;
  /** Whether a device with this identifier is registered for the protocol. */
  knows: (identifier: string) => Promise<boolean>;
  log: Pick<Logger, 'info' | 'warn'>;
  /** The command queue: answers are recorded and due commands sent after each served frame; absent: no commands. */
  commands?: CommandDelivery;
  /** PEM certificate and key: TCP speaks TLS only, and no plain UDP is opened beside it. */
  tls?: { cert: Buffer; key: Buffer };
  /** The protocol's own settings (e.g. eSeal's `startupConfig`). */
  settings?: Readonly<Record<string, string>>;
  /** TCP: bytes a connection may hold undecoded or waiting for ingest before it is closed; by default the protocol's. */
  maxBufferBytes?: number;
  /** TCP: a connection silent this long is closed (devices reconnect when they have data; heartbeats come every few minutes). */
  idleTimeoutMs?: number;
  /** TCP: how long to pause reading after an overload before retrying; by default the error's retry-after. */
  overloadPauseMs?: number;
  /** TCP: give up retrying one frame after this long: close without an answer, the device resends later. */
  maxOverloadWaitMs?: number;
  /** Also serve datagrams when the protocol has them (default true). */
  udp?: boolean;
}

/** Starts protocol `p`'s listener; resolves null (logged) when its port is busy, so the platform still starts. */
export async function startVendorListener(p: ProtocolDescriptor, options: VendorListenerOptions): Promise<VendorListener | null> {
  const o = { maxBufferBytes: p.maxBufferBytes ?? 256 * 1024, idleTimeoutMs: 10 * 60_000, maxOverloadWaitMs: 60_000, ...options };
  if (p.transports.includes('http')) {
    const l = await startHttpListener(p, { ...o, portVariable: portVariable(p) });
    if (l) o.log.info({ port: l.port }, `${p.label} listener ready`);
    return l;
  }
  const tcp = await startTcpListener({
    ...o,
    protocol: p.name,
    label: p.label,
    portVariable: portVariable(p),
    openSession: (c) => openStreamSession(p, c, o),
  });
  if (tcp === null) return null;
  const withUdp = p.transports.includes('udp') && o.udp !== false && !o.tls;
  const udp = withUdp ? await startUdpListener(p, { ...o, port: tcp.port }) : null;
  o.log.info({ port: tcp.port, ...(p.transports.includes('udp') ? { udp: udp !== null } : {}) }, `${p.label} listener ready`);
  return {
    port: tcp.port,
    async close() {
      await tcp.close();
      await udp?.close();
    },
  };
}

export interface ListenerHostOptions {
  /** The port of each protocol's listener, or `off`. */
  ports: Record<VendorProtocolName, number | 'off'>;
  host: string;
  ingest: Pick<VendorIngestService, 'ingest'>;
  /** Whether a device with this identifier is registered for the protocol. */
  knows: (protocol: string, identifier: string) => Promise<boolean>;
  /** The command queue: protocols that carry commands deliver due commands on their connections. */
  commands?: CommandDelivery;
  log: Pick<Logger, 'info' | 'warn'>;
  /** PEM certificate and key, and the protocols whose TCP listener speaks TLS only. */
  tls?: { cert: Buffer; key: Buffer; protocols: readonly string[] } | null;
}

/** Starts every listener whose port is set; returns those started (protocol → listener). */
export async function startVendorListeners(o: ListenerHostOptions): Promise<Map<string, VendorListener>> {
  const started = new Map<string, VendorListener>();
  for (const p of vendorProtocols) {
    const port = o.ports[p.name];
    if (port === 'off') continue;
    const tls = o.tls && o.tls.protocols.includes(p.name) ? { tls: { cert: o.tls.cert, key: o.tls.key } } : {};
    const l = await startVendorListener(p, {
      port,
      host: o.host,
      ingest: o.ingest,
      log: o.log,
      commands: o.commands,
      knows: (id) => o.knows(p.name, id),
      ...tls,
    });
    if (l) started.set(p.name, l);
  }
  return started;
}
