/**
 * The live map: a canvas drawn by MapRenderer from the LiveStore, redrawn at most once per
 * animation frame whatever the rate of stream messages. Drag, wheel and keys move the view;
 * a click selects a movement or zooms into a cluster. The movements list beside the map is the
 * keyboard path to each movement; the canvas carries a text summary for screen readers.
 */
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n-context';
import type { LiveMovement, LiveStore } from '../live/live-store';
import { markerState } from '../live/movement-state';
import { clusterPoints, pickCluster, type Cluster, type MapPoint } from './cluster';
import { MapRenderer, positionAt, type Scene } from './map-renderer';
import {
  boundsOf,
  clampView,
  fitBounds,
  keepInView,
  panBy,
  project,
  toScreen,
  trackTolerance,
  zoomAround,
  WORLD_SIZE,
  type Size,
  type View,
} from './projection';
import { loadWorld } from './world';

const WORLD_VIEW = { west: -170, south: -58, east: 190, north: 78 };
const DRAG_THRESHOLD_PX = 4;

export interface MapViewProps {
  store: LiveStore;
  onSelect(id: string | null): void;
  tileUrl: string | null;
  replayTime: number | null;
  /** During a replay, pan so the replayed truck stays in view (default on). */
  follow?: boolean;
  /** Called after each drawn frame with the time the draw took (benchmark). */
  onFrame?(drawMs: number): void;
  /** Fit to the movements once they are first known. */
  autoFit?: boolean;
  /** Called when the track tolerance fitting the zoom changes (`trackTolerance`). */
  onTolerance?(metres: number): void;
}

interface Cache {
  points: MapPoint[];
  pointsVersion: number;
  clusters: Cluster[];
  clusterK: number;
  world: WeakMap<object, [number, number]>;
}

