/** Detector cost per observation, memory per tracked device, and the query time of a long track. */
import { asDeviceId, sealFacts, toTimestamp, type NewObservation, type SealReading } from '@sealwatch/core';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { startTestPlatform, mombasaOffice, malabaOffice, buildMovementBody } from '../src/testing/test-platform';

type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;
import { adminHeaders, percentile, progress, signedFleet } from './common';

/** The pure seal rule alone: µs per call over a mix of readings. */
export function sealRuleCost(calls = 1_000_000): number {
  const readings: SealReading[] = [{ state: 'closed' }, { state: 'tampered' }, { state: 'open', rope: 'cut' }, { lock: 'unlocked' }];
  let facts = 0;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) facts += sealFacts(readings[i % 4], readings[(i + 1) % 4], true).length;
  if (facts === 0) throw new Error('no facts');
  return ((performance.now() - t0) * 1000) / calls;
}

/** The processor's whole cost per observation (device state, rules, atomic commit) in embedded mode: µs. */
export async function processorCost(devices = 1000, messages = 40_000): Promise<number> {
  const p = await startTestPlatform({ SEALWATCH_MQTT_PORT: 'off' });
  try {
    const fleet = await signedFleet(p, 'PC', 'HS256', devices, messages);
    await p.ctx.processor.stop();
    for (let i = 0; i < fleet.length; i += 1000) {
      await p.ctx.ingest.ingest(fleet.slice(i, i + 1000), { transport: 'bench', remote: null });
      progress('ingest (processor stopped)', Math.min(i + 1000, fleet.length), fleet.length);
    }
    const { Processor } = await import('../src/processing/processor');
    const { Mutex } = await import('../src/processing/mutex');
    const fresh = new Processor({
      store: p.ctx.store,
      bus: p.ctx.bus,
      alertLock: new Mutex(),
      now: Date.now,
      newId: () => crypto.randomUUID(),
      name: 'bench',
    });
    const t0 = performance.now();
    await fresh.start();
    await fresh.idle();
    return ((performance.now() - t0) * 1000) / messages;
  } finally {
    await p.cleanup();
  }
}

/** Heap and RSS growth per device once 100k devices are registered and have each reported once: bytes. */
export async function memoryPerDevice(devices = 100_000): Promise<{ heap: number; rss: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const p = await startTestPlatform({ SEALWATCH_MQTT_PORT: 'off' });
  try {
    const key = generateDeviceKey('HS256');
    const settle = async () => {
      for (let i = 0; i < 3; i++) {
        gc?.();
        await new Promise((r) => setTimeout(r, 50));
      }
      return process.memoryUsage();
    };
    const before = await settle();
    const created = toTimestamp(Date.now());
    const now = Date.now();
    for (let i = 0; i < devices; i += 1000) {
      const batch: string[] = [];
      for (let d = i; d < Math.min(devices, i + 1000); d++) {
        await p.ctx.store.devices.create({
          id: asDeviceId(`M-${d}`),
          class: 'active',
          kind: 'tracker',
          protocol: 'native',
          identifiers: {},
          reportIntervalS: 60,
          key: key.registration,
          owner: null,
          createdAt: created,
        });
        batch.push(
          signMessage(key, {
            device: `M-${d}`,
            seq: 1,
            time: new Date(now).toISOString(),
            position: { lat: -1, lon: 36 },
            seal: { state: 'closed' },
          }),
        );
      }
      await p.ctx.ingest.ingest(batch, { transport: 'bench', remote: null });
      progress('100k devices reporting', Math.min(devices, i + 1000), devices);
    }
    await p.ctx.processor.idle();
    const after = await settle();
    return { heap: (after.heapUsed - before.heapUsed) / devices, rss: (after.rss - before.rss) / devices };
  } finally {
    await p.cleanup();
  }
}

/**
 * Positions `from`..`to` (exclusive) of a track of `points` stored by device TRK-1, one every 10 s
 * from `start` (ms) on a winding road, the seal closed.
 */
