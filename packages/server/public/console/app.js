// The Sealwatch monitoring console: wires the store, the live feed, the map and the panels.
// No build step: plain ES modules served by the server under /console/.

import { adoptTokenFromFragment, api, clearToken, getToken, listAll, onUnauthorized, setToken } from './api.js';
import { createAlertsPanel } from './alerts-panel.js';
import { createDetailsPanel } from './details-panel.js';
import { label, markerState, markerStateText, sealText, severities } from './format.js';
import { startLive } from './live.js';
import { createMapView } from './map-view.js';
import { createMovementsPanel, matchesFilter } from './movements-panel.js';
import { announce, toast } from './notices.js';
import { askResolution } from './resolve-dialog.js';
import { beep, isSoundEnabled, setSoundEnabled } from './sound.js';
import { openAlertCount, select, setEvents, setTrack, state, subscribe } from './store.js';

const $ = (id) => document.getElementById(id);
const RENDER_INTERVAL_MS = 250;

adoptTokenFromFragment();

let live = null;
let userMovedMap = false;

const mapView = createMapView($('map'), {
  onSelect: (id) => selectMovement(id),
  onUserMove: () => {
    userMovedMap = true;
  },
});
const alertsPanel = createAlertsPanel(
  { list: $('alerts'), empty: $('alerts-empty'), count: $('alerts-count'), heading: $('alerts-heading') },
  {
    movementOf: (a) => state.movements.get(a.movement),
    onSelect: (id) => selectMovement(id, { zoom: true, toggle: false }),
    onAcknowledge: acknowledge,
    onResolve: resolve,
  },
);
const movementsPanel = createMovementsPanel(
  { list: $('movements'), empty: $('movements-empty'), count: $('movements-count') },
  { onSelect: (id) => selectMovement(id, { zoom: true }) },
);
const detailsPanel = createDetailsPanel({
  section: $('details'), heading: $('details-heading'), facts: $('details-facts'), events: $('events'),
  eventsEmpty: $('events-empty'),
});

// ---- rendering: batched, at most a few times a second however busy the stream is

let renderTimer = 0;
let lastRender = 0;
function scheduleRender() {
  if (renderTimer) return;
  const wait = Math.max(0, RENDER_INTERVAL_MS - (performance.now() - lastRender));
  renderTimer = setTimeout(() => requestAnimationFrame(render), wait);
}
subscribe(scheduleRender);

function movementRows() {
  const text = $('movement-filter').value.trim().toLowerCase();
  const status = $('status-filter').value;
  const rows = [];
  for (const m of state.movements.values()) {
    const selected = m.id === state.selectedId;
    if (!selected && !matchesFilter(m, text, status)) continue;
    const openAlerts = openAlertCount(m);
    rows.push({ m, openAlerts, state: markerState(m, openAlerts), selected });
  }
  return rows;
}

function render() {
  renderTimer = 0;
  lastRender = performance.now();
  const now = Date.now();
  const rows = movementRows();
  movementsPanel.render(rows, state.movements.size, now);
  const alerts = [...state.alerts.values()];
  alertsPanel.render(alerts, now);
  mapView.render({
    movements: rows.map(({ m, state: s, openAlerts, selected }) => ({
      id: m.id,
      reference: m.reference,
      route: m.route,
      position: m.live?.position ? [m.live.position.lon, m.live.position.lat] : null,
      state: s,
      selected,
      title: `${m.reference} · ${label(m.status).toLowerCase()} · ${markerStateText[s]}` +
        `${openAlerts ? ` · ${openAlerts} open alerts` : ''} · seal ${sealText(m.live?.seal)}`,
    })),
    offices: [...state.offices.values()],
    track: state.track,
  });
  const selected = state.selectedId ? state.movements.get(state.selectedId) : null;
  detailsPanel.render(selected ?? null, state.events, state.offices, selected ? openAlertCount(selected) : 0, now);
  renderHeader(alerts);
}

function renderHeader(alerts) {
  let inTransit = 0;
  for (const m of state.movements.values()) if (m.status === 'in_transit') inTransit++;
  $('count-in-transit').textContent = String(inTransit);
  const bySeverity = Object.fromEntries(severities.map((s) => [s, 0]));
  for (const a of alerts) bySeverity[a.severity] = (bySeverity[a.severity] ?? 0) + 1;
  for (const s of severities) $(`count-${s}`).textContent = String(bySeverity[s]);
  document.title = bySeverity.critical ? `(${bySeverity.critical}) Sealwatch` : 'Sealwatch · monitoring console';
  renderConnection();
}

function renderConnection() {
  const el = $('connection');
  el.dataset.state = state.connection;
  let text = { connecting: 'Connecting', live: 'Live', stopped: 'Offline' }[state.connection] ?? 'Reconnecting';
  if (state.connection === 'reconnecting' && live) {
    const s = Math.ceil((live.retryAt() - Date.now()) / 1000);
    text = s > 0 ? `Reconnecting in ${s} s` : 'Reconnecting';
  }
  if ($('connection-text').textContent !== text) $('connection-text').textContent = text;
}

