// Keeps the store in step with the server: a REST snapshot (movements, offices, unresolved
// alerts) plus the SSE stream. Events that arrive while a snapshot loads are held and
// applied after it, so nothing that happened in between is lost; the store ignores
// anything older than what it already has. Every (re)connection of the stream reloads the
// snapshot, because events may have been missed while it was down.

import { api, listAll } from './api.js';
import {
  applyEvent, applyObservation, setAlerts, setConnection, setMovements, setOffices, upsertAlert, upsertMovement,
} from './store.js';
import { openStream } from './stream.js';

const UNRESOLVED = ['open', 'acknowledged', 'assigned'];
const SNAPSHOT_RETRY_MS = 5000;

/**
 * Starts live updates. `onNewAlert(alert)` is called for an unresolved alert the console
 * had not seen; `onSnapshot(first)` after each snapshot; `onError(err)` for failures.
 * Returns { stop, retryAt() }.
 */
export function startLive({ onNewAlert, onSnapshot, onError }) {
  let stopped = false;
  let loading = false;
  let again = false;
  let loaded = false;
  let held = [];
  let retryAt = 0;
  let retryTimer = 0;

  function apply(event) {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      console.warn('stream: event data is not JSON', event.type);
      return;
    }
    switch (event.type) {
      case 'observation':
        applyObservation(data);
        break;
      case 'alert':
        if (upsertAlert(data)) onNewAlert(data);
        break;
      case 'event':
        applyEvent(data);
        break;
      case 'movement':
        upsertMovement(data);
        break;
      default:
        break; // event types added later are ignored by this console
    }
  }

  async function loadSnapshot() {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    clearTimeout(retryTimer);
    try {
      const [movements, offices, ...alertLists] = await Promise.all([
        listAll('/movements?limit=200', { maxPages: 5 }),
        listAll('/offices?limit=500', { maxPages: 4 }),
        ...UNRESOLVED.map((status) => listAll(`/alerts?status=${status}&limit=200`, { maxPages: 5 })),
      ]);
      if (stopped) return;
      setOffices(offices.items);
      setMovements(movements.items);
      const fresh = setAlerts(alertLists.flatMap((l) => l.items), alertLists.every((l) => l.complete));
      // After a reconnect, alerts raised while the stream was down are announced like live ones.
      if (loaded) for (const a of fresh) onNewAlert(a);
      const first = !loaded;
      loaded = true;
      onSnapshot(first);
    } catch (err) {
      if (stopped || err?.status === 401) return;
      onError(err);
      retryTimer = setTimeout(loadSnapshot, SNAPSHOT_RETRY_MS);
    } finally {
      loading = false;
      const pending = held;
      held = [];
      if (!stopped) for (const e of pending) apply(e);
      if (again && !stopped) {
        again = false;
        loadSnapshot();
      }
    }
  }

  const stream = openStream({
    onEvent(event) {
      if (loading) held.push(event);
      else apply(event);
    },
    onState(state, info) {
      if (stopped && state !== 'stopped') return;
      retryAt = info.retryAt ?? 0;
      setConnection(state);
      if (state === 'live') loadSnapshot();
      // without a stream, still show what the server knows
      if (state === 'reconnecting' && !loaded && !loading) loadSnapshot();
    },
    onError,
  });

  return {
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      stream.stop();
    },
    retryAt: () => retryAt,
    /** Runs an alert action and applies the updated alert it answers with. */
    async alertAction(id, action, body) {
      const updated = await api(`/alerts/${encodeURIComponent(id)}/${action}`, { method: 'POST', body });
      if (updated?.id) upsertAlert(updated);
      return updated;
    },
  };
}
