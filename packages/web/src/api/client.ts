/**
 * A thin typed wrapper over fetch for API v1, typed by the generated `schema.ts` (paths and
 * operations of /api/v1/openapi.json). Authentication is either the session cookie (sent by the
 * browser; every non-GET call then carries the CSRF header) or, until users exist, the admin
 * bearer token taken from the `#token=` link.
 */
import type { paths } from './schema';
import { authHeaders } from '../auth/credentials';

/** An API failure carrying the RFC 9457 problem's stable `code` and human `detail`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    /** The problem's `details` (e.g. `field`, or a `reason` the console words in its language), when it has them. */
    readonly details: Record<string, unknown> = {},
    /** A refused request's schema complaints (400 validation_failed), each with its `path` (e.g. `body.title`). */
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(detail);
  }
}

type Method = 'get' | 'post';
type OperationOf<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type ContentOf<R> = R extends { content: infer C } ? C[keyof C] : unknown;
type Success<O> = O extends { responses: infer R }
  ? 200 extends keyof R
    ? ContentOf<R[200]>
    : 201 extends keyof R
      ? ContentOf<R[201]>
      : unknown
  : never;
type BodyOf<O> = O extends { requestBody?: infer B } ? (B extends { content: { 'application/json': infer J } } ? J : never) : never;
type PathParamsOf<O> = O extends { parameters: { path: infer P } } ? (P extends Record<string, unknown> ? P : never) : never;
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? Q : never;

export type PathsWith<M extends Method> = { [P in keyof paths]: paths[P][M] extends undefined | never ? never : P }[keyof paths];
export type Response<P extends keyof paths, M extends Method> = Success<OperationOf<P, M>>;

export interface CallOptions<P extends keyof paths, M extends Method> {
  path?: PathParamsOf<OperationOf<P, M>>;
  query?: QueryOf<OperationOf<P, M>>;
  body?: BodyOf<OperationOf<P, M>>;
  signal?: AbortSignal;
}

let onUnauthorized: () => void = () => {};
/** Called on any 401 answer: the session ended, the user must sign in again. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/** Fills `{name}` placeholders and appends the query string (undefined values left out). */
export function buildUrl(template: string, path: Record<string, unknown> = {}, query: Record<string, unknown> = {}): string {
  const url = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(path[name])));
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const qs = search.toString();
  return qs ? `${url}?${qs}` : url;
}

/** Turns a non-2xx answer into an ApiError, reading problem+json where the server sent one. */
export async function problemOf(res: globalThis.Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let detail = `${res.status} ${res.statusText || 'error'}`;
  let details: Record<string, unknown> = {};
  let errors: { path: string; message: string }[] = [];
  try {
    const body = (await res.json()) as {
      code?: string;
      detail?: string;
      title?: string;
      details?: Record<string, unknown>;
      errors?: { path: string; message: string }[];
    };
    code = body.code ?? code;
    detail = body.detail ?? body.title ?? detail;
    details = body.details ?? {};
    errors = Array.isArray(body.errors) ? body.errors : [];
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, code, detail, details, errors);
}

/** Any call: `method` and `url` as given; JSON in and out. Used by the typed helpers below and for routes not in the document yet (auth). */
export async function request<T>(method: string, url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = authHeaders(method, { Accept: 'application/json' });
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: globalThis.Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
      credentials: 'same-origin',
    });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'The server cannot be reached.');
  }
  if (res.status === 401) {
    onUnauthorized();
    throw await problemOf(res);
  }
  if (!res.ok) throw await problemOf(res);
  if (res.status === 204) return null as T;
  return (await res.json()) as T;
}

/** GET a path of the API document. */
export function get<P extends PathsWith<'get'>>(path: P, options: CallOptions<P, 'get'> = {}): Promise<Response<P, 'get'>> {
  return request(
    'GET',
    buildUrl(path, options.path as unknown as Record<string, unknown>, options.query as unknown as Record<string, unknown>),
    undefined,
    options.signal,
  );
}

/** POST to a path of the API document. */
export function post<P extends PathsWith<'post'>>(path: P, options: CallOptions<P, 'post'> = {}): Promise<Response<P, 'post'>> {
  return request(
    'POST',
    buildUrl(path, options.path as unknown as Record<string, unknown>, options.query as unknown as Record<string, unknown>),
    options.body ?? {},
    options.signal,
  );
}

/** Every page of a cursor-paginated list, at most `maxPages` pages. */
export async function listAll<T>(
  load: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  maxPages = 20,
): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const res = await load(cursor);
    items.push(...res.items);
    if (!res.nextCursor) return { items, complete: true };
    cursor = res.nextCursor;
  }
  return { items, complete: false };
}
