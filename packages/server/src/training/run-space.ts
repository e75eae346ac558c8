/**
 * The training space of one run: a platform of its own (the same code as the live one) on its own
 * SQLite file under `<data dir>/training/<run id>/`, listening on a loopback port only the training
 * gateway talks to. This is the one mechanism that keeps training and live apart: a run's
 * movements, alerts, incidents, events, audit, webhooks and statistics are written to its store and
 * nowhere else, and nothing the live platform reads (lists, the stream, exports, KPIs, webhooks,
 * federation) can reach that store; the run's token is known only to it, so the run cannot read live data.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config';
import type { AccessService } from '../access/access.service';
import type { Store } from '../storage/ports';

/** What the training service needs of a run's platform (createPlatform's answer has it). */
export interface RunPlatform {
  ctx: { access: AccessService; store: Pick<Store, 'incidents' | 'observations'>; processor: { idle(): Promise<void> } };
  /** The run's transit rules: off until the run's history is in (see TrainingService.start), then on a timer. */
  transit: { schedule(everyMs: number): void; evaluateAll(): Promise<number> };
  http: FastifyInstance;
  listen(): Promise<string>;
  stop(): Promise<void>;
}

export type OpenPlatform = (config: Readonly<Config>) => Promise<RunPlatform>;

export interface RunSpace {
  platform: RunPlatform;
  /** The run platform's own installation token (in memory only): the run is set up through its API. */
  adminToken: string;
  /** Its loopback port. */
  port: number;
  dir: string;
}

/** How long before now a run may record its movement's departure (a run's history is hours long). */
const BACKDATE_MS = 2 * 86_400_000;

/**
 * How often a run's transit rules run, ms: the live setting, at most 5 s (one movement per space is
 * cheap, and a trainee should not wait half a minute for a deviation), and on even where live has them off:
 * most exercises are about what those rules find.
 */
export function runTransitEvalMs(live: Readonly<Config>): number {
  return live.transitEvalMs > 0 ? Math.min(live.transitEvalMs, 5000) : 5000;
}

/** The run's configuration: the live one's settings, with its own data, no device ports, no cluster, no TLS. */
export function runConfig(live: Readonly<Config>, dir: string, adminToken: string): Readonly<Config> {
  const off = Object.fromEntries(Object.keys(live.listeners).map((p) => [p, 'off'])) as Config['listeners'];
  return Object.freeze({
    ...live,
    http: { ...live.http, port: 0, host: '127.0.0.1' },
    mqtt: { ...live.mqtt, port: 'off' as const },
    dataDir: dir,
    sqlite: { ...live.sqlite, file: join(dir, 'sealwatch.db') },
    demo: { ...live.demo, enabled: false },
    adminToken,
    databaseUrl: null,
    natsUrl: null,
    mqttUrl: null,
    roles: { gateway: true, processor: true, api: true },
    // Not on a timer from the start: an evaluation between the backdated start and the history's upload would
    // see hours of silence and raise a signal_lost the history then contradicts. The service schedules it.
    transitEvalMs: 0,
    listeners: off,
    tls: null,
    tlsListeners: [],
    // A training space never federates (DESIGN §8): no identity, so no partners, inbox or outbox.
    federation: null,
    ingest: { ...live.ingest, verifyWorkers: 0 },
    custody: { ...live.custody, startBackdateMaxMs: Math.max(live.custody.startBackdateMaxMs, BACKDATE_MS) },
    // One trainee behind the gateway: the gateway's address is every request's.
    rate: { apiPerMin: 0, loginPerMin: live.rate.loginPerMin, devicePerMin: 0, ingestPerMin: 0 },
  });
}

export async function openRunSpace(open: OpenPlatform, live: Readonly<Config>, dir: string): Promise<RunSpace> {
  const adminToken = `swa_${randomBytes(24).toString('base64url')}`;
  const platform = await open(runConfig(live, dir, adminToken));
  try {
    const address = await platform.listen();
    return { platform, adminToken, port: Number(new URL(address).port), dir };
  } catch (e) {
    await platform.stop();
    throw e;
  }
}