export function windingTrack(points: number, start: number, from: number, to: number): NewObservation[] {
  const rows: NewObservation[] = [];
  for (let k = from; k < to; k++) {
    const time = toTimestamp(start + k * 10_000);
    rows.push({
      device: asDeviceId('TRK-1'),
      seq: k,
      time,
      receivedAt: time,
      late: false,
      // A road winds: a straight line would simplify to its two ends.
      position: {
        lat: -4 + (k / points) * 4 + 0.01 * Math.sin(k / 40),
        lon: 39.6 - (k / points) * 7 + 0.01 * Math.cos(k / 55),
        speed: 60,
      },
      seal: { state: 'closed' },
      door: null,
      sensors: null,
      battery: null,
      reads: null,
      attributes: null,
      trust: 'signed',
      protocol: 'native',
      hash: `h${k}`,
      raw: 'x',
    });
  }
  return rows;
}

/**
 * A test platform holding one started movement whose one device stored `points` positions (one
 * every 10 s on a winding road, the seal closed): what the track bench and profile read.
 */
export async function trackPlatform(points: number): Promise<{ p: TestPlatform; movementId: string }> {
  const p = await startTestPlatform({
    SEALWATCH_MQTT_PORT: 'off',
    // The trip started 6 days ago (50k positions, one every 10 s): a backdated start beyond the 1-day default.
    SEALWATCH_START_BACKDATE_MAX_S: String(30 * 86_400),
  });
  try {
    for (const o of [mombasaOffice, malabaOffice])
      await p.http.inject({ method: 'POST', url: '/api/v1/offices', headers: adminHeaders, payload: o });
    const key = generateDeviceKey('EdDSA');
    await p.http.inject({
      method: 'POST',
      url: '/api/v1/devices',
      headers: adminHeaders,
      payload: { id: 'TRK-1', class: 'active', kind: 'tracker', protocol: 'native', key: key.registration },
    });
    const m = (
      await p.http.inject({
        method: 'POST',
        url: '/api/v1/movements',
        headers: adminHeaders,
        payload: buildMovementBody({ devices: ['TRK-1'] }),
      })
    ).json();
    const start = Date.now() - points * 10_000;
    await p.http.inject({
      method: 'POST',
      url: `/api/v1/movements/${m.id}/start`,
      headers: adminHeaders,
      payload: { time: new Date(start - 1000).toISOString() },
    });
    for (let i = 0; i < points; i += 5000) {
      await p.ctx.store.observations.append(windingTrack(points, start, i, Math.min(points, i + 5000)));
      progress('50k-point track', Math.min(points, i + 5000), points);
    }
    await p.ctx.processor.idle();
    return { p, movementId: m.id };
  } catch (e) {
    await p.cleanup();
    throw e;
  }
}

/** GET /movements/{id}/track for a movement whose device stored 50k positions: median ms of 5. */
export async function trackQuery(points = 50_000): Promise<{ median: number; p90: number; simplifiedMedian: number; kept: number }> {
  const { p, movementId } = await trackPlatform(points);
  const m = { id: movementId };
  try {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = await p.http.inject({ method: 'GET', url: `/api/v1/movements/${m.id}/track`, headers: adminHeaders });
      times.push(performance.now() - t0);
      if (r.json().features[0].geometry.coordinates.length !== points) throw new Error('track incomplete');
    }
    times.sort((a, b) => a - b);
    // For a map: the line at 50 m (a screen pixel around zoom 11.5), as the console asks for it.
    const simplified: number[] = [];
    let kept = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = await p.http.inject({ method: 'GET', url: `/api/v1/movements/${m.id}/track?tolerance=50`, headers: adminHeaders });
      simplified.push(performance.now() - t0);
      kept = r.json().features[0].geometry.coordinates.length;
    }
    simplified.sort((a, b) => a - b);
    return { median: percentile(times, 0.5), p90: percentile(times, 0.9), simplifiedMedian: percentile(simplified, 0.5), kept };
  } finally {
    await p.cleanup();
  }
}
