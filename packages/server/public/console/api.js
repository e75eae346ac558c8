// The console's access to the HTTP API v1 (DESIGN §6): the bearer token and JSON calls.
// The token lives in sessionStorage only (gone when the tab closes) and is sent in the
// Authorization header, never in a URL.

export const API_BASE = '/api/v1';
const TOKEN_KEY = 'sealwatch.token';

/** An API failure, carrying the RFC 9457 problem's `code` and `detail`. */
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail);
    this.status = status;
    this.code = code;
  }
}

let unauthorizedHandler = () => {};
/** Called once per 401 answer: the token was cleared and the user must sign in again. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

/**
 * Takes the token from a `#token=…` fragment (the link printed when the server starts),
 * keeps it in sessionStorage and removes the fragment from the address bar and history.
 */
export function adoptTokenFromFragment() {
  const hash = location.hash.startsWith('#') ? location.hash.slice(1) : '';
  const token = new URLSearchParams(hash).get('token');
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  history.replaceState(history.state, '', location.pathname + location.search);
}

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}
export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}
export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

export function authHeaders(extra = {}) {
  const token = getToken();
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

/** Turns a non-2xx answer into an ApiError, reading problem+json where the server sent it. */
export async function problemOf(res) {
  let code = `http_${res.status}`;
  let detail = `${res.status} ${res.statusText || 'error'}`;
  try {
    const body = await res.json();
    if (body && typeof body === 'object') {
      code = body.code ?? code;
      detail = body.detail ?? body.title ?? detail;
    }
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, code, detail);
}

/** Handles a 401 the same way for every call: forget the token, ask for a new one. */
export function handleUnauthorized() {
  clearToken();
  unauthorizedHandler();
}

/** Calls `path` under /api/v1 with JSON in and out; throws ApiError on failure. */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const headers = authHeaders({ Accept: 'application/json' });
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(API_BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
    });
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'The server cannot be reached.');
  }
  if (res.status === 401) {
    handleUnauthorized();
    throw new ApiError(401, 'unauthorized', 'The token was not accepted. Sign in again.');
  }
  if (!res.ok) throw await problemOf(res);
  if (res.status === 204) return null;
  return res.json();
}

/** All pages of a list endpoint (cursor pagination), stopping after `maxPages`. */
export async function listAll(path, { maxPages = 10 } = {}) {
  const items = [];
  let cursor = null;
  let complete = false;
  for (let page = 0; page < maxPages; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await api(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
    items.push(...(res.items ?? []));
    cursor = res.nextCursor ?? null;
    if (!cursor) {
      complete = true;
      break;
    }
  }
  return { items, complete };
}
