/**
 * Draws one shape on the offline map: click to add a vertex (a circle: its centre, then a point
 * of its rim), drag a handle to move it, drag elsewhere to pan, wheel to zoom, Undo to step back.
 * Everything also works without a pointer: typed coordinates add vertices, each vertex can be
 * removed from the list, a circle's radius is a number field. Other shapes (the route while a stop
 * is drawn, offices) are shown for reference and cannot be edited here.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { Area } from '../api/types';
import { useI18n } from '../i18n/i18n-context';
import { countriesPath } from './map-renderer';
import {
  boundsOf,
  fitBounds,
  metersToWorld,
  panBy,
  project,
  unproject,
  zoomAround,
  WORLD_SIZE,
  type Bounds,
  type Position,
  type View,
} from './projection';
import {
  addPoint,
  handleAt,
  handlesOf,
  moveHandle,
  parseLatLon,
  push,
  removePoint,
  replace,
  setRadius,
  undo,
  type LonLat,
  type SketchHistory,
} from './sketch';
import { loadWorld } from './world';
import '../ui/screens.css';

export interface SketchMapProps {
  history: SketchHistory;
  onChange(h: SketchHistory): void;
  /** Names the map for screen readers ("Office area"). */
  label: string;
  /** Shown for reference, not editable. */
  background?: { areas?: Area[]; lines?: Position[][] };
  /** Where to look while there is nothing to show (default: East Africa). */
  initialBounds?: Bounds;
  /** When this changes (e.g. the office being edited), the map zooms to the shape alone. */
  focus?: string | null;
}

const DEFAULT_BOUNDS: Bounds = { west: 28, south: -8, east: 42, north: 4 };
const DRAG_PX = 4;
let countries: Path2D | null = null;

