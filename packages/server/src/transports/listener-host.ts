/**
 * The listener host: one listener per vendor protocol descriptor (packages/protocols/src/registry.ts)
 * whose port is not `off`, each on its configured port, with TLS where SEALWATCH_TLS_LISTENERS asks
 * for it. A busy port is logged and skipped, so the platform still starts.
 */
import type { Logger } from 'pino';
import { vendorProtocols, type VendorProtocolName } from '@sealwatch/protocols/registry';
import type { VendorIngestService } from '../ingest/vendor-ingest';
import type { CommandDelivery } from '../commands/command.service';
import { startOsmAndListener, type VendorListener } from './osmand-listener';
import { startTeltonikaListener } from './teltonika-listener';
import { startJt600Listener } from './jt600-listener';
import { startEsealListener } from './eseal-listener';
import { startTeraTrackListener } from './teratrack-listener';
import { startJt808Listener } from './jt808-listener';
import { startGt06Listener } from './gt06-listener';

export interface ListenerHostOptions {
  /** The port of each protocol's listener, or `off`. */
  ports: Record<VendorProtocolName, number | 'off'>;
  host: string;
  ingest: VendorIngestService;
  /** Whether a device with this identifier is registered for the protocol. */
  knows: (protocol: string, identifier: string) => Promise<boolean>;
  /** The command queue: protocols that carry commands deliver due commands on their connections. */
  commands?: CommandDelivery;
  log: Pick<Logger, 'info' | 'warn'>;
  /** PEM certificate and key, and the protocols whose TCP listener speaks TLS only. */
  tls?: { cert: Buffer; key: Buffer; protocols: readonly string[] } | null;
}

/** The common options of one protocol's listener. */
interface Common {
  port: number;
  host: string;
  ingest: VendorIngestService;
  log: Pick<Logger, 'info' | 'warn'>;
  tls?: { cert: Buffer; key: Buffer };
}

const starters: Record<VendorProtocolName, (c: Common, o: ListenerHostOptions) => Promise<VendorListener | null>> = {
  osmand: (c) => startOsmAndListener(c),
  teltonika: (c, o) => startTeltonikaListener({ ...c, knows: (id) => o.knows('teltonika', id) }),
  jt600: (c, o) => startJt600Listener({ ...c, commands: o.commands }),
  eseal: (c, o) => startEsealListener({ ...c, commands: o.commands }),
  teratrack: (c) => startTeraTrackListener(c),
  jt808: (c, o) => startJt808Listener({ ...c, knows: (id) => o.knows('jt808', id), commands: o.commands }),
  gt06: (c, o) => startGt06Listener({ ...c, knows: (id) => o.knows('gt06', id) }),
};

/** Starts every listener whose port is set; returns those started (protocol → listener). */
export async function startVendorListeners(o: ListenerHostOptions): Promise<Map<string, VendorListener>> {
  const started = new Map<string, VendorListener>();
  for (const p of vendorProtocols) {
    const port = o.ports[p.name];
    if (port === 'off') continue;
    const tls = o.tls && o.tls.protocols.includes(p.name) ? { tls: { cert: o.tls.cert, key: o.tls.key } } : {};
    const l = await starters[p.name]({ port, host: o.host, ingest: o.ingest, log: o.log, ...tls }, o);
    if (l) started.set(p.name, l);
  }
  return started;
}
