// The selected movement: its facts and a timeline of its recent domain events, newest first.

import { h, reconcile, setAttr, setText } from './dom.js';
import { alertTypeSet, ago, batteryText, detailsText, label, sealText, utcDateTime, utcTime } from './format.js';

const MAX_EVENTS = 100;

export function createDetailsPanel({ section, heading, facts, events, eventsEmpty }) {
  function fact(term, value, cls) {
    return h('div', cls ? { class: cls } : {}, h('dt', { text: term }), h('dd', { text: value, title: value }));
  }

  function office(code, offices) {
    const o = offices.get(code);
    return o ? `${code} · ${o.name}` : code ?? '—';
  }

  /** Shows `m` (null hides the panel) and its events. */
  function render(m, eventItems, offices, openAlerts, now = Date.now()) {
    section.hidden = !m;
    if (!m) return;
    setText(heading, m.reference);
    const live = m.live ?? {};
    const pos = live.position
      ? `${live.position.lat.toFixed(4)}, ${live.position.lon.toFixed(4)}` +
        `${typeof live.position.speed === 'number' ? ` · ${Math.round(live.position.speed)} km/h` : ''} · ${ago(live.positionTime, now)}`
      : 'no position yet';
    facts.replaceChildren(
      fact('Status', label(m.status).toLowerCase()),
      fact('Container', m.container ?? m.vehicle ?? '—'),
      fact('From', office(m.departureOffice, offices)),
      fact('To', office(m.destinationOffice, offices)),
      fact('Devices', (m.devices ?? []).join(', ') || '—'),
      fact('Seals', (m.seals ?? []).join(', ') || '—'),
      fact('Position', pos, 'wide'),
      fact('Seal', sealText(live.seal), live.seal && (live.seal.state === 'open' || live.seal.state === 'tampered' || live.seal.rope === 'cut') ? 'bad' : ''),
      fact('Battery', batteryText(live.battery)),
      fact('Open alerts', String(openAlerts)),
      fact('Started', m.startedAt ? utcDateTime(m.startedAt) : '—'),
      fact('Time limit', m.timeLimit ? utcDateTime(m.timeLimit) : '—'),
    );

    const newestFirst = eventItems.slice(-MAX_EVENTS).reverse();
    reconcile(
      events, newestFirst, (e) => e.id,
      () => h('li', {}, h('time', { class: 'ev-time' }), h('span', { class: 'ev-type' }), h('span', { class: 'ev-detail' })),
      (li, e) => {
        const [time, type, detail] = li.children;
        setAttr(li, 'class', alertTypeSet.has(e.type) ? 'ev alert-event' : 'ev');
        setAttr(time, 'datetime', e.time);
        setText(time, utcTime(e.time));
        setAttr(time, 'title', utcDateTime(e.time));
        setText(type, label(e.type));
        setText(detail, [e.device, detailsText(e.details)].filter(Boolean).join(' · '));
      },
    );
    eventsEmpty.hidden = newestFirst.length > 0;
  }

  return { render };
}