export function SketchMap({ history, onChange, label, background, initialBounds, focus = null }: SketchMapProps) {
  const { t, number } = useI18n();
  const rootRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const view = useRef<View | null>(null);
  const interacted = useRef(false);
  const fitted = useRef('');
  const focused = useRef<string | null>(null);
  const latest = useRef({ history, onChange, background, focus });
  latest.current = { history, onChange, background, focus };
  const [typed, setTyped] = useState('');
  const [typedError, setTypedError] = useState('');
  const [, setBasemap] = useState(!!countries);
  const helpId = useId();
  const s = history.sketch;

  const draw = () => {
    const canvas = canvasRef.current;
    const root = rootRef.current;
    if (!canvas || !root) return;
    const width = root.clientWidth || 600;
    const height = canvas.clientHeight || 320;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
    }
    const { history: h, background: bg, focus: f } = latest.current;
    // A new focus shows the shape alone, close up; the user's moves then stand until the next one.
    if (f && focused.current !== f && handlesOf(h.sketch).length) {
      focused.current = f;
      const b = boundsOf(handlesOf(h.sketch))!;
      const pad = 0.02;
      view.current = fitBounds(
        { west: b.west - pad, south: b.south - pad, east: b.east + pad, north: b.north + pad },
        { width, height },
        { padding: 24, maxK: 2 ** 14 },
      );
      interacted.current = true;
    }
    if (!f) focused.current = null;
    // Until the user moves the map, it follows what there is to see (the reference shapes load late).
    const fitKey = `${bg?.areas?.length ?? 0},${bg?.lines?.length ?? 0}`;
    if (!interacted.current && fitted.current !== fitKey) {
      fitted.current = fitKey;
      view.current = null;
    }
    if (!view.current) {
      const b = boundsOf([...handlesOf(h.sketch), ...(bg?.lines ?? []).flat(), ...(bg?.areas ?? []).flatMap(areaPositions)]);
      const fit = b
        ? { west: b.west - 0.05, south: b.south - 0.05, east: b.east + 0.05, north: b.north + 0.05 }
        : (initialBounds ?? DEFAULT_BOUNDS);
      view.current = fitBounds(fit, { width, height }, { padding: 24, maxK: 2 ** 12 });
    }
    const v = view.current;
    root.dataset.view = `${v.k},${v.x},${v.y}`;
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#0b1118';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(v.k * dpr, 0, 0, v.k * dpr, v.x * dpr, v.y * dpr);
    ctx.fillStyle = '#0d1b2a';
    ctx.fillRect(0, 0, WORLD_SIZE, WORLD_SIZE);
    if (countries) {
      ctx.fillStyle = '#1a2633';
      ctx.fill(countries, 'evenodd');
      ctx.lineWidth = 0.8 / v.k;
      ctx.strokeStyle = '#2c3d50';
      ctx.stroke(countries);
    }
    ctx.lineWidth = 1.5 / v.k;
    for (const a of bg?.areas ?? []) {
      ctx.fillStyle = 'rgba(108,182,255,0.15)';
      ctx.strokeStyle = '#6cb6ff';
      const p = areaPath(a);
      ctx.fill(p);
      ctx.stroke(p);
    }
    for (const line of bg?.lines ?? []) {
      ctx.setLineDash([6 / v.k, 4 / v.k]);
      ctx.strokeStyle = '#6cb6ff';
      ctx.stroke(linePath(line, false));
      ctx.setLineDash([]);
    }
    // the shape being drawn
    const sk = h.sketch;
    ctx.lineWidth = 2.5 / v.k;
    ctx.strokeStyle = '#e3b341';
    ctx.fillStyle = 'rgba(227,179,65,0.2)';
    if (sk.kind === 'circle' && sk.points[0] && sk.radiusM > 0) {
      const [cx, cy] = project(sk.points[0]);
      ctx.beginPath();
      ctx.arc(cx, cy, metersToWorld(sk.radiusM, sk.points[0][1]), 0, Math.PI * 2);
      ctx.fill();
      ctx.stroke();
    } else if (sk.kind === 'polygon' && sk.points.length > 1) {
      const p = linePath(sk.points, sk.points.length > 2);
      if (sk.points.length > 2) ctx.fill(p);
      ctx.stroke(p);
    } else if (sk.kind === 'line' && sk.points.length > 1) ctx.stroke(linePath(sk.points, false));
    // handles in screen pixels
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    handlesOf(sk).forEach((p, i) => {
      const [x, y] = toScreen(v, p);
      ctx.fillStyle = i === 0 ? '#f0f6fc' : '#e3b341';
      ctx.strokeStyle = '#0b1118';
      ctx.lineWidth = 1.5;
      ctx.fillRect(x - 5, y - 5, 10, 10);
      ctx.strokeRect(x - 5, y - 5, 10, 10);
    });
  };
  const frame = useRef(0);
  const schedule = () => {
    if (!frame.current)
      frame.current = requestAnimationFrame(() => {
        frame.current = 0;
        draw();
      });
  };
  useEffect(schedule);

  useEffect(() => {
    const canvas = canvasRef.current!;
    let cancelled = false;
    if (!countries)
      void loadWorld().then((w) => {
        countries ??= countriesPath(w);
        if (!cancelled) {
          rootRef.current!.dataset.basemap = 'ready';
          setBasemap(true);
        }
      });
    else rootRef.current!.dataset.basemap = 'ready';
    const local = (e: { clientX: number; clientY: number }): LonLat => {
      const r = canvas.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    let gesture: { id: number; start: LonLat; last: LonLat; handle: number; moved: boolean } | null = null;
    const onDown = (e: PointerEvent) => {
      if (e.pointerType === 'mouse' && e.button !== 0) return;
      canvas.setPointerCapture(e.pointerId);
      const at = local(e);
      const v = view.current!;
      const handle = handleAt(
        handlesOf(latest.current.history.sketch).map((p) => toScreen(v, p)),
        at,
      );
      gesture = { id: e.pointerId, start: at, last: at, handle, moved: false };
      interacted.current = true;
    };
    const onMove = (e: PointerEvent) => {
      if (!gesture || gesture.id !== e.pointerId) return;
      const at = local(e);
      if (!gesture.moved && Math.hypot(at[0] - gesture.start[0], at[1] - gesture.start[1]) < DRAG_PX) return;
      const { history: h, onChange: change } = latest.current;
      if (gesture.handle >= 0) {
        const next = moveHandle(h.sketch, gesture.handle, fromScreen(view.current!, at));
        // the first move of a drag is one undo step; the rest of the drag replaces it
        change(gesture.moved ? replace(h, next) : push(h, next));
      } else {
        view.current = panBy(view.current!, at[0] - gesture.last[0], at[1] - gesture.last[1]);
        schedule();
      }
      gesture.moved = true;
      gesture.last = at;
    };
    const onUp = (e: PointerEvent) => {
      if (!gesture || gesture.id !== e.pointerId) return;
      const g = gesture;
      gesture = null;
      if (e.type !== 'pointerup' || g.moved) return;
      const { history: h, onChange: change } = latest.current;
      change(push(h, addPoint(h.sketch, fromScreen(view.current!, local(e)))));
    };
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      interacted.current = true;
      view.current = zoomAround(view.current!, Math.exp(-e.deltaY / 500), local(e));
      schedule();
    };
    const resize = new ResizeObserver(schedule);
    resize.observe(canvas);
    canvas.addEventListener('pointerdown', onDown);
    canvas.addEventListener('pointermove', onMove);
    canvas.addEventListener('pointerup', onUp);
    canvas.addEventListener('pointercancel', onUp);
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      cancelled = true;
      resize.disconnect();
      cancelAnimationFrame(frame.current);
      frame.current = 0;
      canvas.removeEventListener('pointerdown', onDown);
      canvas.removeEventListener('pointermove', onMove);
      canvas.removeEventListener('pointerup', onUp);
      canvas.removeEventListener('pointercancel', onUp);
      canvas.removeEventListener('wheel', onWheel);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const zoom = (f: number) => {
    const c = canvasRef.current!;
    interacted.current = true;
    view.current = zoomAround(view.current!, f, [c.clientWidth / 2, c.clientHeight / 2]);
    schedule();
  };
  const fit = () => {
    view.current = null;
    schedule();
  };
  const handleAdd = (e: { preventDefault(): void }) => {
    e.preventDefault();
    const p = parseLatLon(typed);
    if (!p) return setTypedError(t('sketch.badCoordinate'));
    setTypedError('');
    setTyped('');
    onChange(push(history, addPoint(s, p)));
  };
  const vertexName = (i: number) => (s.kind === 'circle' ? t('sketch.centre') : t('sketch.vertex', { n: i + 1 }));
  const hint = s.kind === 'circle' ? (s.points.length ? t('sketch.helpRim') : t('sketch.helpCentre')) : t('sketch.helpVertices');

  return (
    <div className="sketch" ref={rootRef} role="group" aria-label={label} aria-describedby={helpId}>
      <div className="sketch-canvas-wrap">
        <canvas ref={canvasRef} className="sketch-canvas" role="img" aria-label={t('sketch.summary', { label, count: s.points.length })} />
        <div className="map-controls" role="group" aria-label={t('map.label')}>
          <button type="button" aria-label={t('map.zoomIn')} title={t('map.zoomIn')} onClick={() => zoom(2)}>
            +
          </button>
          <button type="button" aria-label={t('map.zoomOut')} title={t('map.zoomOut')} onClick={() => zoom(0.5)}>
            −
          </button>
          <button type="button" aria-label={t('sketch.fit')} title={t('sketch.fit')} onClick={fit}>
            ⤢
          </button>
        </div>
      </div>
      <p id={helpId} className="hint">
        {hint}
      </p>
      <div className="sketch-tools">
        <button type="button" disabled={!history.past.length} onClick={() => onChange(undo(history))}>
          {t('sketch.undo')}
        </button>
        <button type="button" disabled={!s.points.length} onClick={() => onChange(push(history, { ...s, points: [], radiusM: 0 }))}>
          {t('sketch.clear')}
        </button>
      </div>
      <div className="sketch-entry">
        <label>
          {t('sketch.coordinate')}
          <input
            value={typed}
            inputMode="decimal"
            placeholder="-4.0435, 39.6682"
            aria-invalid={!!typedError}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') handleAdd(e);
            }}
          />
        </label>
        <button type="button" onClick={handleAdd}>
          {s.kind === 'circle' && s.points.length ? t('sketch.setRim') : t('sketch.addPoint')}
        </button>
        {s.kind === 'circle' && (
          <label>
            {t('sketch.radius')}
            <input
              type="number"
              min={1}
              step={1}
              value={s.radiusM || ''}
              disabled={!s.points.length}
              onChange={(e) => onChange(push(history, setRadius(s, Number(e.target.value))))}
            />
          </label>
        )}
        <span className="form-error" role="alert">
          {typedError}
        </span>
      </div>
      {s.points.length > 0 && (
        <ol className="sketch-vertices" aria-label={t('sketch.vertices')}>
          {s.points.map((p, i) => (
            <li key={i}>
              <span>
                {vertexName(i)}: {number(p[1], 5)}, {number(p[0], 5)}
              </span>
              <button
                type="button"
                className="link"
                aria-label={t('sketch.remove', { name: vertexName(i) })}
                onClick={() => onChange(push(history, removePoint(s, i)))}
              >
                {t('sketch.removeShort')}
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

const toScreen = (v: View, p: Position): LonLat => {
  const [x, y] = project(p);
  return [x * v.k + v.x, y * v.k + v.y];
};
const fromScreen = (v: View, p: LonLat): LonLat => {
  const [lon, lat] = unproject([(p[0] - v.x) / v.k, (p[1] - v.y) / v.k]);
  return [lon, lat];
};

function linePath(points: readonly Position[], close: boolean): Path2D {
  const path = new Path2D();
  points.forEach((p, i) => {
    const [x, y] = project(p);
    if (i === 0) path.moveTo(x, y);
    else path.lineTo(x, y);
  });
  if (close) path.closePath();
  return path;
}

function areaPath(a: Area): Path2D {
  if ('center' in a) {
    const path = new Path2D();
    const [x, y] = project([a.center.lon, a.center.lat]);
    path.arc(x, y, metersToWorld(a.radiusM, a.center.lat), 0, Math.PI * 2);
    return path;
  }
  return linePath(a.coordinates[0] ?? [], true);
}

function areaPositions(a: Area): Position[] {
  return 'center' in a ? [[a.center.lon, a.center.lat]] : (a.coordinates[0] ?? []);
}
