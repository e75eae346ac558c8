/**
 * Keeps a LiveStore in step with the server: a REST snapshot (movements, offices, unresolved
 * alerts) plus the stream. Messages that arrive while a snapshot loads are held and applied
 * after it; every (re)connection reloads the snapshot, since messages may have been missed.
 */
import { get, listAll, post } from '../api/client';
import type { Alert, DomainEvent, Incident, Movement, MovementMute, Observation } from '../api/types';
import type { LiveStore } from './live-store';
import { openStream } from './stream';
import type { SseEvent } from './sse-parser';

const UNRESOLVED = ['open', 'acknowledged', 'assigned'] as const;
const SNAPSHOT_RETRY_MS = 5000;

export interface LiveSync {
  stop(): void;
  alertAction(id: string, action: 'acknowledge' | 'assign' | 'resolve', body: Record<string, unknown>): Promise<Alert>;
  incidentAction(id: string, action: 'acknowledge' | 'assign' | 'note' | 'close', body: Record<string, unknown>): Promise<Incident>;
}

export function startLiveSync(
  store: LiveStore,
  h: { onNewIncident(i: Incident): void; onError(err: Error): void; onUnauthorized(): void; canReadOffices: boolean },
): LiveSync {
  let stopped = false;
  let loading = false;
  let again = false;
  let loaded = false;
  let held: SseEvent[] = [];
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  function apply(e: SseEvent) {
    let data: unknown;
    try {
      data = JSON.parse(e.data);
    } catch {
      return;
    }
    if (e.type === 'observation') store.applyObservation(data as Observation);
    else if (e.type === 'alert') store.upsertAlert(data as Alert);
    // The incident, not each of its alerts, is announced: one event, one alarm.
    else if (e.type === 'incident') {
      if (store.upsertIncident(data as Incident)) h.onNewIncident(data as Incident);
    } else if (e.type === 'event') store.applyEvent(data as DomainEvent);
    else if (e.type === 'movement') store.upsertMovement(data as Movement);
  }

  async function loadSnapshot() {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    clearTimeout(retryTimer);
    try {
      const [movements, offices, incidents, mutes, closed, ...alertLists] = await Promise.all([
        listAll((cursor) => get('/api/v1/movements', { query: { limit: 1000, cursor } }), 20),
        h.canReadOffices
          ? listAll((cursor) => get('/api/v1/offices', { query: { limit: 500, cursor } }), 4)
          : Promise.resolve({ items: [], complete: true }),
        listAll((cursor) => get('/api/v1/incidents', { query: { status: 'open', limit: 500, cursor } }), 5),
        get('/api/v1/mutes', {}) as Promise<{ items: MovementMute[] }>,
        // the latest closed ones: a seal break confirmed there keeps its movement's badge red
        get('/api/v1/incidents', { query: { status: 'closed', limit: 500 } }),
        ...UNRESOLVED.map((status) => listAll((cursor) => get('/api/v1/alerts', { query: { status, limit: 500, cursor } }), 5)),
      ]);
      if (stopped) return;
      store.setOffices(offices.items);
      store.setMovements(movements.items);
      store.setAlerts(
        alertLists.flatMap((l) => l.items),
        alertLists.every((l) => l.complete),
      );
      const fresh = store.setIncidents([...incidents.items, ...closed.items], mutes.items);
      // After a reconnect, incidents opened while the stream was down are announced like live ones.
      if (loaded) for (const i of fresh) h.onNewIncident(i);
      loaded = true;
    } catch (err) {
      if (stopped || (err as { status?: number }).status === 401) return;
      h.onError(err as Error);
      retryTimer = setTimeout(loadSnapshot, SNAPSHOT_RETRY_MS);
    } finally {
      loading = false;
      const pending = held;
      held = [];
      if (!stopped) for (const e of pending) apply(e);
      if (again && !stopped) {
        again = false;
        void loadSnapshot();
      }
    }
  }

  const stream = openStream({
    onEvent(e) {
      if (loading) held.push(e);
      else apply(e);
    },
    onState(state) {
      if (stopped && state !== 'stopped') return;
      store.setConnection(state);
      if (state === 'live') void loadSnapshot();
      // without a stream, still show what the server knows
      if (state === 'reconnecting' && !loaded && !loading) void loadSnapshot();
    },
    onUnauthorized: h.onUnauthorized,
    onError: h.onError,
  });

  return {
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      stream.stop();
    },
    async alertAction(id, action, body) {
      const url = `/api/v1/alerts/{id}/${action}` as '/api/v1/alerts/{id}/acknowledge';
      const updated = (await post(url, { path: { id }, body: body as never })) as Alert;
      if (updated?.id) store.upsertAlert(updated);
      return updated;
    },
    async incidentAction(id, action, body) {
      const url = `/api/v1/incidents/{id}/${action}` as '/api/v1/incidents/{id}/acknowledge';
      const updated = (await post(url, { path: { id }, body: body as never })) as Incident;
      if (updated?.id) store.upsertIncident(updated);
      return updated;
    },
  };
}
