// What the console knows: movements with their live state, unresolved alerts, offices, the
// selection. Snapshots from the REST API and events from the stream are merged here, in
// any order: a change older than what is already known never overwrites it.

import { isUnresolved } from './format.js';

export const state = {
  /** @type {Map<string, any>} movement id → movement item with `live` */
  movements: new Map(),
  /** device id → movement id (the device's movement that is under way, else its newest) */
  deviceMovement: new Map(),
  /** @type {Map<string, any>} alert id → alert item */
  alerts: new Map(),
  /** alert id → updatedAt of its resolution, so a stale copy cannot bring it back */
  resolved: new Map(),
  /** False when the unresolved-alert lists were longer than what was loaded. */
  alertsComplete: true,
  /** @type {Map<string, any>} office code → office */
  offices: new Map(),
  selectedId: null,
  /** The selected movement's track: [{ position, time, seal, speed }] by time. */
  track: [],
  /** The selected movement's domain events, oldest first. */
  events: [],
  connection: 'connecting',
};

const listeners = new Set();
/** `fn(what)` runs after a change; `what` is 'movements' | 'alerts' | 'offices' | 'selection' | 'track' | 'events' | 'connection'. */
export function subscribe(fn) {
  listeners.add(fn);
}
export function notify(what) {
  for (const fn of listeners) fn(what);
}

const time = (iso) => (iso ? Date.parse(iso) : -Infinity);
const statusPreference = { in_transit: 0, held: 1, declared: 2, arrived: 3, ended: 4 };

function indexDevices() {
  const best = new Map();
  for (const m of state.movements.values()) {
    for (const device of m.devices ?? []) {
      const cur = best.get(device);
      const better =
        !cur ||
        (statusPreference[m.status] ?? 9) < (statusPreference[cur.status] ?? 9) ||
        ((statusPreference[m.status] ?? 9) === (statusPreference[cur.status] ?? 9) && time(m.createdAt) > time(cur.createdAt));
      if (better) best.set(device, m);
    }
  }
  state.deviceMovement = new Map([...best].map(([d, m]) => [d, m.id]));
}

function withLive(m, previous) {
  const live = m.live ?? previous?.live ?? {};
  return {
    ...m,
    live: {
      position: live.position ?? null,
      positionTime: live.positionTime ?? null,
      seal: live.seal ?? null,
      battery: live.battery ?? null,
      openAlerts: live.openAlerts ?? 0,
      // What the server reported (its worst seal and lowest battery over the devices), and
      // what each device reported on the stream since: { device → { seal, battery, time } }.
      baseline: m.live
        ? { seal: live.seal ?? null, battery: live.battery ?? null, time: live.positionTime ?? null }
        : (live.baseline ?? null),
      devices: m.live ? {} : (live.devices ?? {}),
    },
  };
}

/** How bad a seal reading is, as the server ranks it for a movement with several devices. */
function sealRank(seal) {
  if (!seal) return -1;
  if (seal.state === 'tampered' || seal.rope === 'cut') return 2;
  if (seal.state === 'open' || seal.rope === 'removed') return 1;
  return 0;
}

/**
 * A movement's seal and battery from its devices: the worst seal and the lowest battery.
 * The server's figure stands in for devices not heard from on the stream yet.
 */
function summarise(m) {
  const live = m.live;
  const heard = Object.values(live.devices);
  const seals = heard.map((d) => d.seal).filter(Boolean);
  const batteries = heard.map((d) => d.battery).filter(Boolean);
  const allHeard = (m.devices ?? []).every((d) => live.devices[d]?.seal);
  if (!allHeard && live.baseline?.seal) seals.push(live.baseline.seal);
  if (!(m.devices ?? []).every((d) => live.devices[d]?.battery) && live.baseline?.battery) batteries.push(live.baseline.battery);
  live.seal = seals.reduce((worst, s) => (sealRank(s) > sealRank(worst) ? s : worst), null);
  live.battery = batteries.reduce((low, b) => (low && (low.level ?? Infinity) <= (b.level ?? Infinity) ? low : b), null);
}

/** Replaces all movements with a snapshot from GET /movements. */
export function setMovements(items) {
  state.movements = new Map(items.map((m) => [m.id, withLive(m, state.movements.get(m.id))]));
  indexDevices();
  notify('movements');
}

/** A movement item from the stream (status changes) or an API answer. */
export function upsertMovement(m) {
  const prev = state.movements.get(m.id);
  if (prev && m.updatedAt && prev.updatedAt && time(m.updatedAt) < time(prev.updatedAt)) return;
  state.movements.set(m.id, withLive(m, prev));
  indexDevices();
  notify('movements');
}

