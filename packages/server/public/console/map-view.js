// The console's SVG map: countries from the world atlas, office areas, routes, the selected
// movement's track, and one marker per movement. Static layers are drawn once in world
// units under one transform, so panning and zooming only rewrite that transform and the
// positions of the screen-sized marks (markers, office codes, track points).

import { reconcile, s, setAttr, setText } from './dom.js';
import {
  WORLD_SIZE, boundsOf, clampView, fitBounds, linePath, metersToWorld, polygonPath, project, toScreen,
  wrapPolygon, zoomAround,
} from './map.js';
import { feature } from './topojson.js';
import { attachMapInput } from './map-input.js';

/** Office codes appear once the map is zoomed in to about one continent. */
const OFFICE_LABEL_MIN_K = 24;
const WORLD_VIEW = { west: -170, south: -58, east: 190, north: 78 };

export function createMapView(root, { onSelect, onUserMove = () => {} }) {
  const svg = s('svg', { class: 'map-svg', role: 'img', 'aria-label': 'Map of movements' });
  const clip = s('clipPath', { id: 'world-clip' }, s('rect', { x: 0, y: 0, width: WORLD_SIZE, height: WORLD_SIZE }));
  const world = s('g', { class: 'world' });
  const countries = s('g', { class: 'countries', 'clip-path': 'url(#world-clip)' });
  const areas = s('g', { class: 'office-areas' });
  const routes = s('g', { class: 'routes' });
  const trackLine = s('path', { class: 'track-line', d: '' });
  world.append(s('rect', { class: 'sea', x: 0, y: 0, width: WORLD_SIZE, height: WORLD_SIZE }), countries, areas, routes, trackLine);
  const officeMarks = s('g', { class: 'office-marks' });
  const trackPoints = s('g', { class: 'track-points' });
  const markers = s('g', { class: 'markers' });
  svg.append(s('defs', {}, clip), world, s('g', { class: 'overlay' }, officeMarks, trackPoints, markers));
  root.prepend(svg);

  let size = { width: root.clientWidth || 800, height: root.clientHeight || 600 };
  let view = fitBounds(WORLD_VIEW, size, { padding: 0 });
  let frame = 0;

  function applyView() {
    frame = 0;
    world.setAttribute('transform', `matrix(${view.k} 0 0 ${view.k} ${view.x} ${view.y})`);
    svg.classList.toggle('show-office-labels', view.k >= OFFICE_LABEL_MIN_K);
    for (const layer of [officeMarks, trackPoints, markers]) {
      for (const el of layer.children) {
        const p = el.__position;
        if (!p) continue;
        const [x, y] = toScreen(view, p);
        el.setAttribute('transform', `translate(${x.toFixed(1)} ${y.toFixed(1)})`);
        // a marker's label goes to its left near the right edge, so it is not cut off
        const label = el.__label;
        if (label && el.__labelLeft !== x > size.width - 240) {
          el.__labelLeft = x > size.width - 240;
          label.setAttribute('x', el.__labelLeft ? '-11' : '11');
          label.setAttribute('text-anchor', el.__labelLeft ? 'end' : 'start');
        }
      }
    }
  }
  function scheduleView() {
    if (!frame) frame = requestAnimationFrame(applyView);
  }
  function setView(next, byUser = false) {
    view = clampView(next, size);
    scheduleView();
    if (byUser) onUserMove();
  }

  new ResizeObserver(() => {
    const next = { width: root.clientWidth, height: root.clientHeight };
    if (!next.width || !next.height) return;
    // keep the centre of the map where it was
    setView({ k: view.k, x: view.x + (next.width - size.width) / 2, y: view.y + (next.height - size.height) / 2 });
    size = next;
  }).observe(root);

  attachMapInput(root, svg, {
    getView: () => view,
    setView: (v) => setView(v, true),
    getSize: () => size,
    // zoomed out, the world still fills the shorter side of the map
    getLimits: () => ({ minK: Math.min(size.width, size.height) / WORLD_SIZE }),
    onSelect,
    onFit: () => fitAll(true),
  });

  /** Draws the countries of a world-atlas topology. */
  function drawWorld(topology) {
    const collection = feature(topology, 'countries');
    const paths = [];
    for (const f of collection.features ?? [collection]) {
      const g = f.geometry;
      if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) continue;
      const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      const d = polygonPath(polygons.flatMap((rings) => wrapPolygon(rings)));
      const name = typeof f.properties?.name === 'string' ? f.properties.name : '';
      paths.push(s('path', { class: 'country', d }, name ? s('title', { text: name }) : null));
    }
    countries.replaceChildren(...paths);
  }

  let fitPositions = [];
  function fitAll(byUser = false) {
    const bounds = boundsOf(fitPositions);
    setView(bounds ? fitBounds(bounds, size, { padding: 48 }) : fitBounds(WORLD_VIEW, size, { padding: 0 }), byUser);
  }

  /** Shows the given positions ([lon, lat]) as large as possible. */
  function fitTo(positions) {
    const bounds = boundsOf(positions);
    if (bounds) setView(fitBounds(bounds, size, { padding: 96 }));
  }

  function placed(el, position) {
    el.__position = position;
    return el;
  }

  /**
   * Redraws the data layers. `movements`: [{ id, reference, route, position, state, selected,
   * title }]; `offices`: office items; `track`: the selected movement's track points.
   */
  function render({ movements, offices, track }) {
    reconcile(
      areas, offices, (o) => o.code,
      (o) => (o.area?.type === 'Polygon' ? s('path', { class: 'office-area' }) : s('circle', { class: 'office-area' })),
      (el, o) => {
        if (o.area?.type === 'Polygon') {
          setAttr(el, 'd', polygonPath([o.area.coordinates]));
        } else if (o.area?.center) {
          const [cx, cy] = project([o.area.center.lon, o.area.center.lat]);
          setAttr(el, 'cx', cx);
          setAttr(el, 'cy', cy);
          setAttr(el, 'r', metersToWorld(o.area.radiusM, o.area.center.lat));
        }
      },
    );
    reconcile(
      officeMarks, offices.filter((o) => officeCentre(o)), (o) => o.code,
      (o) => s('g', { class: 'office-mark' }, s('rect', { x: -3, y: -3, width: 6, height: 6 }), s('text', { x: 6, y: -5 }), s('title')),
      (el, o) => {
        placed(el, officeCentre(o));
        setText(el.querySelector('text'), o.code);
        setText(el.querySelector('title'), `${o.code} · ${o.name} (${o.country})`);
      },
    );
    reconcile(
      routes, movements.filter((m) => m.route?.coordinates?.length > 1), (m) => m.id,
      () => s('path', { class: 'route' }),
      (el, m) => {
        if (el.__route !== m.route) {
          el.__route = m.route;
          el.setAttribute('d', linePath(m.route.coordinates));
        }
        el.classList.toggle('selected', m.selected);
      },
    );
    // the selected route is drawn last, above the others
    const selectedRoute = routes.querySelector('.route.selected');
    if (selectedRoute && selectedRoute !== routes.lastElementChild) routes.append(selectedRoute);

    setAttr(trackLine, 'd', track.length > 1 ? linePath(track.map((p) => p.position)) : '');
    reconcile(
      trackPoints, track, (p) => `${p.time}|${p.position[0]}|${p.position[1]}`,
      () => s('g', { class: 'track-point' }, s('circle', { r: 2.5 }), s('title')),
      (el, p) => {
        placed(el, p.position);
        const parts = [p.time ? new Date(p.time).toISOString().slice(0, 19).replace('T', ' ') + 'Z' : 'track'];
        if (typeof p.speed === 'number') parts.push(`${Math.round(p.speed)} km/h`);
        if (p.seal?.state) parts.push(`seal ${p.seal.state}`);
        setText(el.querySelector('title'), parts.join(' · '));
      },
    );

    const withPosition = movements.filter((m) => m.position);
    // selected and broken markers are drawn last, on top
    const order = { idle: 0, ok: 1, alert: 2, broken: 3 };
    withPosition.sort((a, b) => (a.selected - b.selected) || (order[a.state] - order[b.state]));
    reconcile(
      markers, withPosition, (m) => m.id,
      (m) => {
        const g = s('g', { class: 'marker', 'data-id': m.id },
          s('circle', { class: 'pulse', r: 7 }), s('circle', { class: 'hit', r: 12 }),
          s('circle', { class: 'dot', r: 6 }), s('text', { class: 'marker-label', x: 11, y: 4 }), s('title'));
        g.__label = g.querySelector('text');
        return g;
      },
      (el, m) => {
        placed(el, m.position);
        setAttr(el, 'class', `marker ${m.state}${m.selected ? ' selected' : ''}`);
        setText(el.querySelector('text'), m.selected || m.state === 'broken' ? m.reference : '');
        setText(el.querySelector('title'), m.title);
      },
    );
    const counts = withPosition.reduce((c, m) => ((c[m.state] = (c[m.state] ?? 0) + 1), c), {});
    setAttr(svg, 'aria-label',
      `Map of ${withPosition.length} movements with a position: ${counts.broken ?? 0} with a broken seal, ` +
      `${counts.alert ?? 0} with open alerts, ${counts.ok ?? 0} on route.`);
    applyView();
  }

  return {
    drawWorld,
    render,
    fitTo,
    /** Sets what "fit" (button, key 0) shows, and fits now when `now` is true. */
    setFitPositions(positions, now) {
      fitPositions = positions;
      if (now) fitAll();
    },
  };
}

/** Where an office's mark goes: the circle's centre or the polygon's first ring's mean vertex. */
function officeCentre(o) {
  if (o.area?.center) return [o.area.center.lon, o.area.center.lat];
  const ring = o.area?.type === 'Polygon' ? o.area.coordinates?.[0] : null;
  if (!ring?.length) return null;
  const n = ring.length > 1 ? ring.length - 1 : 1; // the closing vertex repeats the first
  let lon = 0;
  let lat = 0;
  for (let i = 0; i < n; i++) {
    lon += ring[i][0];
    lat += ring[i][1];
  }
  return [lon / n, lat / n];
}
