/**
 * A map of one place in one movement's story: its corridor, stops and track, markers (the
 * truck, incidents), drawn by the live map's MapRenderer and fitted to what it shows. With a
 * moment `at`, the track up to it is drawn solid and a ring marks where the truck was; the track
 * after it is drawn dashed, so "before" and "after" read at a glance. Drag and wheel move it;
 * "Fit" comes back. A text summary carries the same for screen readers.
 */
import { useEffect, useRef } from 'react';
import type { Area, Office } from '../api/types';
import { useI18n } from '../i18n/i18n-context';
import type { TrackPoint } from '../live/live-store';
import type { MarkerState } from '../live/movement-state';
import { MapRenderer, stateColours } from './map-renderer';
import { boundsOf, clampView, fitBounds, panBy, project, zoomAround, type Position, type Size, type View } from './projection';
import { loadWorld } from './world';
import '../ui/screens.css';

export interface SiteMarker {
  id: string;
  lon: number;
  lat: number;
  state: MarkerState;
  label: string;
}

export interface SiteMapProps {
  /** what the map shows, for screen readers */
  label: string;
  route: Position[] | null;
  corridorWidthM: number;
  stops: { name: string; area: Area }[];
  offices: Office[];
  track: TrackPoint[];
  /** the moment of interest (ms): the track is solid before, dashed after */
  at: number | null;
  markers: SiteMarker[];
  /** fit to these positions instead of everything shown (e.g. around an incident) */
  focus?: Position[];
  /** the marker drawn with a ring (the truck) */
  ringed?: string | null;
  tileUrl: string | null;
}

// a few kilometres around a single point, not street level
const MAX_K = 2 ** 12;

export function SiteMap(props: SiteMapProps) {
  const { t } = useI18n();
  const rootRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const latest = useRef(props);
  latest.current = props;
  const control = useRef<{ fit(): void; draw(): void } | null>(null);

  useEffect(() => {
    const root = rootRef.current!;
    const canvas = canvasRef.current!;
    let view: View = { k: 1, x: 0, y: 0 };
    let size: Size = { width: root.clientWidth || 600, height: root.clientHeight || 360 };
    let frame = 0;
    const renderer = new MapRenderer(canvas, () => schedule());

    function draw() {
      frame = 0;
      const p = latest.current;
      const clusters = p.markers.map((m) => {
        const [x, y] = project([m.lon, m.lat]);
        return { x, y, count: 1, id: m.id, state: m.state, counts: { broken: 0, alert: 0, ok: 0, idle: 0, [m.state]: 1 }, ids: [m.id] };
      });
      renderer.draw(
        view,
        size,
        {
          clusters,
          selectedId: p.ringed ?? null,
          offices: p.offices,
          labels: new Map(),
          selected: { route: p.route, corridorWidthM: p.corridorWidthM, stops: p.stops, offices: [], track: p.track, replayTime: p.at },
        },
        p.tileUrl,
      );
      drawAfterAndLabels(canvas, view, p);
      root.dataset.view = `${view.k},${view.x},${view.y}`;
    }
    function schedule() {
      if (!frame) frame = requestAnimationFrame(draw);
    }
    function fit() {
      const p = latest.current;
      const shown: Position[] = p.focus?.length
        ? p.focus
        : [...p.track.map((x) => x.position), ...p.markers.map((m) => [m.lon, m.lat]), ...(p.route ?? [])];
      const b = boundsOf(shown);
      view = b
        ? clampView(fitBounds(b, size, { padding: 56, maxK: MAX_K }), size)
        : fitBounds({ west: -20, south: -40, east: 60, north: 40 }, size);
      schedule();
    }
    control.current = { fit, draw: schedule };
    const resize = new ResizeObserver(() => {
      const next = { width: root.clientWidth, height: root.clientHeight };
      if (!next.width || !next.height) return;
      size = next;
      fit();
    });
    resize.observe(root);
    fit();
    let cancelled = false;
    void loadWorld().then((w) => {
      if (cancelled) return;
      renderer.setCountries(w);
      root.dataset.basemap = 'ready';
      schedule();
    });

    let drag: [number, number] | null = null;
    const onDown = (e: PointerEvent) => {
      canvas.setPointerCapture(e.pointerId);
      drag = [e.clientX, e.clientY];
    };
    const onMove = (e: PointerEvent) => {
      if (!drag) return;
      view = panBy(view, e.clientX - drag[0], e.clientY - drag[1]);
      drag = [e.clientX, e.clientY];
      schedule();
    };
    const onUp = () => (drag = null);
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = canvas.getBoundingClientRect();
      view = zoomAround(view, Math.exp(-e.deltaY / 500), [e.clientX - r.left, e.clientY - r.top], { maxK: 2 ** 16 });
      schedule();
    };
    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerup', onUp);
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      cancelled = true;
      cancelAnimationFrame(frame);
      resize.disconnect();
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerup', onUp);
      canvas.removeEventListener('wheel', onWheel);
    };
  }, []);

  // New data (a reload) refits: the place of interest may have changed.
  const key = `${props.track.length},${props.markers.map((m) => m.id).join()},${props.focus?.length ?? 0},${props.at}`;
  useEffect(() => control.current?.fit(), [key]);

  return (
    <div className="site-map" ref={rootRef} data-markers={props.markers.length} data-track={props.track.length}>
      <canvas ref={canvasRef} role="img" aria-label={props.label} />
      <button type="button" className="small site-map-fit" onClick={() => control.current?.fit()}>
        {t('siteMap.fit')}
      </button>
    </div>
  );
}

/** The track after the moment (dashed) and every marker's label, over what the renderer drew. */
function drawAfterAndLabels(canvas: HTMLCanvasElement, view: View, p: SiteMapProps) {
  const ctx = canvas.getContext('2d')!;
  const dpr = window.devicePixelRatio || 1;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const screen = (pos: Position) => {
    const [x, y] = project(pos);
    return [x * view.k + view.x, y * view.k + view.y] as const;
  };
  if (p.at != null) {
    const after = p.track.filter((x) => x.time && Date.parse(x.time) >= p.at!);
    const before = p.track.filter((x) => x.time && Date.parse(x.time) < p.at!).at(-1);
    const line = before ? [before, ...after] : after;
    if (line.length > 1) {
      ctx.beginPath();
      line.forEach((x, i) => {
        const [sx, sy] = screen(x.position);
        if (i === 0) ctx.moveTo(sx, sy);
        else ctx.lineTo(sx, sy);
      });
      ctx.setLineDash([6, 5]);
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = '#d2a8ff';
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'start';
  // labels of markers close together are stacked, not drawn over each other
  const placed: [number, number][] = [];
  for (const m of p.markers) {
    const [sx, sy] = screen([m.lon, m.lat]);
    let y = sy + 4;
    while (placed.some(([px, py]) => Math.abs(px - sx) < 120 && Math.abs(py - y) < 15)) y += 15;
    placed.push([sx, y]);
    ctx.lineWidth = 3;
    ctx.strokeStyle = '#0b1118';
    ctx.strokeText(m.label, sx + 11, y);
    ctx.fillStyle = m.state === 'idle' ? '#f0f6fc' : stateColours[m.state];
    ctx.fillText(m.label, sx + 11, y);
  }
}
