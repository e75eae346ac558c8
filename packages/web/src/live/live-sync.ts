/**
 * Keeps a LiveStore in step with the server: a REST snapshot (movements, offices, unresolved
 * alerts) plus the stream. Messages that arrive while a snapshot loads are held and applied
 * after it; every (re)connection reloads the snapshot, since messages may have been missed.
 */
import { get, listAll, post } from '../api/client';
import type { Alert, DomainEvent, Movement, Observation } from '../api/types';
import type { LiveStore } from './live-store';
import { openStream } from './stream';
import type { SseEvent } from './sse-parser';

const UNRESOLVED = ['open', 'acknowledged', 'assigned'] as const;
const SNAPSHOT_RETRY_MS = 5000;

export interface LiveSync {
  stop(): void;
  alertAction(id: string, action: 'acknowledge' | 'assign' | 'resolve', body: Record<string, unknown>): Promise<Alert>;
}

export function startLiveSync(store: LiveStore, h: { onNewAlert(a: Alert): void; onError(err: Error): void; onUnauthorized(): void; canReadOffices: boolean }): LiveSync {
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
    else if (e.type === 'alert') {
      if (store.upsertAlert(data as Alert)) h.onNewAlert(data as Alert);
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
      const [movements, offices, ...alertLists] = await Promise.all([
        listAll((cursor) => get('/api/v1/movements', { query: { limit: 1000, cursor } }), 20),
        h.canReadOffices ? listAll((cursor) => get('/api/v1/offices', { query: { limit: 500, cursor } }), 4) : Promise.resolve({ items: [], complete: true }),
        ...UNRESOLVED.map((status) => listAll((cursor) => get('/api/v1/alerts', { query: { status, limit: 500, cursor } }), 5)),
      ]);
      if (stopped) return;
      store.setOffices(offices.items);
      store.setMovements(movements.items);
      const fresh = store.setAlerts(alertLists.flatMap((l) => l.items), alertLists.every((l) => l.complete));
      // After a reconnect, alerts raised while the stream was down are announced like live ones.
      if (loaded) for (const a of fresh) h.onNewAlert(a);
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
  };
}