export function MapView({ store, onSelect, tileUrl, replayTime, follow = true, onFrame, onTolerance, autoFit = true }: MapViewProps) {
  const { t } = useI18n();
  const rootRef = useRef<HTMLElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [summary, setSummary] = useState('');
  const live = useRef({
    view: { k: 1, x: 0, y: 0 } as View,
    size: { width: 800, height: 600 } as Size,
    frame: 0,
    fitted: false,
    tileUrl,
    replayTime,
    follow,
    onFrame,
    onSelect,
    onTolerance,
    tolerance: 0,
  });
  live.current.tileUrl = tileUrl;
  live.current.replayTime = replayTime;
  live.current.follow = follow;
  live.current.onFrame = onFrame;
  live.current.onSelect = onSelect;
  live.current.onTolerance = onTolerance;
  const cache = useRef<Cache>({ points: [], pointsVersion: -1, clusters: [], clusterK: -1, world: new WeakMap() });
  const api = useRef<{ draw(): void; setView(v: View): void; fit(): void } | null>(null);

  useEffect(() => {
    const root = rootRef.current!;
    const canvas = canvasRef.current!;
    const s = live.current;
    const renderer = new MapRenderer(canvas, () => schedule());
    let summaryText = '';

    const worldOf = (m: LiveMovement) => {
      const pos = m.live?.position;
      if (!pos) return null;
      let w = cache.current.world.get(pos);
      if (!w) cache.current.world.set(pos, (w = project([pos.lon, pos.lat])));
      return w;
    };

    function points(): MapPoint[] {
      const c = cache.current;
      if (c.pointsVersion === store.version) return c.points;
      const out: MapPoint[] = [];
      for (const m of store.movements.values()) {
        const w = worldOf(m);
        if (w) out.push({ id: m.id, x: w[0], y: w[1], state: markerState(m, store.openAlertCount(m), store.confirmedBreaks.has(m.id)) });
      }
      c.points = out;
      c.pointsVersion = store.version;
      c.clusterK = -1;
      return out;
    }

    function scene(): Scene {
      const c = cache.current;
      const pts = points();
      if (c.clusterK !== s.view.k) {
        const selected = store.selectedId;
        c.clusters = clusterPoints(pts, s.view.k, 44, (p) => p.id === selected || p.state === 'broken');
        c.clusterK = s.view.k;
      }
      const labels = new Map<string, string>();
      for (const cl of c.clusters)
        if (cl.id && (cl.state === 'broken' || cl.id === store.selectedId)) labels.set(cl.id, store.movements.get(cl.id)?.reference ?? '');
      const m = store.selectedId ? store.movements.get(store.selectedId) : undefined;
      const counts = { broken: 0, alert: 0, ok: 0, idle: 0 };
      for (const p of pts) counts[p.state]++;
      const text = t('map.summary', { count: pts.length, ...counts });
      if (text !== summaryText) {
        summaryText = text;
        setSummary(text);
      }
      root.dataset.broken = String(counts.broken);
      root.dataset.alert = String(counts.alert);
      return {
        clusters: c.clusters,
        selectedId: store.selectedId,
        offices: [...store.offices.values()],
        labels,
        selected: m
          ? {
              route: m.route?.coordinates ?? null,
              corridorWidthM: m.corridorWidthM,
              stops: m.authorizedStops ?? [],
              offices: [store.offices.get(m.departureOffice), store.offices.get(m.destinationOffice)].filter((o) => !!o),
              track: store.track,
              replayTime: s.replayTime,
            }
          : null,
      };
    }

    function draw() {
      s.frame = 0;
      const started = performance.now();
      points();
      if (autoFit && !s.fitted && cache.current.points.length) {
        s.fitted = true;
        fit();
      }
      // The replayed truck: kept in view when following, and its screen point published (tests, tools).
      const replayed = s.replayTime != null && store.selectedId ? positionAt(store.track, s.replayTime) : null;
      if (replayed && s.follow) {
        const next = keepInView(s.view, s.size, replayed, Math.min(s.size.width, s.size.height) * 0.15);
        if (next !== s.view) s.view = clampView(next, s.size);
      }
      if (replayed) {
        root.dataset.replay = toScreen(s.view, replayed).map(Math.round).join(',');
        root.dataset.replayTime = String(s.replayTime);
      } else {
        delete root.dataset.replay;
        delete root.dataset.replayTime;
      }
      renderer.draw(s.view, s.size, scene(), s.tileUrl);
      root.dataset.view = `${s.view.k},${s.view.x},${s.view.y}`;
      s.onFrame?.(performance.now() - started);
    }
    function schedule() {
      if (!s.frame) s.frame = requestAnimationFrame(draw);
    }
    const limits = () => ({ minK: Math.min(s.size.width, s.size.height) / WORLD_SIZE });
    function setView(v: View) {
      s.view = clampView(v, s.size);
      const tolerance = trackTolerance(s.view.k);
      if (tolerance !== s.tolerance) {
        s.tolerance = tolerance;
        s.onTolerance?.(tolerance);
      }
      schedule();
    }
    function fit() {
      const positions = [...store.movements.values()].map((m) => (m.live?.position ? [m.live.position.lon, m.live.position.lat] : null));
      const b = boundsOf(positions);
      setView(b ? fitBounds(b, s.size, { padding: 48 }) : fitBounds(WORLD_VIEW, s.size, { padding: 0 }));
    }
    api.current = { draw: schedule, setView, fit };

    const resize = new ResizeObserver(() => {
      const next = { width: root.clientWidth, height: root.clientHeight };
      if (!next.width || !next.height) return;
      const first = s.size.width === 800 && s.size.height === 600 && s.view.k === 1;
      s.size = next;
      if (first) setView(fitBounds(WORLD_VIEW, next, { padding: 0 }));
      else schedule();
    });
    resize.observe(root);
    // A re-run (e.g. a language switch) keeps the view the user had.
    if (s.fitted) schedule();
    else setView(fitBounds(WORLD_VIEW, s.size, { padding: 0 }));

    const unsubscribe = store.subscribe((topic) => {
      if (topic !== 'connection' && topic !== 'events') schedule();
    });
    let cancelled = false;
    void loadWorld().then((w) => {
      if (cancelled) return;
      renderer.setCountries(w);
      root.dataset.basemap = 'ready';
      schedule();
    });

    // pointer input: drag to pan, wheel and pinch to zoom, click to pick
    const pointers = new Map<number, [number, number]>();
    let dragged = false;
    let pinch: number | null = null;
    const local = (e: { clientX: number; clientY: number }): [number, number] => {
      const r = canvas.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const unit = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? 400 : 1;
      setView(zoomAround(s.view, Math.exp((-e.deltaY * unit) / 500), local(e), limits()));
    };
    const onDown = (e: PointerEvent) => {
      if (e.pointerType === 'mouse' && e.button !== 0) return;
      canvas.setPointerCapture(e.pointerId);
      pointers.set(e.pointerId, local(e));
      if (pointers.size === 1) dragged = false;
      else if (pointers.size === 2) {
        const [a, b] = [...pointers.values()];
        pinch = Math.hypot(a[0] - b[0], a[1] - b[1]);
        dragged = true;
      }
    };
    const onMove = (e: PointerEvent) => {
      const prev = pointers.get(e.pointerId);
      if (!prev) return;
      const p = local(e);
      pointers.set(e.pointerId, p);
      if (pointers.size === 2 && pinch) {
        const [a, b] = [...pointers.values()];
        const d = Math.hypot(a[0] - b[0], a[1] - b[1]);
        setView(zoomAround(s.view, d / pinch, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], limits()));
        pinch = d;
        return;
      }
      const dx = p[0] - prev[0];
      const dy = p[1] - prev[1];
      if (!dragged && Math.hypot(dx, dy) < DRAG_THRESHOLD_PX) {
        pointers.set(e.pointerId, prev);
        return;
      }
      dragged = true;
      root.classList.add('dragging');
      setView(panBy(s.view, dx, dy));
    };
    const onUp = (e: PointerEvent) => {
      if (!pointers.delete(e.pointerId)) return;
      if (pointers.size < 2) pinch = null;
      if (pointers.size > 0) return;
      root.classList.remove('dragging');
      if (e.type !== 'pointerup' || dragged) return;
      const [sx, sy] = local(e);
      const hit = pickCluster(cache.current.clusters, s.view, sx, sy);
      if (!hit) return;
      if (hit.count === 1 && hit.id) s.onSelect(hit.id);
      else setView(zoomAround(s.view, 3, [sx, sy], limits()));
    };
    const onDbl = (e: MouseEvent) => setView(zoomAround(s.view, e.shiftKey ? 0.5 : 2, local(e), limits()));
    canvas.addEventListener('wheel', onWheel, { passive: false });
    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerup', onUp);
    canvas.addEventListener('pointercancel', onUp);
    canvas.addEventListener('dblclick', onDbl);
    return () => {
      cancelled = true;
      unsubscribe();
      resize.disconnect();
      cancelAnimationFrame(s.frame);
      s.frame = 0;
      canvas.removeEventListener('wheel', onWheel);
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerup', onUp);
      canvas.removeEventListener('pointercancel', onUp);
      canvas.removeEventListener('dblclick', onDbl);
    };
    // The store and the language are fixed for the life of the map (t only names the summary).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, t]);

  useEffect(() => api.current?.draw(), [tileUrl, replayTime, follow]);

  const centre = (): [number, number] => [live.current.size.width / 2, live.current.size.height / 2];
  const zoom = (f: number) =>
    api.current?.setView(
      zoomAround(live.current.view, f, centre(), { minK: Math.min(live.current.size.width, live.current.size.height) / WORLD_SIZE }),
    );
  const handleKeyDown = (e: React.KeyboardEvent) => {
    if (e.target !== rootRef.current || e.altKey || e.ctrlKey || e.metaKey) return;
    const v = live.current.view;
    const step = e.shiftKey ? 300 : 100;
    const pan: Record<string, [number, number]> = {
      ArrowLeft: [step, 0],
      ArrowRight: [-step, 0],
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
    };
    if (pan[e.key]) api.current?.setView(panBy(v, ...pan[e.key]));
    else if (e.key === '+' || e.key === '=') zoom(2);
    else if (e.key === '-' || e.key === '_') zoom(0.5);
    else if (e.key === '0') api.current?.fit();
    else return;
    e.preventDefault();
  };

  return (
    <section
      id="map"
      ref={rootRef}
      className="map"
      tabIndex={0}
      aria-label={t('map.label')}
      aria-describedby="map-help"
      onKeyDown={handleKeyDown}
    >
      <canvas ref={canvasRef} className="map-canvas" role="img" aria-label={summary} />
      <div className="map-controls" role="group" aria-label={t('map.label')}>
        <button type="button" aria-label={t('map.zoomIn')} title={t('map.zoomIn')} onClick={() => zoom(2)}>
          +
        </button>
        <button type="button" aria-label={t('map.zoomOut')} title={t('map.zoomOut')} onClick={() => zoom(0.5)}>
          −
        </button>
        <button type="button" aria-label={t('map.fit')} title={t('map.fit')} onClick={() => api.current?.fit()}>
          ⤢
        </button>
      </div>
      <p id="map-help" className="map-help">
        {t('map.help')}
      </p>
      <ul className="legend" aria-label={t('map.legend')}>
        <li>
          <span className="swatch ok" aria-hidden="true" />
          {t('state.ok')}
        </li>
        <li>
          <span className="swatch alert" aria-hidden="true" />
          {t('state.alert')}
        </li>
        <li>
          <span className="swatch broken" aria-hidden="true" />
          {t('state.broken')}
        </li>
        <li>
          <span className="swatch idle" aria-hidden="true" />
          {t('state.idle')}
        </li>
        <li>
          <span className="swatch office" aria-hidden="true" />
          {t('map.office')}
        </li>
      </ul>
      <p className="attribution">{tileUrl ? '' : t('map.attribution')}</p>
    </section>
  );
}
