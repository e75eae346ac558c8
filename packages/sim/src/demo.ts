/**
 * The live demo: three trucks on real corridors, at road speed and in real time. It registers the
 * corridor offices and one device per truck (keys derived from the seed, so they survive
 * restarts), closes DEMO- movements left open by an earlier run, and declares a movement per
 * truck that departed hours ago: the trip's history up to now is uploaded at once, as a device
 * back in coverage uploads its buffer (store-and-forward, one report a minute), so the map shows
 * where each truck has been. From there every interval sends one signed message per device, at
 * the time it is made. Nothing runs faster than the road: the detectors see only positions a
 * truck could have reported. The scripted incidents (a tamper within the first minute, a rope cut
 * about two minutes in) are timed from the start of the live part; the Rotterdam–Milan trip has none.
 * At the end of a trip the movement is arrived and ended and a new one departs.
 *
 * Nothing here throws into the caller after start: failures are logged and retried on the next
 * interval; unsent messages are resent with the same bytes (a duplicate if they did land).
 */
import { lineLengthM } from '@sealwatch/core';
import { endOpenMovements, SealwatchApiError, type IngestResult, type SealwatchApi } from './client';
import { findCorridor, offices, type Corridor } from './corridors';
import { deriveDemoKey, signMessage, type DeviceSigningKey } from './signer';
import { planTrip, type Trip } from './trip';
import { buildDemoDevice, buildDemoMovement, buildPayload, demoVehicles, plannedStops, type DemoVehicle } from './demo-vehicles';

export interface DemoOptions {
  client: SealwatchApi;
  /** Derives device keys and cargo numbers; keep it stable across restarts. */
  seed: string;
  log: (line: string) => void;
  /** Milliseconds between live messages of a device; default 2000. */
  intervalMs?: number;
  /** Seconds between the history reports uploaded for the hours before the start; default 60 (also the devices' registered report interval). */
  historyIntervalS?: number;
  /**
   * How long before the start each first trip departed, seconds, given the vehicle and how long its
   * trip lasts; default the vehicle's `departedHoursAgo`. Clamped to leave a minute of road.
   */
  departedAgoS?: (vehicle: DemoVehicle, tripDurationS: number) => number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: any) => void;
}

export interface DemoHandle {
  stop(): Promise<void>;
}

interface Lane {
  vehicle: DemoVehicle;
  corridor: Corridor;
  key: DeviceSigningKey;
  nextSeq: number | null;
  /** Time of the device's newest report the server holds (an earlier run's), epoch ms; a new trip departs after it. */
  lastReportMs: number;
  movementId: string | null;
  reference: string | null;
  trip: Trip | null;
  /** Trips started by this run: only the first one has history. */
  trips: number;
  closing: 'arrive' | 'end' | null;
}