/** An observation from the stream: moves the marker, updates seal and battery, extends the track. */
export function applyObservation(obs) {
  const id = state.deviceMovement.get(obs.device);
  const m = id && state.movements.get(id);
  if (!m) return;
  const t = time(obs.time);
  const live = m.live;
  if (obs.position && t >= time(live.positionTime)) {
    live.position = obs.position;
    live.positionTime = obs.time;
  }
  if (obs.seal || obs.battery) {
    // Until a device is heard on the stream, the server's reading stands; its time is
    // not given, so the movement's last position time stands in for it.
    const known = live.devices[obs.device] ?? { seal: null, battery: null, time: live.baseline?.time ?? null };
    // a late (store-and-forward) reading never replaces a newer one of the same device
    if (t >= time(known.time)) {
      live.devices[obs.device] = {
        seal: obs.seal ? { ...(known.seal ?? {}), ...obs.seal } : known.seal,
        battery: obs.battery ?? known.battery,
        time: obs.time,
      };
      summarise(m);
    }
  }
  notify('movements');
  if (id === state.selectedId && obs.position) {
    addTrackPoint({ position: [obs.position.lon, obs.position.lat], time: obs.time, seal: obs.seal, speed: obs.position.speed });
  }
}

function addTrackPoint(point) {
  const t = time(point.time);
  const track = state.track;
  if (track.some((p) => p.time === point.time && p.position[0] === point.position[0] && p.position[1] === point.position[1])) return;
  let i = track.length;
  while (i > 0 && time(track[i - 1].time) > t) i--;
  track.splice(i, 0, point);
  notify('track');
}

/**
 * Replaces the unresolved alerts with a snapshot. Returns the unresolved alerts the console did
 * not know before (raised while the stream was down, or during the reload), to announce them.
 */
export function setAlerts(items, complete) {
  const before = state.alerts;
  state.alerts = new Map(items.filter(isUnresolved).map((a) => [a.id, a]));
  state.alertsComplete = complete;
  notify('alerts');
  return [...state.alerts.values()].filter((a) => !before.has(a.id));
}

/**
 * An alert from the stream or an action's answer. Returns true when it is new to the
 * console and unresolved (the caller announces it).
 */
export function upsertAlert(alert) {
  const prev = state.alerts.get(alert.id);
  if (prev && time(alert.updatedAt) < time(prev.updatedAt)) return false;
  const resolvedAt = state.resolved.get(alert.id);
  if (resolvedAt !== undefined && time(alert.updatedAt) <= resolvedAt) return false;
  if (isUnresolved(alert)) {
    state.alerts.set(alert.id, alert);
  } else {
    state.alerts.delete(alert.id);
    state.resolved.set(alert.id, time(alert.updatedAt));
  }
  notify('alerts');
  return !prev && isUnresolved(alert);
}

/** Unresolved alerts of a movement. Falls back to the server's count when the queue was cut short. */
export function openAlertCount(movement) {
  let n = 0;
  for (const a of state.alerts.values()) if (a.movement === movement.id) n++;
  return state.alertsComplete ? n : Math.max(n, movement.live?.openAlerts ?? 0);
}

export function setOffices(items) {
  state.offices = new Map(items.map((o) => [o.code, o]));
  notify('offices');
}

export function select(id) {
  if (state.selectedId === id) return;
  state.selectedId = id;
  state.track = [];
  state.events = [];
  notify('selection');
}

/** The GeoJSON answer of GET /movements/{id}/track. */
export function setTrack(id, collection) {
  if (id !== state.selectedId) return;
  const features = collection?.features ?? [];
  const points = features
    .filter((f) => f.geometry?.type === 'Point')
    .map((f) => ({
      position: f.geometry.coordinates,
      time: f.properties?.time ?? null,
      seal: f.properties?.seal ?? null,
      speed: f.properties?.speed ?? null,
    }));
  const line = features.find((f) => f.geometry?.type === 'LineString');
  // Without point features the line alone is the track (no times to show).
  state.track = points.length
    ? points.sort((a, b) => time(a.time) - time(b.time))
    : (line?.geometry.coordinates ?? []).map((position) => ({ position, time: null, seal: null, speed: null }));
  notify('track');
}

export function setEvents(id, items) {
  if (id !== state.selectedId) return;
  state.events = items;
  notify('events');
}

/** A domain event from the stream. */
export function applyEvent(event) {
  if (!event.movement || event.movement !== state.selectedId) return;
  if (state.events.some((e) => e.id === event.id)) return;
  state.events = [...state.events, event].sort((a, b) => time(a.time) - time(b.time));
  notify('events');
}

export function setConnection(connection) {
  state.connection = connection;
  notify('connection');
}
