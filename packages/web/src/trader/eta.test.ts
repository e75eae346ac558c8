import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateArrival, nextSpeed, stableArrival, type SmoothedSpeed } from './eta';

const route = [
  [39.6682, -4.0435],
  [36.8219, -1.2921],
];
const at = { lat: -3.5, lon: 39.1 };
const t0 = Date.parse('2026-12-01T10:00:00Z');

test('the ETA stays within minutes when the reported speed jumps within a minute (80, 2, 80 km/h)', () => {
  let s: SmoothedSpeed | null = null;
  const etas: number[] = [];
  const instant: number[] = [];
  [80, 2, 80].forEach((kmh, i) => {
    const now = t0 + i * 30_000;
    s = nextSpeed(s, kmh, now);
    etas.push(stableArrival(route, at, s, now)!);
    instant.push(estimateArrival(route, { ...at, speed: kmh }, now)!);
  });
  const spread = (xs: number[]) => (Math.max(...xs) - Math.min(...xs)) / 60_000;
  // the instantaneous estimate moves by hours (the 50 km/h fallback against 80); the smoothed one by minutes
  assert.ok(spread(instant) > 60, `instantaneous spread ${spread(instant)} min`);
  assert.ok(spread(etas) < 10, `smoothed spread ${spread(etas)} min`);
});

test('a sustained change of speed is followed within a couple of hours; a stopped truck is expected to move on', () => {
  let s: SmoothedSpeed | null = nextSpeed(null, 80, t0);
  for (let m = 1; m <= 180; m++) s = nextSpeed(s, 40, t0 + m * 60_000);
  assert.ok(Math.abs(s!.kmh - 40) < 1, `after 3 h at 40 km/h: ${s!.kmh}`);
  const stopped = { kmh: 0, at: t0 };
  const eta = stableArrival(route, at, stopped, t0)!;
  assert.ok(Number.isFinite(eta) && eta > t0);
  assert.equal(nextSpeed(s, undefined, t0 + 1e9), s, 'no speed reported: unchanged');
  assert.equal(nextSpeed(null, 0, t0)!.kmh, 50, 'starts at the fallback when first seen stopped');
});
