// The alert queue: unresolved alerts by severity, then the longest waiting first, each with
// Acknowledge and Resolve. A new critical alert flashes for a few seconds.

import { h, reconcile, setAttr, setText } from './dom.js';
import { ago, compareAlerts, detailsText, label, utcTime } from './format.js';

const FLASH_MS = 8000;

/**
 * `movementOf(alert)` gives the alert's movement item (or undefined); `onSelect(movementId)`,
 * `onAcknowledge(alert)` and `onResolve(alert)` are the row's actions.
 */
export function createAlertsPanel({ list, empty, count, heading }, { movementOf, onSelect, onAcknowledge, onResolve }) {
  const flashing = new Map();
  const busy = new Set();
  let last = null;

  function create(alert) {
    const li = h('li', { class: 'alert-item' });
    const main = h('button', { type: 'button', class: 'alert-main' },
      h('span', { class: 'alert-line' },
        h('span', { class: 'sev-badge' }), h('span', { class: 'alert-type' }), h('span', { class: 'alert-count' }),
        h('span', { class: 'alert-status' })),
      h('span', { class: 'alert-meta' },
        h('span', { class: 'alert-ref' }), h('span', { class: 'alert-device' }), h('span', { class: 'alert-time' })));
    main.addEventListener('click', () => {
      const a = li.__alert;
      if (a.movement) onSelect(a.movement);
    });
    const ack = h('button', { type: 'button', class: 'small', text: 'Acknowledge' });
    ack.addEventListener('click', () => run(li.__alert, onAcknowledge));
    const resolve = h('button', { type: 'button', class: 'small', text: 'Resolve…' });
    resolve.addEventListener('click', () => run(li.__alert, onResolve));
    li.append(main, h('div', { class: 'alert-actions' }, ack, resolve));
    li.__parts = {
      main, ack, resolve,
      sev: main.querySelector('.sev-badge'), type: main.querySelector('.alert-type'),
      count: main.querySelector('.alert-count'), status: main.querySelector('.alert-status'),
      ref: main.querySelector('.alert-ref'), device: main.querySelector('.alert-device'),
      time: main.querySelector('.alert-time'),
    };
    return li;
  }

  async function run(alert, action) {
    if (busy.has(alert.id)) return;
    busy.add(alert.id);
    if (last) render(last.alerts, last.now);
    try {
      await action(alert);
    } finally {
      busy.delete(alert.id);
      if (last) render(last.alerts, last.now);
    }
  }

  function update(li, alert, now) {
    li.__alert = alert;
    const p = li.__parts;
    const movement = movementOf(alert);
    const reference = movement?.reference ?? (alert.movement ? `movement ${String(alert.movement).slice(0, 8)}` : 'no movement');
    setAttr(li, 'class', `alert-item sev-${alert.severity}${flashing.has(alert.id) ? ' flash' : ''}`);
    setText(p.sev, alert.severity);
    setText(p.type, label(alert.type));
    setText(p.count, alert.count > 1 ? `×${alert.count}` : '');
    setText(p.status, alert.status === 'open' ? '' : alert.status === 'assigned' && alert.assignee ? `assigned to ${alert.assignee}` : alert.status);
    setText(p.ref, reference);
    setText(p.device, alert.device ?? '');
    const last = alert.count > 1 ? `, last ${ago(alert.lastTime, now)}` : '';
    setText(p.time, `${utcTime(alert.time)}Z · ${ago(alert.time, now)}${last}`);
    setAttr(p.main, 'aria-label',
      `${alert.severity} ${label(alert.type)}${alert.count > 1 ? `, ${alert.count} times` : ''}, ${reference}` +
      `${alert.device ? `, device ${alert.device}` : ''}, ${ago(alert.time, now)}, ${alert.status}. Show movement.`);
    setAttr(p.main, 'disabled', !alert.movement);
    setAttr(p.main, 'title', detailsText(alert.details) || null);
    // once acknowledged the button goes away; keep the keyboard user on the row
    if (alert.status !== 'open' && document.activeElement === p.ack) p.resolve.focus();
    p.ack.hidden = alert.status !== 'open';
    // aria-disabled, not disabled: a disabled button drops keyboard focus to the page
    setAttr(p.ack, 'aria-disabled', busy.has(alert.id) ? 'true' : null);
    setAttr(p.resolve, 'aria-disabled', busy.has(alert.id) ? 'true' : null);
    setAttr(p.ack, 'aria-label', `Acknowledge ${label(alert.type)} on ${reference}`);
    setAttr(p.resolve, 'aria-label', `Resolve ${label(alert.type)} on ${reference}`);
  }

  /** Redraws the queue from the unresolved alerts. */
  function render(alerts, now = Date.now()) {
    last = { alerts, now };
    const sorted = [...alerts].sort(compareAlerts);
    const focusedRow = list.contains(document.activeElement) ? document.activeElement.closest('li') : null;
    const focusedIndex = focusedRow ? [...list.children].indexOf(focusedRow) : -1;
    reconcile(list, sorted, (a) => a.id, create, (li, a) => update(li, a, now));
    // a resolved alert leaves the queue: move focus to the next one, or to the heading
    if (focusedRow && !focusedRow.isConnected) {
      const next = list.children[Math.min(focusedIndex, list.children.length - 1)];
      (next?.querySelector('.alert-main:not(:disabled)') ?? heading)?.focus();
    }
    empty.hidden = sorted.length > 0;
    setText(count, sorted.length);
  }

  /** Marks an alert to flash (a new critical one). */
  function flash(id) {
    clearTimeout(flashing.get(id));
    flashing.set(id, setTimeout(() => {
      flashing.delete(id);
      if (last) render(last.alerts, Date.now());
    }, FLASH_MS));
  }

  return { render, flash };
}
