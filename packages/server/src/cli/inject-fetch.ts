/**
 * A fetch-like function over Fastify's in-process injection: the demo fleet talks to the real
 * API (same routes, schemas and auth) without a network hop or a port.
 */
import type { FastifyInstance } from 'fastify';

export function injectFetch(app: FastifyInstance) {
  return async (url: string, init: { method: string; headers?: Record<string, string>; body?: string }) => {
    const r = await app.inject({
      method: init.method as 'GET',
      url: new URL(url, 'http://in-process').pathname + new URL(url, 'http://in-process').search,
      headers: init.headers,
      payload: init.body,
    });
    return { status: r.statusCode, json: async () => r.json() };
  };
}
