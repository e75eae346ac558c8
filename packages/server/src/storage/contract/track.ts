/**
 * Storage contract, a movement's track for display: the answers of GET /movements/{id}/track
 * (registry/movement-track.ts, read through the store's track pages) must be those built the
 * plain way, from whole observations listed by device, on every engine.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { meters, streamSimplifier, toTimestamp, type NewObservation, type Observation } from '@sealwatch/core';
import { fullTrackJson, simplifiedTrackCollection } from '../../registry/movement-track';
import type { Store } from '../ports';
import { allPages, at, buildObservation, dev, type WithStore } from './fixtures';

const A = dev('SEAL-A');
const B = dev('TRK-B');

/**
 * 12,000 positions of A every 10 s on a winding road (beyond one track page and one simplifier
 * chunk), its seal opened twice; B every 70 s, some at A's very times, without speed or seal on
 * some, trust varied, some without a position; a few rows of each outside the window.
 */
function trip(): NewObservation[] {
  const rows: NewObservation[] = [];
  const t = (s: number) => toTimestamp(Date.parse(at(0)) + s * 1000);
  for (let k = 0; k < 12_000; k++)
    rows.push(
      buildObservation({
        device: A,
        seq: k,
        time: t(k * 10 - 50),
        position: { lat: -1 + k * 2e-5 + 0.001 * Math.sin(k / 30), lon: 36 + k * 3e-5, speed: 40 + (k % 7) },
        seal: (k > 3000 && k < 3010) || k === 9000 ? { state: 'open', rope: 'cut' } : { state: 'closed', rope: 'inserted', lock: 'locked' },
      }),
    );
  for (let k = 0; k < 1800; k++)
    rows.push(
      buildObservation({
        device: B,
        seq: k,
        time: t(k * 70),
        position: k % 40 === 5 ? null : { lat: -2 + 0.002 * Math.cos(k / 7), lon: 35 + k * 1e-4 },
        seal: k % 3 === 0 ? null : { state: k % 500 < 10 ? 'tampered' : 'closed' },
        trust: k % 2 ? 'hmac' : 'unverified',
      }),
    );
  return rows;
}

/** The answers built from whole observations: positions merged by (time, device order, id). */
async function reference(s: Store, window: { from: ReturnType<typeof at>; to: ReturnType<typeof at> }) {
  const points: (Observation & { order: number })[] = [];
  for (const [order, device] of [A, B].entries()) {
    const pages = await allPages((cursor) => s.observations.listByDevice(device, { ...window, order: 'asc' }, { limit: 1000, cursor }));
    for (const o of pages.flat()) if (o.position) points.push({ ...o, order });
  }
  points.sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : x.order - y.order || x.id - y.id));
  const point = (o: Observation) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [o.position!.lon, o.position!.lat] },
    properties: { time: o.time, device: o.device, seal: o.seal, speed: o.position!.speed ?? null, trust: o.trust },
  });
  const collection = (kept: Observation[], positions: number, properties: Record<string, unknown>) => ({
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: kept.map((o) => [o.position!.lon, o.position!.lat]) },
        properties: { ...properties, points: kept.length, positions, truncated: false },
      },
      ...kept.map(point),
    ],
  });
  const simplified = (tolerance: number) => {
    const kept: Observation[] = [];
    const simplifier = streamSimplifier<{ lon: number; lat: number; o: Observation }>(meters(tolerance), (p) => kept.push(p.o));
    points.forEach((o, i) =>
      simplifier.push(
        { lon: o.position!.lon, lat: o.position!.lat, o },
        i > 0 && (o.seal?.state ?? null) !== (points[i - 1].seal?.state ?? null),
      ),
    );
    simplifier.end();
    return kept;
  };
  return { points, collection, simplified };
}

export function trackContract(withStore: WithStore): void {
  describe('track for display', () => {
    test(
      'the full and the simplified answers are those built from whole observations',
      withStore(async (s) => {
        for (let i = 0, rows = trip(); i < rows.length; i += 2000) await s.observations.append(rows.slice(i, i + 2000));
        const window = { from: at(0), to: at(2000) };
        const ref = await reference(s, window);
        assert.ok(ref.points.length > 13_000);
        const about = { movement: 'MOV-1' };

        let text = '';
        for await (const chunk of fullTrackJson(s.observations, [A, B], window, 50_000, about)) text += chunk;
        assert.deepEqual(JSON.parse(text), ref.collection(ref.points, ref.points.length, about));

        for (const tolerance of [5, 50, 500]) {
          const kept = ref.simplified(tolerance);
          const answer = await simplifiedTrackCollection(s.observations, [A, B], window, meters(tolerance), 50_000, about);
          assert.deepEqual(JSON.parse(JSON.stringify(answer)), ref.collection(kept, ref.points.length, about), `at ${tolerance} m`);
          assert.ok(kept.length < ref.points.length);
        }
      }),
    );
  });
}
