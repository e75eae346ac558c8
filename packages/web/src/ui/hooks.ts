/** Small React hooks over the console's plain modules: store subscriptions and the hash route. */
import { useEffect, useState } from 'react';
import type { LiveStore, Topic } from '../live/live-store';

/**
 * Re-renders when one of `topics` changes in the store, at most every `minMs` milliseconds:
 * lists do not need to follow 10,000 devices at frame rate.
 */
export function useStore(store: LiveStore, topics: readonly Topic[], minMs = 200): number {
  const [version, setVersion] = useState(store.version);
  const key = topics.join(',');
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const wanted = new Set(key.split(','));
    const flush = () => {
      timer = undefined;
      last = performance.now();
      setVersion(store.version);
    };
    const unsubscribe = store.subscribe((topic) => {
      if (!wanted.has(topic) || timer) return;
      const wait = Math.max(0, minMs - (performance.now() - last));
      timer = setTimeout(flush, wait);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, [store, key, minMs]);
  return version;
}

/** The route from the address fragment: "#/movements/abc" → ["movements", "abc"]. */
export function parseRoute(hash: string): string[] {
  const path = hash.replace(/^#\/?/, '').split('?')[0];
  return path ? path.split('/').map(decodeURIComponent) : [];
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** Re-renders every `ms` (for "4 minutes ago"). */
export function useTick(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}
