// The movements list: one row per movement with its live state; problems first. Selecting a
// row selects the movement on the map. A text filter and a status filter narrow it (the
// map shows the same movements as the list).

import { h, reconcile, setAttr, setText } from './dom.js';
import { ago, batteryText, label, markerStateText, sealText } from './format.js';

const stateOrder = { broken: 0, alert: 1, ok: 2, idle: 3 };
const ACTIVE = new Set(['declared', 'in_transit', 'held']);

/** Whether a movement passes the list's filters. `text` is lower case. */
export function matchesFilter(m, text, status) {
  if (status === 'active' ? !ACTIVE.has(m.status) : status && m.status !== status) return false;
  if (!text) return true;
  return [m.reference, m.container, m.vehicle, m.departureOffice, m.destinationOffice, ...(m.devices ?? []), ...(m.seals ?? [])]
    .some((v) => typeof v === 'string' && v.toLowerCase().includes(text));
}

export function createMovementsPanel({ list, empty, count }, { onSelect }) {
  function create(row) {
    const button = h('button', { type: 'button', class: 'movement-row' },
      h('span', { class: 'm-line' },
        h('span', { class: 'state-dot', 'aria-hidden': 'true' }), h('span', { class: 'm-ref' }),
        h('span', { class: 'm-status' }), h('span', { class: 'm-alerts' })),
      h('span', { class: 'm-line m-sub' }, h('span', { class: 'm-container' }), h('span', { class: 'm-route' })),
      h('span', { class: 'm-line m-sub' },
        h('span', { class: 'm-pos' }), h('span', { class: 'm-seal' }), h('span', { class: 'm-battery' })));
    button.addEventListener('click', () => onSelect(button.__id));
    const li = h('li', {}, button);
    const q = (c) => button.querySelector(c);
    li.__parts = {
      button, ref: q('.m-ref'), status: q('.m-status'), alerts: q('.m-alerts'), container: q('.m-container'),
      route: q('.m-route'), pos: q('.m-pos'), seal: q('.m-seal'), battery: q('.m-battery'),
    };
    return li;
  }

  function update(li, row, now) {
    const { m, state, openAlerts, selected } = row;
    const p = li.__parts;
    p.button.__id = m.id;
    setAttr(p.button, 'class', `movement-row state-${state}`);
    setAttr(p.button, 'aria-pressed', selected ? 'true' : 'false');
    setText(p.ref, m.reference);
    setText(p.status, label(m.status).toLowerCase());
    setText(p.alerts, openAlerts ? `${openAlerts} alert${openAlerts === 1 ? '' : 's'}` : '');
    setText(p.container, m.container ?? m.vehicle ?? '—');
    setText(p.route, `${m.departureOffice} → ${m.destinationOffice}`);
    const pos = m.live?.positionTime ? `pos ${ago(m.live.positionTime, now)}` : 'no position';
    setText(p.pos, pos);
    setText(p.seal, `seal ${sealText(m.live?.seal)}`);
    setText(p.battery, `batt ${batteryText(m.live?.battery)}`);
    setAttr(p.seal, 'class', `m-seal${state === 'broken' ? ' bad' : ''}`);
    const battery = m.live?.battery?.level;
    setAttr(p.battery, 'class', `m-battery${typeof battery === 'number' && battery < 20 ? ' low' : ''}`);
    setAttr(p.button, 'aria-label',
      `${m.reference}, ${label(m.status).toLowerCase()}, ${markerStateText[state]}` +
      `${openAlerts ? `, ${openAlerts} open alerts` : ''}, ${m.departureOffice} to ${m.destinationOffice}, ` +
      `${pos}, seal ${sealText(m.live?.seal)}, battery ${batteryText(m.live?.battery)}`);
  }

  /** rows: [{ m, state, openAlerts, selected }] already filtered. */
  function render(rows, total, now = Date.now()) {
    const sorted = [...rows].sort((a, b) =>
      stateOrder[a.state] - stateOrder[b.state] || b.openAlerts - a.openAlerts || a.m.reference.localeCompare(b.m.reference));
    reconcile(list, sorted, (r) => r.m.id, create, (li, r) => update(li, r, now));
    empty.hidden = sorted.length > 0;
    setText(empty, total ? 'No movement matches the filter.' : 'No movements.');
    setText(count, rows.length === total ? String(total) : `${rows.length} of ${total}`);
  }

  return { render };
}
