/**
 * Rate limits (hardening): token buckets per client IP on the management API, stricter on
 * sign-in, and per device on native ingest. Over the limit is 429 `rate_limited` with Retry-After.
 * Own buckets rather than @fastify/rate-limit: the device limit is charged after the signature is
 * checked (below), which a per-request plugin cannot do.
 */
import type { FastifyInstance } from 'fastify';
import type { Api } from './route';

/** A request over its limit; the error handler answers 429 with Retry-After. */
export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterS: number,
    what: string,
  ) {
    super(`too many requests ${what}; retry after ${retryAfterS} s`);
    this.name = 'RateLimitedError';
  }
}

/**
 * Token buckets by key: `perMinute` tokens a minute, up to `burst`. A key may be charged into debt
 * (charge), so a batch already admitted is never cut midway and its cost is paid afterwards.
 * At most `maxKeys` keys are kept; the least recently used go first (a full bucket is the same as none).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly ratePerMs: number;

  /** `burstOf` sizes one key's bucket (default: `burst` for every key). */
  constructor(
    private readonly o: { perMinute: number; burst: number; now: () => number; maxKeys?: number; burstOf?: (key: string) => number },
  ) {
    this.ratePerMs = o.perMinute / 60_000;
  }

  private refill(key: string): { tokens: number; at: number } {
    const now = this.o.now();
    const burst = this.o.burstOf?.(key) ?? this.o.burst;
    const b = this.buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + (now - b.at) * this.ratePerMs);
    b.at = now;
    this.buckets.delete(key); // re-inserted last: the map's order is least recently used first
    this.buckets.set(key, b);
    if (this.buckets.size > (this.o.maxKeys ?? 100_000)) this.buckets.delete(this.buckets.keys().next().value!);
    return b;
  }

  /** Seconds until `key` holds a whole token; 0 when it holds one now. */
  wait(key: string): number {
    const b = this.refill(key);
    return b.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - b.tokens) / this.ratePerMs / 1000));
  }

  /** Takes one token if there is one: 0; else the seconds to wait (nothing taken). */
  take(key: string): number {
    const w = this.wait(key);
    if (w === 0) this.buckets.get(key)!.tokens -= 1;
    return w;
  }

  /** Takes `n` tokens, into debt if need be. */
  charge(key: string, n: number): void {
    this.refill(key).tokens -= n;
  }
}

export interface ApiRateLimits {
  /** Requests per minute per client IP on the management API; 0: no limit. */
  apiPerMin: number;
  /** Sign-in attempts per minute per client IP; 0: no limit. */
  loginPerMin: number;
}

const LOGIN = 'POST /api/v1/auth/login';

/**
 * Limits the management API per client IP: every route of `api` that a person or system calls
 * (`user`, `admin`, `public`), not device ingest or device integrations (`signature`,
 * `integration`), whose senders share addresses behind carrier NAT and are limited per device.
 * The client IP is the socket's (trustProxy is off): behind a reverse proxy raise or turn off the limit.
 */
export function installApiRateLimit(app: FastifyInstance, api: Api, limits: ApiRateLimits, now: () => number = Date.now): void {
  const perIp = limits.apiPerMin > 0 ? new TokenBuckets({ perMinute: limits.apiPerMin, burst: limits.apiPerMin, now }) : null;
  const login = limits.loginPerMin > 0 ? new TokenBuckets({ perMinute: limits.loginPerMin, burst: limits.loginPerMin, now }) : null;
  let managed: Set<string> | null = null;
  app.addHook('onRequest', async (req) => {
    managed ??= new Set(
      api.specs.filter((s) => s.auth === 'user' || s.auth === 'admin' || s.auth === 'public').map((s) => `${s.method} ${s.url}`),
    );
    const route = `${req.method} ${req.routeOptions.url}`;
    if (!managed.has(route)) return;
    const loginWait = route === LOGIN ? (login?.take(req.ip) ?? 0) : 0;
    if (loginWait > 0) throw new RateLimitedError(loginWait, 'signing in from this address');
    const wait = perIp?.take(req.ip) ?? 0;
    if (wait > 0) throw new RateLimitedError(wait, 'from this address');
  });
}
