/**
 * A simulated fleet for load tests, benchmarks and `sealwatch simulate`: N native devices
 * (SIM-000001…) with derived keys, spread along the corridors, each sending one signed message
 * per interval in batched ingest requests. Answers the counts of results by status.
 */
import type { SigningAlg } from '@sealwatch/core';
import { endOpenMovements, type IngestResult, type SealwatchApi } from './client';
import { corridors } from './corridors';
import { compactUtc, containerNumber, imei, sealNumber } from './cargo-identifiers';
import { deriveDemoKey, signMessage, type DeviceSigningKey } from './signer';
import { hashSeed, mulberry32, planTrip, type Trip } from './trip';
import { buildPayload } from './demo-vehicles';

export interface FleetOptions {
  client: SealwatchApi;
  devices: number;
  /** Milliseconds between two messages of a device. */
  intervalMs: number;
  durationS: number;
  alg: SigningAlg;
  /** Derives the device keys: the same seed re-uses devices registered by an earlier run. */
  seed: string;
  onProgress?: (p: FleetProgress) => void;
  /** Declare and start one movement per device, and end them at the end (default false). */
  movements?: boolean;
  /** Messages per ingest request (default 500, at most 1000) and requests in flight (default 4). */
  batchSize?: number;
  concurrency?: number;
  /** Road seconds per wall second (default 1: trucks at road speed). */
  speedup?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}

export interface FleetCounts {
  sent: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  /** Messages whose request failed (network error or non-2xx answer). */
  failed: number;
  /** Rejections by reason. */
  reasons: Record<string, number>;
}

/** Progress so far; all numbers, so a CLI can print every entry as "name value". */
export type FleetProgress = {
  /** Devices registered (or found from an earlier run) of `devices`. */
  registered: number;
  devices: number;
  sent: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  failed: number;
  elapsedS: number;
};

interface SimDevice {
  id: string;
  key: DeviceSigningKey;
  nextSeq: number;
  trip: Trip;
  movementId: string | null;
  /** Registered by an earlier run: its previous movement may have ended just now. */
  reused: boolean;
}

/**
 * How far back a movement's start is recorded at most: under the server's default backdating
 * bound (SEALWATCH_START_BACKDATE_MAX_S, a day), with an hour to spare.
 */
const MAX_START_BACKDATE_MS = 23 * 3_600_000;

/** Runs fn over items with at most `limit` calls in flight. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function simulateFleet(opts: FleetOptions): Promise<FleetCounts & { devices: number; elapsedS: number }> {
  const { client, seed } = opts;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const batchSize = Math.min(1000, Math.max(1, opts.batchSize ?? 500));
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const counts: FleetCounts = { sent: 0, accepted: 0, duplicate: 0, rejected: 0, failed: 0, reasons: {} };
  const t0 = now();
  let registered = 0;
  const progress = () =>
    opts.onProgress?.({
      registered,
      devices: opts.devices,
      sent: counts.sent,
      accepted: counts.accepted,
      duplicate: counts.duplicate,
      rejected: counts.rejected,
      failed: counts.failed,
      elapsedS: (now() - t0) / 1000,
    });

  // Register: fresh devices start at seq 1; devices from an earlier run continue after their last seq.
  const fleet: SimDevice[] = [];
  const ids = Array.from({ length: opts.devices }, (_, i) => `SIM-${String(i + 1).padStart(6, '0')}`);
  await eachLimited(ids, 8, async (id, i) => {
    const key = deriveDemoKey(seed, id, opts.alg);
    const created = await client.createDevice({
      id,
      class: 'active',
      kind: 'tracker',
      protocol: 'native',
      identifiers: { imei: imei('86107303', i + 1) },
      reportIntervalS: Math.max(1, Math.round(opts.intervalMs / 1000)),
      key: key.registration,
    });
    const nextSeq = created ? 1 : ((await client.lastSeq(id)) ?? 0) + 1;
    const corridor = corridors[i % corridors.length];
    const rand = mulberry32(hashSeed(seed, id));
    const trip = planTrip({
      route: corridor.route.coordinates,
      departureMs: t0,
      speedup: opts.speedup ?? 1,
      speedKmh: 60,
      seed: hashSeed(seed, id),
      climate: corridor.climate,
    });
    // Spread the trucks along the route: each departed some time before the run started.
    const spread = planTrip({ ...trip.plan, departureMs: t0 - rand() * trip.durationS * 900 });
    fleet[i] = { id, key, nextSeq, trip: spread, movementId: null, reused: !created };
    if (++registered % 100 === 0) progress();
  });
  progress();

  if (opts.movements) {
    await endOpenMovements(client, 'SIM-', () => new Date(now()).toISOString());
    await eachLimited(fleet, 8, async (d, i) => {
      const corridor = corridors[i % corridors.length];
      const created = await client.createMovement({
        reference: `SIM-${corridor.id}-${d.id}-${compactUtc(t0)}`,
        container: containerNumber('TGHU', hashSeed(seed, d.id)),
        devices: [d.id],
        seals: [sealNumber('SIM', i + 1)],
        departureOffice: corridor.departureOffice,
        destinationOffice: corridor.destinationOffice,
        route: corridor.route,
        corridorWidthM: 2000,
        authorizedStops: corridor.authorizedStops,
        timeLimit: new Date(t0 + corridor.transitHours * 3_600_000).toISOString(),
      });
      if (created) {
        // Custody rules: a start is never recorded before the device's previous movement ended (for
        // a device of an earlier run, up to now), nor beyond the backdating bound.
        const startMs = Math.max(d.trip.plan.departureMs, d.reused ? now() : t0 - MAX_START_BACKDATE_MS);
        await client.startMovement(created.id, new Date(startMs).toISOString());
        d.movementId = created.id;
      }
    });
  }

  // Send: one message per device per interval, in batches, for durationS from the first round.
  const sendStart = now();
  for (let round = 0; !opts.signal?.aborted && now() - sendStart < opts.durationS * 1000; round++) {
    const roundStart = now();
    const messages = fleet.map((d) => signMessage(d.key, buildPayload(d.id, d.nextSeq++, roundStart, d.trip.stateAt(roundStart))));
    const batches: string[][] = [];
    for (let i = 0; i < messages.length; i += batchSize) batches.push(messages.slice(i, i + batchSize));
    await eachLimited(batches, concurrency, async (batch) => {
      counts.sent += batch.length;
      try {
        count(counts, await client.ingest(batch));
      } catch {
        counts.failed += batch.length;
      }
    });
    progress();
    const wait = roundStart + opts.intervalMs - now();
    if (wait > 0 && now() - sendStart + wait < opts.durationS * 1000) await sleep(wait);
    else if (wait > 0) break;
  }

  if (opts.movements) {
    const open = fleet.filter((d) => d.movementId);
    await eachLimited(open, 8, async (d) => {
      const at = new Date(Math.max(now(), d.trip.plan.departureMs + 1)).toISOString();
      await client.arriveMovement(d.movementId as string, at).catch(() => {});
      await client.endMovement(d.movementId as string, at).catch(() => {});
    });
    progress();
  }
  return { ...counts, devices: fleet.length, elapsedS: (now() - t0) / 1000 };
}

function count(counts: FleetCounts, results: IngestResult[]): void {
  for (const r of results) {
    counts[r.status] += 1;
    if (r.status === 'rejected') counts.reasons[r.reason ?? 'unknown'] = (counts.reasons[r.reason ?? 'unknown'] ?? 0) + 1;
  }
}
