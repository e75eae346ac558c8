/**
 * Signing in and out. A console user signs in with user name and password (and a TOTP code when
 * enrolled): the server sets the HttpOnly `sw_session` cookie, which the browser sends and
 * scripts cannot read. The admin token (from the `npm start` link or typed in) is the other way,
 * for installations without users yet. Who is signed in always comes from GET /api/v1/auth/me.
 */
import { ApiError, problemOf, request } from '../api/client';
import { authHeaders, clearToken, CSRF_COOKIE, getToken, readCookie } from './credentials';
import type { User } from './roles';

export interface SessionState {
  user: User | null;
}

/** Who is signed in (by the bearer token held for this tab, or the session cookie), or nobody. */
export async function loadSession(): Promise<SessionState> {
  // The session's readable CSRF cookie lives exactly as long as the session: without it (and
  // without a token) nobody is signed in, and asking would only earn a 401.
  if (!getToken() && !readCookie(document.cookie, CSRF_COOKIE)) return { user: null };
  let res: globalThis.Response;
  try {
    res = await fetch('/api/v1/auth/me', {
      headers: authHeaders('GET', { Accept: 'application/json' }),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    return { user: null };
  }
  if (res.ok) {
    const user = (await res.json()) as User;
    if (Array.isArray(user?.roles) && Array.isArray(user.permissions)) return { user };
  } else await res.text().catch(() => ''); // read to its end, as at sign-in
  // a token the server no longer accepts is forgotten
  if (res.status === 401 && getToken()) clearToken();
  return { user: null };
}

/**
 * Password sign-in. Fails with an ApiError whose `code` is `invalid_credentials`, `totp_required`
 * (ask for the code and call again with it) or `too_many_attempts`.
 */
export async function login(username: string, password: string, totp?: string): Promise<User> {
  clearToken();
  const res = await fetch('/api/v1/auth/login', {
    method: 'POST',
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(totp ? { username, password, totp } : { username, password }),
  });
  if (!res.ok) throw await problemOf(res);
  // Read the answer to its end: an answer left unread stays an open request (not cached: no-store)
  // until the page goes, and the browser then reports it aborted.
  await res.text();
  const { user } = await loadSession();
  if (!user) throw new ApiError(401, 'unauthorized', 'the session cookie was not kept');
  return user;
}

/** Ends the session on the server (its cookies are cleared) and forgets a held token. */
export async function logout(): Promise<void> {
  const hadToken = !!getToken();
  clearToken();
  if (!hadToken) await request('POST', '/api/v1/auth/logout', undefined).catch(() => undefined);
}
