/**
 * Signing in and out. The user API (`/api/v1/auth/*`) is used when the server has it; a server
 * without it answers 404, and the console falls back to the admin token sign-in.
 */
import { request } from '../api/client';
import { authHeaders, clearToken, getToken } from './credentials';
import { TOKEN_USER, type User } from './roles';

export interface SessionState {
  user: User | null;
  /** True when the server offers username/password sign-in. */
  loginAvailable: boolean;
}

async function probe(url: string): Promise<globalThis.Response | null> {
  try {
    return await fetch(url, { headers: authHeaders('GET', { Accept: 'application/json' }), credentials: 'same-origin', cache: 'no-store' });
  } catch {
    return null;
  }
}

/** Who is signed in: the bearer token's admin, the cookie session's user, or nobody. */
export async function loadSession(): Promise<SessionState> {
  if (getToken()) {
    // The admin token (from the `npm start` link) is checked against a cheap list call.
    const check = await probe('/api/v1/offices?limit=1');
    if (check?.ok) return { user: TOKEN_USER, loginAvailable: false };
    clearToken();
  }
  const me = await probe('/api/v1/auth/me');
  const loginAvailable = !!me && me.status !== 404 && me.status !== 405;
  if (me?.ok) {
    const body = (await me.json()) as { user?: User } & Partial<User>;
    const user = body.user ?? (body as User);
    if (user?.roles) return { user, loginAvailable };
  }
  return { user: null, loginAvailable };
}

export async function login(username: string, password: string): Promise<User> {
  const res = await request<{ user: User }>('POST', '/api/v1/auth/login', { username, password });
  return res.user;
}

export async function logout(): Promise<void> {
  const hadToken = !!getToken();
  clearToken();
  if (!hadToken) await request('POST', '/api/v1/auth/logout', {}).catch(() => undefined);
}