function tick() {
  const now = new Date();
  $('clock').textContent = `${now.toISOString().slice(11, 19)} UTC`;
  $('clock').setAttribute('datetime', now.toISOString());
  scheduleRender(); // "12 s ago" moves on
}
setInterval(tick, 1000);
tick();

// ---- selection

async function selectMovement(id, { zoom = false, toggle = true } = {}) {
  if (!id || (toggle && id === state.selectedId)) {
    select(null);
    return;
  }
  select(id);
  const m = state.movements.get(id);
  if (zoom && m) zoomTo(m);
  const enc = encodeURIComponent(id);
  const [track, events] = await Promise.allSettled([
    api(`/movements/${enc}/track`),
    // oldest first: read to the end and keep the most recent
    listAll(`/movements/${enc}/events?limit=500`, { maxPages: 20 }),
  ]);
  if (state.selectedId !== id) return;
  if (track.status === 'fulfilled') setTrack(id, track.value);
  else showError(track.reason);
  if (events.status === 'fulfilled') setEvents(id, events.value.items.slice(-100));
  else showError(events.reason);
}

function zoomTo(m) {
  const positions = [...(m.route?.coordinates ?? []), ...state.track.map((p) => p.position)];
  if (m.live?.position) positions.push([m.live.position.lon, m.live.position.lat]);
  mapView.fitTo(positions);
}

$('details-close').addEventListener('click', () => select(null));
$('details-zoom').addEventListener('click', () => {
  const m = state.movements.get(state.selectedId);
  if (m) zoomTo(m);
});
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape' || !state.selectedId) return;
  if (document.querySelector('dialog[open]') || e.target instanceof HTMLInputElement) return;
  select(null);
});
$('movement-filter').addEventListener('input', scheduleRender);
$('status-filter').addEventListener('change', scheduleRender);

// ---- alert actions

function referenceOf(alert) {
  return state.movements.get(alert.movement)?.reference ?? alert.movement ?? 'no movement';
}

async function acknowledge(alert) {
  try {
    await live.alertAction(alert.id, 'acknowledge', {});
    toast(`Acknowledged: ${label(alert.type)} on ${referenceOf(alert)}`);
  } catch (err) {
    showError(err);
  }
}

async function resolve(alert) {
  const answer = await askResolution(alert, referenceOf(alert));
  if (!answer) return;
  try {
    await live.alertAction(alert.id, 'resolve', answer);
    toast(`Resolved as ${answer.outcome === 'confirmed' ? 'confirmed' : 'false alarm'}: ${label(alert.type)} on ${referenceOf(alert)}`);
  } catch (err) {
    showError(err);
  }
}

function handleNewAlert(alert) {
  if (alert.severity !== 'critical' || alert.status !== 'open') return;
  alertsPanel.flash(alert.id);
  beep();
  announce(`Critical alert: ${label(alert.type)} on ${referenceOf(alert)}`);
}

function showError(err) {
  if (err?.status === 401 || err?.name === 'AbortError') return;
  toast(err?.message || 'Something went wrong.', 'error');
}

// ---- the world map (static, no token needed)

fetch('/console/world.json')
  .then((res) => (res.ok ? res.json() : Promise.reject(new Error(`${res.status}`))))
  .then((topology) => mapView.drawWorld(topology))
  .catch(() => toast('The world map could not be loaded; movements are still shown.', 'error'));

// ---- sign-in and start

function fitPositions() {
  const positions = [];
  for (const m of state.movements.values()) {
    if (m.status !== 'in_transit' && m.status !== 'held') continue;
    if (m.live?.position) positions.push([m.live.position.lon, m.live.position.lat]);
    for (const p of m.route?.coordinates ?? []) positions.push(p);
  }
  if (positions.length) return positions;
  return [...state.movements.values()].filter((m) => m.live?.position).map((m) => [m.live.position.lon, m.live.position.lat]);
}

function start() {
  document.body.classList.remove('signed-out');
  $('sign-in').hidden = true;
  $('console').hidden = false;
  $('sign-out').hidden = false;
  live = startLive({
    onNewAlert: handleNewAlert,
    onSnapshot: (first) => mapView.setFitPositions(fitPositions(), first && !userMovedMap),
    onError: showError,
  });
}

function showSignIn(message = '') {
  live?.stop();
  live = null;
  document.body.classList.add('signed-out');
  $('console').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message;
  $('token-input').value = '';
  $('token-input').focus();
}

onUnauthorized(() => showSignIn('The token was not accepted. Enter a valid admin token.'));

$('sign-in-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const token = $('token-input').value.trim();
  if (!token) return;
  setToken(token);
  start();
});
$('sign-out').addEventListener('click', () => {
  clearToken();
  showSignIn();
});

const soundButton = $('sound-toggle');
function renderSound() {
  soundButton.classList.toggle('off', !isSoundEnabled());
  soundButton.textContent = isSoundEnabled() ? 'Sound on' : 'Sound off';
}
soundButton.addEventListener('click', () => {
  setSoundEnabled(!isSoundEnabled());
  renderSound();
});
renderSound();

if (getToken()) start();
else showSignIn();
