/**
 * Draws the map on one canvas: the basemap (world-atlas countries as one Path2D in world units,
 * or raster tiles from a configured URL), office areas, the selected movement's corridor,
 * authorised stops and track, and the movements as clustered markers, one path per colour.
 * Nothing here keeps per-marker DOM: 10,000 devices cost one projection and one fill per state.
 */
import type { Area, Office } from '../api/types';
import type { TrackPoint } from '../live/live-store';
import type { MarkerState } from '../live/movement-state';
import { clusterRadius, labelGroups, type Cluster } from './cluster';
import { metersToWorld, project, WORLD_SIZE, wrapPolygon, type Position, type Size, type View } from './projection';
import type { FeatureCollection } from '@sealwatch/core/geo/topojson';

export const stateColours: Record<MarkerState, string> = { broken: '#ff6b61', alert: '#e3b341', ok: '#3fb950', idle: '#7d8a98' };
const OFFICE = '#6cb6ff';
/** The view counts as at rest this long after its last change; the basemap is then redrawn sharp. */
const REST_MS = 150;

export interface SelectedOverlay {
  route: Position[] | null;
  corridorWidthM: number;
  stops: { name: string; area: Area }[];
  offices: Office[];
  track: TrackPoint[];
  /** replay cursor (ms since epoch) or null for live */
  replayTime: number | null;
}

export interface Scene {
  clusters: Cluster[];
  selectedId: string | null;
  offices: Office[];
  selected: SelectedOverlay | null;
  labels: Map<string, string>;
}

/** The world-atlas countries as one Path2D in world units. */
export function countriesPath(collection: FeatureCollection): Path2D {
  const path = new Path2D();
  for (const f of collection.features) {
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) continue;
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const rings of polygons.flatMap((r) => wrapPolygon(r))) for (const ring of rings) addRing(path, ring);
  }
  return path;
}

function addRing(path: Path2D, ring: Position[]) {
  ring.forEach((p, i) => {
    const [x, y] = project(p);
    if (i === 0) path.moveTo(x, y);
    else path.lineTo(x, y);
  });
  path.closePath();
}

function areaPath(area: Area): Path2D {
  const path = new Path2D();
  if ('type' in area && area.type === 'Polygon') for (const ring of area.coordinates) addRing(path, ring);
  else if ('center' in area) {
    const [cx, cy] = project([area.center.lon, area.center.lat]);
    path.arc(cx, cy, metersToWorld(area.radiusM, area.center.lat), 0, Math.PI * 2);
  }
  return path;
}

/** The centre of an area: the circle's centre or the mean vertex of the polygon's outer ring. */
export function areaCentre(area: Area): [number, number] | null {
  if ('center' in area) return [area.center.lon, area.center.lat];
  const ring = area.coordinates?.[0];
  if (!ring?.length) return null;
  const n = ring.length > 1 ? ring.length - 1 : 1;
  let lon = 0;
  let lat = 0;
  for (let i = 0; i < n; i++) {
    lon += ring[i][0];
    lat += ring[i][1];
  }
  return [lon / n, lat / n];
}

/** The track position at time `t`, linearly interpolated between the two points around it. */
export function positionAt(track: readonly TrackPoint[], t: number): [number, number] | null {
  const timed = track.filter((p) => p.time);
  if (!timed.length) return null;
  const times = timed.map((p) => Date.parse(p.time!));
  if (t <= times[0]) return timed[0].position;
  for (let i = 1; i < timed.length; i++) {
    if (t <= times[i]) {
      const f = (t - times[i - 1]) / Math.max(1, times[i] - times[i - 1]);
      const a = timed[i - 1].position;
      const b = timed[i].position;
      return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
    }
  }
  return timed[timed.length - 1].position;
}

