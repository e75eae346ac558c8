/**
 * The map benchmark (`#/bench?n=10000&seconds=10&rate=10000`): N synthetic movements on the live
 * map, `rate` position updates per second spread over them, while the view pans and zooms in a
 * loop. Frame intervals (requestAnimationFrame) and draw times are reported in #bench-result as
 * JSON; `packages/web/scripts/measure-map.ts` runs it in chromium and prints the figures.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Movement } from '../api/types';
import { useI18n } from '../i18n/i18n-context';
import { LiveStore } from '../live/live-store';
import { MapView } from '../map/map-view';

/** A deterministic generator (mulberry32) so runs are comparable. */
function random(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

export function summarise(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return {
    count: s.length,
    mean: +mean.toFixed(2),
    p50: +percentile(s, 50).toFixed(2),
    p95: +percentile(s, 95).toFixed(2),
    p99: +percentile(s, 99).toFixed(2),
    max: +(s.at(-1) ?? NaN).toFixed(2),
  };
}

export function BenchPage() {
  const { t } = useI18n();
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const n = Number(params.get('n') ?? 10_000);
  const seconds = Number(params.get('seconds') ?? 10);
  const rate = Number(params.get('rate') ?? n);
  const drag = params.get('pattern') === 'drag';
  const store = useMemo(() => new LiveStore(), []);
  const [result, setResult] = useState('');
  const draws = useMemo<number[]>(() => [], []);

  useEffect(() => {
    const rnd = random(42);
    const now = new Date().toISOString();
    const items: Movement[] = [];
    // around East Africa and Europe, where the demo corridors run
    for (let i = 0; i < n; i++) {
      const europe = rnd() < 0.4;
      const lat = europe ? 40 + rnd() * 15 : -10 + rnd() * 15;
      const lon = europe ? -5 + rnd() * 25 : 28 + rnd() * 14;
      const r = rnd();
      const seal =
        r < 0.01 ? { state: 'tampered', rope: 'inserted', lock: 'locked' } : { state: 'closed', rope: 'inserted', lock: 'locked' };
      items.push({
        id: `bench-${i}`,
        reference: `MRN-BENCH-${i}`,
        status: 'in_transit',
        container: null,
        vehicle: null,
        trader: null,
        devices: [`DEV-${i}`],
        seals: [],
        departureOffice: 'A',
        destinationOffice: 'B',
        route: null,
        corridorWidthM: 2000,
        authorizedStops: [],
        timeLimit: null,
        sensorThresholds: [],
        checkpoints: [],
        createdAt: now,
        startedAt: now,
        arrivedAt: null,
        endedAt: null,
        updatedAt: now,
        live: { position: { lat, lon }, positionTime: now, seal, battery: { level: 80 }, lastSeenAt: now, openAlerts: r < 0.05 ? 1 : 0 },
      } as unknown as Movement);
    }
    store.setMovements(items);
    store.setAlerts(
      items
        .filter((m) => m.live!.openAlerts)
        .map((m, k) => ({
          id: `alert-${k}`,
          type: 'route_deviation',
          severity: 'major',
          status: 'open',
          movement: m.id,
          device: m.devices[0],
          time: now,
          lastTime: now,
          count: 1,
          details: {},
          assignee: null,
          outcome: null,
          comment: null,
          history: [],
          createdAt: now,
          updatedAt: now,
          revision: 1,
        })),
      true,
    );

    const intervals: number[] = [];
    let last = 0;
    let cursor = 0;
    let frame = 0;
    let stopped = false;
    const started = performance.now();
    const positions = items.map((m) => ({ ...m.live!.position! }));
    const tick = (ts: number) => {
      if (stopped) return;
      if (last) intervals.push(ts - last);
      // this frame's share of the position updates
      const due = Math.round((rate * (last ? ts - last : 16.7)) / 1000);
      last = ts;
      const time = new Date().toISOString();
      for (let k = 0; k < due; k++) {
        const i = cursor++ % n;
        const p = positions[i];
        p.lat += (rnd() - 0.5) * 0.01;
        p.lon += (rnd() - 0.5) * 0.01;
        store.applyObservation({ device: `DEV-${i}`, time, position: { lat: p.lat, lon: p.lon }, seal: null, battery: null });
      }
      // pan and zoom in a loop, through the map's own keyboard handler: one step every 30 frames,
      // or (pattern=drag) a drag-like gesture, a 100 px pan on each of 30 frames, then 60 frames at rest
      const map = document.getElementById('map');
      const key = (k: string) => map?.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
      ++frame;
      if (drag) {
        const phase = frame % 90;
        if (phase < 30) key(Math.floor(frame / 90) % 2 ? 'ArrowRight' : 'ArrowLeft');
      } else if (frame % 30 === 0) key(['ArrowLeft', '+', 'ArrowRight', '-'][(frame / 30) % 4]);
      if (ts - started < seconds * 1000) requestAnimationFrame(tick);
      else {
        stopped = true;
        setResult(
          JSON.stringify({
            devices: n,
            updatesPerSecond: rate,
            seconds,
            pattern: drag ? 'drag' : 'keys',
            frameInterval: summarise(intervals),
            draw: summarise(draws),
            fps: +(intervals.length / seconds).toFixed(1),
          }),
        );
      }
    };
    const id = requestAnimationFrame(tick);
    return () => {
      stopped = true;
      cancelAnimationFrame(id);
    };
  }, [store, n, seconds, rate, draws, drag]);

  return (
    <main className="bench-layout">
      <h1 className="visually-hidden">{t('bench.heading')}</h1>
      <MapView store={store} onSelect={() => undefined} tileUrl={null} replayTime={null} onFrame={(ms) => draws.push(ms)} />
      <pre id="bench-result" aria-live="polite">
        {result}
      </pre>
    </main>
  );
}