/** Unsent messages kept for the next attempt (the start's history included); older ones beyond this are dropped from the demo. */
const MAX_PENDING = 5000;
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Starts the demo; resolves after the first round (set-up, history and first messages), whatever its outcome. */
export async function startDemo(opts: DemoOptions): Promise<DemoHandle> {
  const { client, seed, log } = opts;
  const intervalMs = opts.intervalMs ?? 2000;
  const historyIntervalS = opts.historyIntervalS ?? 60;
  const now = opts.now ?? Date.now;
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h));
  const departedAgoS = opts.departedAgoS ?? ((v: DemoVehicle) => v.departedHoursAgo * 3600);
  const lanes: Lane[] = demoVehicles.map((vehicle) => ({
    vehicle,
    corridor: findCorridor(vehicle.corridor),
    key: deriveDemoKey(seed, vehicle.device, vehicle.alg),
    nextSeq: null,
    lastReportMs: 0,
    movementId: null,
    reference: null,
    trip: null,
    trips: 0,
    closing: null,
  }));
  let officesReady = false;
  let leftoversClosed = false;
  let pending: string[] = [];
  let stopped = false;
  let timer: unknown = null;
  let inFlight: Promise<void> = Promise.resolve();

  const iso = () => new Date(now()).toISOString();

  async function setUp(): Promise<void> {
    if (!officesReady) {
      for (const o of offices) await client.createOffice(o);
      officesReady = true;
    }
    for (const lane of lanes.filter((l) => l.nextSeq === null)) {
      const reportIntervalS = Math.max(historyIntervalS, Math.round(intervalMs / 1000));
      await client.createDevice(buildDemoDevice(lane.vehicle, lane.key.registration, reportIntervalS));
      // The provider's device is handed to the trader whose movements it seals (device custody).
      await client.ensureCustody(lane.vehicle.device, lane.vehicle.trader).catch((e: unknown) => {
        log(`demo: could not hand ${lane.vehicle.device} to ${lane.vehicle.trader}: ${errorText(e)}`);
      });
      const last = await client.lastReport(lane.vehicle.device);
      lane.lastReportMs = last ? Date.parse(last.time) : 0;
      lane.nextSeq = ((await client.lastSeq(lane.vehicle.device)) ?? last?.seq ?? 0) + 1;
    }
    if (!leftoversClosed) {
      await closeLeftovers();
      leftoversClosed = true;
    }
    for (const lane of lanes) {
      if (lane.trip || lane.nextSeq === null) continue;
      try {
        await startTrip(lane);
      } catch (e) {
        log(`demo: could not start a movement for ${lane.vehicle.device}, retrying: ${errorText(e)}`);
      }
    }
  }

  async function closeLeftovers(): Promise<void> {
    const { ended, failed } = await endOpenMovements(client, 'DEMO-', iso);
    for (const reference of ended) log(`demo: ended ${reference}, left open by an earlier run`);
    for (const problem of failed) log(`demo: could not end ${problem}`);
  }

  /**
   * Declares and starts the lane's next movement. The first trip of the run departed hours ago
   * (never before the device's last report, so an earlier run's track never overlaps it) and its
   * history up to now is queued for the next send; later trips depart now.
   */
  async function startTrip(lane: Lane): Promise<void> {
    const t = now();
    const stops = plannedStops(lane.corridor);
    const lengthM = lineLengthM(lane.corridor.route.coordinates);
    const durationS = lengthM / (lane.vehicle.speedKmh / 3.6) + stops.reduce((s, x) => s + x.dwellS, 0);
    const agoS = lane.trips === 0 ? Math.max(0, Math.min(departedAgoS(lane.vehicle, durationS), durationS - 60)) : 0;
    const departureMs = Math.max(t - Math.round(agoS * 1000), Math.min(t, lane.lastReportMs + historyIntervalS * 1000));
    if (!lane.movementId) {
      const movement = buildDemoMovement(lane.vehicle, seed, departureMs);
      const created = await client.createMovement(movement);
      if (!created) throw new Error(`movement ${movement.reference} exists already`);
      lane.movementId = created.id;
      lane.reference = movement.reference;
    }
    await client.startMovement(lane.movementId, new Date(departureMs).toISOString());
    // The scripted incidents are timed from now, the start of the live part.
    const liveFromS = (t - departureMs) / 1000;
    lane.trip = planTrip({
      route: lane.corridor.route.coordinates,
      departureMs,
      seed: Number(departureMs % 2 ** 31),
      speedup: 1,
      speedKmh: lane.vehicle.speedKmh,
      incidents: lane.vehicle.incidents.map((i) => ({ ...i, atS: i.atS + liveFromS })),
      seal: lane.vehicle.seal,
      stops,
      climate: lane.corridor.climate,
    });
    lane.trips++;
    let history = 0;
    for (let ms = departureMs; ms < t; ms += historyIntervalS * 1000) {
      pending.push(signMessage(lane.key, buildPayload(lane.vehicle.device, lane.nextSeq!++, ms, lane.trip.stateAt(ms))));
      history++;
    }
    const hours = (x: number) => `${Math.floor(x / 3600)} h ${String(Math.round((x % 3600) / 60)).padStart(2, '0')} min`;
    log(
      `demo: started ${lane.reference} with ${lane.vehicle.device} on ${lane.corridor.name}, departed ${hours(liveFromS)} ago (${history} reports of history), ${hours(durationS)} of road`,
    );
  }

  /** Arrives and ends the lane's movement; a step someone already did (invalid_transition) is skipped. */
  async function finishTrip(lane: Lane): Promise<void> {
    if (!lane.movementId) return;
    const skipDone = (e: unknown) => {
      if (!(e instanceof SealwatchApiError && e.code === 'invalid_transition')) throw e;
    };
    lane.closing ??= 'arrive';
    if (lane.closing === 'arrive') {
      await client.arriveMovement(lane.movementId, iso()).catch(skipDone);
      lane.closing = 'end';
    }
    await client.endMovement(lane.movementId, iso()).catch(skipDone);
    log(`demo: ${lane.reference} arrived and ended`);
    lane.lastReportMs = now();
    Object.assign(lane, { movementId: null, reference: null, trip: null, closing: null });
  }

  async function send(): Promise<Lane[]> {
    const t = now();
    const messages = [...pending];
    const arrived: Lane[] = [];
    for (const lane of lanes) {
      if (!lane.trip || lane.nextSeq === null) continue;
      const state = lane.trip.stateAt(t);
      messages.push(signMessage(lane.key, buildPayload(lane.vehicle.device, lane.nextSeq++, t, state)));
      if (state.arrived) arrived.push(lane);
    }
    if (messages.length === 0) return arrived;
    try {
      const results = await client.ingest(messages);
      pending = [];
      const summary = summarise(results);
      if (summary) log(`demo: ${summary}`);
    } catch (e) {
      pending = messages.slice(-MAX_PENDING);
      log(`demo: sending ${messages.length} messages failed, will resend: ${errorText(e)}`);
    }
    return arrived;
  }

  async function round(): Promise<void> {
    try {
      await setUp();
    } catch (e) {
      log(`demo: set-up incomplete, retrying: ${errorText(e)}`);
    }
    for (const lane of await send()) {
      try {
        await finishTrip(lane);
      } catch (e) {
        log(`demo: could not close ${lane.reference ?? lane.vehicle.device}, retrying: ${errorText(e)}`);
        continue;
      }
      try {
        await startTrip(lane);
      } catch (e) {
        log(`demo: could not start the next movement for ${lane.vehicle.device}, retrying: ${errorText(e)}`);
      }
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimer(() => {
      timer = null;
      inFlight = round()
        .catch((e) => log(`demo: unexpected error: ${errorText(e)}`))
        .then(schedule);
    }, intervalMs);
  }

  inFlight = round().catch((e) => log(`demo: unexpected error: ${errorText(e)}`));
  await inFlight;
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
      await inFlight;
    },
  };
}

/** One line about the messages that were not accepted, or '' when all were. */
export function summarise(results: IngestResult[]): string {
  const bad = results.filter((r) => r.status !== 'accepted');
  if (bad.length === 0) return '';
  const counts = new Map<string, number>();
  for (const r of bad) {
    const kind = r.reason ? `${r.status} ${r.reason}` : r.status;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const kinds = [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
  const hint = bad.some((r) => r.reason === 'bad_signature') ? ' (were the demo devices registered with another seed?)' : '';
  return `${bad.length} of ${results.length} messages not accepted: ${kinds}; first ${bad[0].device}#${bad[0].seq}${hint}`;
}
