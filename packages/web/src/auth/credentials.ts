/**
 * How the console proves who it is. A signed-in user's browser holds the HttpOnly session cookie
 * (no token in storage) and the console echoes the readable `sw_csrf` cookie in
 * `X-Sealwatch-CSRF` on every non-GET call. For the link `npm start` prints, and on installations
 * without users yet, the admin token from the URL fragment `#token=…` (or typed in) is kept in
 * sessionStorage (gone with the tab) and sent as a bearer token.
 */
const TOKEN_KEY = 'sealwatch.token';
export const CSRF_COOKIE = 'sw_csrf';
export const CSRF_HEADER = 'X-Sealwatch-CSRF';

/** Takes `token` out of a `#token=…` fragment: returns it and the fragment without it. */
export function splitTokenFragment(hash: string): { token: string | null; rest: string } {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!raw.startsWith('token=') && !raw.includes('&token=')) return { token: null, rest: hash };
  const params = new URLSearchParams(raw);
  const token = params.get('token');
  params.delete('token');
  const rest = params.toString();
  return { token: token || null, rest: rest ? `#${rest}` : '' };
}

/** Keeps a `#token=` from the address bar and removes it from the address and history. */
export function adoptTokenFromFragment(): void {
  const { token, rest } = splitTokenFragment(location.hash);
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  history.replaceState(history.state, '', location.pathname + location.search + (rest || '#/'));
}

export function getToken(): string | null {
  return typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(TOKEN_KEY);
}
export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}
export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** The value of a cookie in a `document.cookie` string, or null. */
export function readCookie(cookies: string, name: string): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** Headers for a call: the bearer token if one is held, else the CSRF echo on state-changing calls. */
export function authHeaders(method: string, extra: Record<string, string> = {}): Record<string, string> {
  const headers = { ...extra };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (method !== 'GET' && method !== 'HEAD' && typeof document !== 'undefined') {
    const csrf = readCookie(document.cookie, CSRF_COOKIE);
    if (csrf) headers[CSRF_HEADER] = csrf;
  }
  return headers;
}
