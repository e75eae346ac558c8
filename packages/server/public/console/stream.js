// The live feed: GET /api/v1/stream read with fetch() and a stream reader, because
// EventSource cannot send the Authorization header. Reconnects with exponential backoff
// and jitter, sends Last-Event-ID when the server gave ids, and reconnects when the
// connection goes silent (no event and no keep-alive comment) for too long.

import { API_BASE, authHeaders, handleUnauthorized, problemOf } from './api.js';
import { createSseParser } from './sse.js';

const MAX_DELAY_MS = 30_000;
const SILENCE_MS = 90_000;

/**
 * Opens the stream. `onEvent({type, data, id})` gets each SSE event; `onState(state, info)`
 * gets 'connecting' | 'live' | 'reconnecting' | 'stopped', with `info.reconnected` true on a
 * 'live' that follows a lost connection (the caller reloads what it may have missed) and
 * `info.retryAt` on 'reconnecting'. `onError(err)` gets a server error answer.
 */
export function openStream({ onEvent, onState, onError = () => {} }) {
  let stopped = false;
  let controller = null;
  let timer = 0;
  let watchdog = 0;
  let attempt = 0;
  let baseDelay = 1000;
  let lastEventId = '';
  let wasLive = false;

  function armWatchdog() {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => controller?.abort(), SILENCE_MS);
  }

  function scheduleRetry() {
    if (stopped) return;
    clearTimeout(watchdog);
    attempt += 1;
    const delay = Math.min(MAX_DELAY_MS, baseDelay * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5);
    onState('reconnecting', { retryAt: Date.now() + delay });
    timer = setTimeout(connect, delay);
  }

  async function connect() {
    if (stopped) return;
    clearTimeout(timer);
    onState(wasLive || attempt > 0 ? 'reconnecting' : 'connecting', {});
    controller = new AbortController();
    const headers = authHeaders({ Accept: 'text/event-stream' });
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    let res;
    try {
      armWatchdog();
      res = await fetch(`${API_BASE}/stream`, { headers, signal: controller.signal, cache: 'no-store' });
    } catch {
      return scheduleRetry();
    }
    if (res.status === 401) {
      stop();
      handleUnauthorized();
      return;
    }
    if (!res.ok || !res.body) {
      onError(await problemOf(res));
      return scheduleRetry();
    }
    const reconnected = wasLive;
    wasLive = true;
    attempt = 0;
    onState('live', { reconnected });
    const parser = createSseParser(
      (event) => {
        lastEventId = event.id;
        try {
          onEvent(event);
        } catch (err) {
          console.error('stream event handler failed', event.type, err);
        }
      },
      (ms) => {
        baseDelay = Math.max(250, ms);
      },
    );
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        armWatchdog();
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch {
      // aborted by the watchdog or stop(), or the network dropped
    }
    scheduleRetry();
  }

  function stop() {
    stopped = true;
    clearTimeout(timer);
    clearTimeout(watchdog);
    controller?.abort();
    onState('stopped', {});
  }

  const handleOnline = () => {
    if (!stopped && attempt > 0) connect();
  };
  window.addEventListener('online', handleOnline);

  connect();
  return {
    stop() {
      window.removeEventListener('online', handleOnline);
      stop();
    },
  };
}