export class MapRenderer {
  private countries: Path2D | null = null;
  private areaCache = new WeakMap<object, Path2D>();
  private tiles = new Map<string, HTMLImageElement>();

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly requestDraw: () => void,
  ) {}

  setCountries(collection: FeatureCollection) {
    this.countries = countriesPath(collection);
  }

  private area(a: Area): Path2D {
    let p = this.areaCache.get(a);
    if (!p) this.areaCache.set(a, (p = areaPath(a)));
    return p;
  }

  draw(view: View, size: Size, scene: Scene, tileUrl: string | null) {
    const dpr = window.devicePixelRatio || 1;
    const c = this.canvas;
    const w = Math.round(size.width * dpr);
    const h = Math.round(size.height * dpr);
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
    const ctx = c.getContext('2d')!;
    // The basemap and office areas change only with the view: drawn once into a layer canvas
    // and copied while only the markers move (the stream's usual case). While the view moves (a
    // drag, a wheel, a key) the cached layer is shifted and scaled instead of redrawn: filling
    // Natural Earth on a software canvas costs ~30 ms a frame; it is redrawn once the view rests.
    const contentKey = `${w},${h},${tileUrl},${this.countries ? 1 : 0},${this.tilesLoaded},${scene.offices.length}`;
    const viewKey = `${view.k},${view.x},${view.y}`;
    const now = performance.now();
    if (viewKey !== this.lastViewKey) {
      this.lastViewKey = viewKey;
      this.viewChangedAt = now;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    const moving = now - this.viewChangedAt < REST_MS;
    const f = this.baseView ? view.k / this.baseView.k : 1;
    if (`${contentKey}|${viewKey}` === this.baseKey) ctx.drawImage(this.base!, 0, 0);
    else if (moving && this.base && this.baseView && contentKey === this.baseContent && f > 0.2 && f < 5) {
      const b = this.baseView;
      ctx.fillStyle = '#0b1118';
      ctx.fillRect(0, 0, w, h);
      ctx.drawImage(this.base, (view.x - b.x * f) * dpr, (view.y - b.y * f) * dpr, w * f, h * f);
      clearTimeout(this.restTimer);
      this.restTimer = setTimeout(() => this.requestDraw(), REST_MS + 10);
    } else {
      this.base ??= document.createElement('canvas');
      if (this.base.width !== w || this.base.height !== h) {
        this.base.width = w;
        this.base.height = h;
      }
      this.drawBase(this.base.getContext('2d')!, view, size, scene, tileUrl, dpr, w, h);
      this.baseKey = `${contentKey}|${viewKey}`;
      this.baseContent = contentKey;
      this.baseView = { ...view };
      ctx.drawImage(this.base, 0, 0);
    }
    const world = () => ctx.setTransform(view.k * dpr, 0, 0, view.k * dpr, view.x * dpr, view.y * dpr);
    world();

    const sel = scene.selected;
    if (sel) this.drawSelected(ctx, view, sel);

    // screen-pixel marks from here
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.drawMarkers(ctx, view, size, scene);
    if (sel?.replayTime != null) {
      const at = positionAt(sel.track, sel.replayTime);
      if (at) {
        const [wx, wy] = project(at);
        ctx.beginPath();
        ctx.arc(wx * view.k + view.x, wy * view.k + view.y, 7, 0, Math.PI * 2);
        ctx.fillStyle = '#ffffff';
        ctx.fill();
        ctx.lineWidth = 3;
        ctx.strokeStyle = '#1f6feb';
        ctx.stroke();
      }
    }
  }

  private base: HTMLCanvasElement | null = null;
  private baseKey = '';
  private baseContent = '';
  private baseView: View | null = null;
  private lastViewKey = '';
  private viewChangedAt = 0;
  private restTimer: ReturnType<typeof setTimeout> | undefined;
  private tilesLoaded = 0;

  private drawBase(
    ctx: CanvasRenderingContext2D,
    view: View,
    size: Size,
    scene: Scene,
    tileUrl: string | null,
    dpr: number,
    w: number,
    h: number,
  ) {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#0b1118';
    ctx.fillRect(0, 0, w, h);
    // world units → device pixels
    const world = () => ctx.setTransform(view.k * dpr, 0, 0, view.k * dpr, view.x * dpr, view.y * dpr);
    world();
    ctx.fillStyle = '#0d1b2a';
    ctx.fillRect(0, 0, WORLD_SIZE, WORLD_SIZE);
    if (tileUrl) this.drawTiles(ctx, view, size, tileUrl, world);
    else if (this.countries) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(0, 0, WORLD_SIZE, WORLD_SIZE);
      ctx.clip();
      ctx.fillStyle = '#1a2633';
      ctx.fill(this.countries, 'evenodd');
      ctx.lineWidth = 0.8 / view.k;
      ctx.strokeStyle = '#2c3d50';
      ctx.stroke(this.countries);
      ctx.restore();
    }

    // office areas, every office
    ctx.lineWidth = 1.2 / view.k;
    for (const o of scene.offices) {
      const p = this.area(o.area);
      ctx.fillStyle = 'rgba(108,182,255,0.12)';
      ctx.fill(p);
      ctx.strokeStyle = OFFICE;
      ctx.stroke(p);
    }

    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (view.k >= 24) {
      ctx.font = '11px system-ui, sans-serif';
      ctx.fillStyle = OFFICE;
      const labelled: { label: string; x: number; y: number }[] = [];
      for (const o of [...scene.offices].sort((a, b) => a.code.localeCompare(b.code))) {
        const centre = areaCentre(o.area);
        if (!centre) continue;
        const [wx, wy] = project(centre);
        const sx = wx * view.k + view.x;
        const sy = wy * view.k + view.y;
        ctx.fillRect(sx - 3, sy - 3, 6, 6);
        labelled.push({ label: o.code, x: sx, y: sy });
      }
      // Offices a few pixels apart (the two sides of Malaba, of Rusumo) share one label instead of printing over each other.
      for (const g of labelGroups(labelled, 40)) ctx.fillText(g.text, g.x + 6, g.y - 5);
    }
  }

  private drawSelected(ctx: CanvasRenderingContext2D, view: View, sel: SelectedOverlay) {
    if (sel.route && sel.route.length > 1) {
      const line = new Path2D();
      sel.route.forEach((p, i) => {
        const [x, y] = project(p);
        if (i === 0) line.moveTo(x, y);
        else line.lineTo(x, y);
      });
      const lat = sel.route.reduce((s, p) => s + p[1], 0) / sel.route.length;
      ctx.lineCap = 'round';
      ctx.lineJoin = 'round';
      // the corridor: the route widened to its width, at least 6 px so it stays visible
      ctx.lineWidth = Math.max(metersToWorld(sel.corridorWidthM * 2, lat), 6 / view.k);
      ctx.strokeStyle = 'rgba(108,182,255,0.18)';
      ctx.stroke(line);
      ctx.lineWidth = 1.5 / view.k;
      ctx.setLineDash([6 / view.k, 4 / view.k]);
      ctx.strokeStyle = '#6cb6ff';
      ctx.stroke(line);
      ctx.setLineDash([]);
    }
    ctx.lineWidth = 1.5 / view.k;
    for (const s of sel.stops) {
      const p = this.area(s.area);
      ctx.fillStyle = 'rgba(63,185,80,0.22)';
      ctx.fill(p);
      ctx.strokeStyle = '#3fb950';
      ctx.stroke(p);
    }
    for (const o of sel.offices) {
      const p = this.area(o.area);
      ctx.fillStyle = 'rgba(108,182,255,0.3)';
      ctx.fill(p);
    }
    const cut = sel.replayTime;
    const shown = cut == null ? sel.track : sel.track.filter((p) => !p.time || Date.parse(p.time) <= cut);
    if (shown.length > 1) {
      ctx.beginPath();
      shown.forEach((p, i) => {
        const [x, y] = project(p.position);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.lineWidth = 2.5 / view.k;
      ctx.strokeStyle = '#f0f6fc';
      ctx.stroke();
    }
  }

  private drawMarkers(ctx: CanvasRenderingContext2D, view: View, size: Size, scene: Scene) {
    const margin = 40;
    const visible = (sx: number, sy: number) => sx > -margin && sy > -margin && sx < size.width + margin && sy < size.height + margin;
    // singles: one path per state colour
    for (const state of ['idle', 'ok', 'alert', 'broken'] as MarkerState[]) {
      ctx.beginPath();
      let any = false;
      for (const c of scene.clusters) {
        if (c.count !== 1 || c.state !== state) continue;
        const sx = c.x * view.k + view.x;
        const sy = c.y * view.k + view.y;
        if (!visible(sx, sy)) continue;
        ctx.moveTo(sx + 5, sy);
        ctx.arc(sx, sy, 5, 0, Math.PI * 2);
        any = true;
      }
      if (!any) continue;
      ctx.fillStyle = stateColours[state];
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = '#0b1118';
      ctx.stroke();
    }
    // clusters: a disc with the count, ringed in the worst state's colour
    ctx.font = '600 11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (const c of scene.clusters) {
      if (c.count === 1) continue;
      const sx = c.x * view.k + view.x;
      const sy = c.y * view.k + view.y;
      if (!visible(sx, sy)) continue;
      const r = clusterRadius(c.count);
      ctx.beginPath();
      ctx.arc(sx, sy, r, 0, Math.PI * 2);
      ctx.fillStyle = 'rgba(22,33,44,0.9)';
      ctx.fill();
      ctx.lineWidth = 3;
      ctx.strokeStyle = stateColours[c.state];
      ctx.stroke();
      ctx.fillStyle = '#f0f6fc';
      ctx.fillText(String(c.count), sx, sy);
    }
    // labels of the selected and broken movements, and the selection ring
    ctx.textAlign = 'start';
    ctx.font = '12px system-ui, sans-serif';
    for (const c of scene.clusters) {
      if (c.count !== 1 || !c.id) continue;
      const selected = c.id === scene.selectedId;
      if (!selected && c.state !== 'broken') continue;
      const sx = c.x * view.k + view.x;
      const sy = c.y * view.k + view.y;
      if (selected) {
        ctx.beginPath();
        ctx.arc(sx, sy, 9, 0, Math.PI * 2);
        ctx.lineWidth = 2;
        ctx.strokeStyle = '#f0f6fc';
        ctx.stroke();
      }
      const label = scene.labels.get(c.id);
      if (label) {
        ctx.fillStyle = '#f0f6fc';
        ctx.fillText(label, sx + 11, sy + 4);
      }
    }
  }

  private drawTiles(ctx: CanvasRenderingContext2D, view: View, size: Size, template: string, world: () => void) {
    const z = Math.max(0, Math.min(19, Math.round(Math.log2(view.k))));
    const n = 2 ** z;
    const tileWorld = WORLD_SIZE / n;
    const x0 = Math.max(0, Math.floor(-view.x / view.k / tileWorld));
    const y0 = Math.max(0, Math.floor(-view.y / view.k / tileWorld));
    const x1 = Math.min(n - 1, Math.floor((size.width - view.x) / view.k / tileWorld));
    const y1 = Math.min(n - 1, Math.floor((size.height - view.y) / view.k / tileWorld));
    world();
    for (let ty = y0; ty <= y1; ty++) {
      for (let tx = x0; tx <= x1; tx++) {
        const url = template.replace('{z}', String(z)).replace('{x}', String(tx)).replace('{y}', String(ty));
        let img = this.tiles.get(url);
        if (!img) {
          img = new Image();
          img.onload = () => {
            this.tilesLoaded++;
            this.requestDraw();
          };
          img.src = url;
          this.tiles.set(url, img);
          if (this.tiles.size > 512) this.tiles.delete(this.tiles.keys().next().value!);
        }
        if (img.complete && img.naturalWidth) ctx.drawImage(img, tx * tileWorld, ty * tileWorld, tileWorld, tileWorld);
      }
    }
  }
}
