/**
 * The live feed: GET /api/v1/stream read with fetch() and a stream reader (EventSource cannot send
 * the Authorization header). Reconnects with exponential backoff and jitter, sends Last-Event-ID,
 * and reconnects when the connection goes silent for too long (no event, no keep-alive).
 */
import { problemOf } from '../api/client';
import { authHeaders } from '../auth/credentials';
import { createSseParser, type SseEvent } from './sse-parser';

const MAX_DELAY_MS = 30_000;
const SILENCE_MS = 90_000;

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface StreamHandlers {
  onEvent(e: SseEvent): void;
  onState(state: ConnectionState, info: { reconnected?: boolean; retryAt?: number }): void;
  onUnauthorized(): void;
  onError?(err: Error): void;
}

export function openStream(h: StreamHandlers): { stop(): void } {
  let stopped = false;
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let baseDelay = 1000;
  let lastEventId = '';
  let wasLive = false;

  const armWatchdog = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => controller?.abort(), SILENCE_MS);
  };

  function scheduleRetry() {
    if (stopped) return;
    clearTimeout(watchdog);
    attempt += 1;
    const delay = Math.min(MAX_DELAY_MS, baseDelay * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5);
    h.onState('reconnecting', { retryAt: Date.now() + delay });
    timer = setTimeout(connect, delay);
  }

  async function connect() {
    if (stopped) return;
    clearTimeout(timer);
    h.onState(wasLive || attempt > 0 ? 'reconnecting' : 'connecting', {});
    controller = new AbortController();
    const headers = authHeaders('GET', { Accept: 'text/event-stream' });
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    let res: Response;
    try {
      armWatchdog();
      res = await fetch('/api/v1/stream', { headers, signal: controller.signal, cache: 'no-store', credentials: 'same-origin' });
    } catch {
      return scheduleRetry();
    }
    if (res.status === 401) {
      stop();
      h.onUnauthorized();
      return;
    }
    if (!res.ok || !res.body) {
      h.onError?.(await problemOf(res));
      return scheduleRetry();
    }
    const reconnected = wasLive;
    wasLive = true;
    attempt = 0;
    h.onState('live', { reconnected });
    const parser = createSseParser(
      (event) => {
        lastEventId = event.id;
        try {
          h.onEvent(event);
        } catch (err) {
          console.warn('stream event handler failed', event.type, err);
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
    h.onState('stopped', {});
  }

  const handleOnline = () => {
    if (!stopped && attempt > 0) void connect();
  };
  window.addEventListener('online', handleOnline);
  void connect();
  return {
    stop() {
      window.removeEventListener('online', handleOnline);
      stop();
    },
  };
}
