// Pointer, wheel, touch and keyboard handling of the map: drag to pan, wheel or pinch to
// zoom around the pointer, double-click to zoom in, click a marker to select its movement.
// Keys (map focused): arrows pan, + and − zoom, 0 fits the movements.

import { panBy, zoomAround } from './map.js';

const DRAG_THRESHOLD_PX = 4;
const KEY_PAN_PX = 100;

export function attachMapInput(root, svg, { getView, setView, getSize, getLimits, onSelect, onFit }) {
  const pointers = new Map();
  let dragged = false;
  let pressedMarker = null;
  let pinch = null;

  const local = (e) => {
    const r = svg.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  const centre = () => [getSize().width / 2, getSize().height / 2];

  svg.addEventListener('wheel', (e) => {
    e.preventDefault();
    const unit = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? 400 : 1;
    setView(zoomAround(getView(), Math.exp((-e.deltaY * unit) / 500), local(e), getLimits()));
  }, { passive: false });

  svg.addEventListener('pointerdown', (e) => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    svg.setPointerCapture(e.pointerId);
    pointers.set(e.pointerId, local(e));
    if (pointers.size === 1) {
      dragged = false;
      pressedMarker = e.target instanceof Element ? e.target.closest('.marker') : null;
    } else if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      pinch = { distance: Math.hypot(a[0] - b[0], a[1] - b[1]) };
      dragged = true;
    }
  });

  svg.addEventListener('pointermove', (e) => {
    const prev = pointers.get(e.pointerId);
    if (!prev) return;
    const p = local(e);
    pointers.set(e.pointerId, p);
    if (pointers.size === 2 && pinch) {
      const [a, b] = [...pointers.values()];
      const distance = Math.hypot(a[0] - b[0], a[1] - b[1]);
      if (pinch.distance > 0) {
        const mid = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
        setView(zoomAround(getView(), distance / pinch.distance, mid, getLimits()));
      }
      pinch.distance = distance;
      return;
    }
    const dx = p[0] - prev[0];
    const dy = p[1] - prev[1];
    if (!dragged && Math.hypot(dx, dy) < DRAG_THRESHOLD_PX) {
      pointers.set(e.pointerId, prev); // not a drag yet: measure from the press
      return;
    }
    dragged = true;
    svg.classList.add('dragging');
    setView(panBy(getView(), dx, dy));
  });

  const release = (e) => {
    if (!pointers.delete(e.pointerId)) return;
    if (pointers.size < 2) pinch = null;
    if (pointers.size > 0) return;
    svg.classList.remove('dragging');
    if (e.type === 'pointerup' && !dragged && pressedMarker) onSelect(pressedMarker.getAttribute('data-id'));
    pressedMarker = null;
  };
  svg.addEventListener('pointerup', release);
  svg.addEventListener('pointercancel', release);

  svg.addEventListener('dblclick', (e) => {
    if (e.target instanceof Element && e.target.closest('.marker')) return;
    setView(zoomAround(getView(), e.shiftKey ? 0.5 : 2, local(e), getLimits()));
  });

  root.addEventListener('keydown', (e) => {
    if (e.target !== root || e.altKey || e.ctrlKey || e.metaKey) return;
    const v = getView();
    const step = e.shiftKey ? KEY_PAN_PX * 3 : KEY_PAN_PX;
    const actions = {
      ArrowLeft: () => panBy(v, step, 0),
      ArrowRight: () => panBy(v, -step, 0),
      ArrowUp: () => panBy(v, 0, step),
      ArrowDown: () => panBy(v, 0, -step),
      '+': () => zoomAround(v, 2, centre(), getLimits()),
      '=': () => zoomAround(v, 2, centre(), getLimits()),
      '-': () => zoomAround(v, 0.5, centre(), getLimits()),
      _: () => zoomAround(v, 0.5, centre(), getLimits()),
    };
    if (e.key === '0') {
      e.preventDefault();
      onFit();
      return;
    }
    const action = actions[e.key];
    if (!action) return;
    e.preventDefault();
    setView(action());
  });

  root.querySelector('[data-map-action="zoom-in"]')?.addEventListener('click', () => setView(zoomAround(getView(), 2, centre(), getLimits())));
  root.querySelector('[data-map-action="zoom-out"]')?.addEventListener('click', () => setView(zoomAround(getView(), 0.5, centre(), getLimits())));
  root.querySelector('[data-map-action="fit"]')?.addEventListener('click', () => onFit());
}
