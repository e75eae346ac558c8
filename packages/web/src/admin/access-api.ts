/**
 * The access API (organisations, users, API tokens) as the console uses it. These routes answer
 * plain JSON without response schemas in the OpenAPI document, so their shapes are written here.
 */
import { request } from '../api/client';

export interface Organisation {
  id: string;
  name: string;
  kind: 'customs' | 'trader' | 'device_provider' | 'auditor' | 'platform';
  country: string | null;
  aeo: boolean;
  createdAt: string;
}

export interface Account {
  id: string;
  username: string;
  name: string;
  organisation: string;
  roles: string[];
  disabled: boolean;
  totp: boolean;
  createdAt: string;
}

export interface ApiTokenRecord {
  id: string;
  user: string;
  name: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

type List<T> = { items: T[] };
const enc = encodeURIComponent;

export const accessApi = {
  organisations: async () => (await request<List<Organisation>>('GET', '/api/v1/organisations')).items,
  createOrganisation: (o: { id: string; name: string; kind: string; country: string | null; aeo: boolean }) =>
    request<Organisation>('POST', '/api/v1/organisations', o),
  users: async () => (await request<List<Account>>('GET', '/api/v1/users')).items,
  createUser: (u: { username: string; name: string; organisation: string; roles: string[]; password: string }) =>
    request<Account>('POST', '/api/v1/users', u),
  updateUser: (id: string, change: { roles?: string[]; disabled?: boolean; password?: string }) =>
    request<Account>('PATCH', `/api/v1/users/${enc(id)}`, change),
  /** Enrols (or replaces) the user's TOTP second factor; the secret is answered only now. */
  enrolTotp: (id: string) => request<{ secret: string; uri: string }>('POST', `/api/v1/users/${enc(id)}/totp`),
  tokens: async () => (await request<List<ApiTokenRecord>>('GET', '/api/v1/tokens')).items,
  /** The token itself is answered only now; the server keeps its hash. */
  createToken: (t: { name: string; scopes: string[]; expiresInDays?: number; user?: string }) =>
    request<ApiTokenRecord & { token: string }>('POST', '/api/v1/tokens', t),
  revokeToken: (id: string) => request<null>('DELETE', `/api/v1/tokens/${enc(id)}`),
};

/** A token's state at `now`: revoked, expired or active. */
export function tokenState(t: ApiTokenRecord, now: number): 'revoked' | 'expired' | 'active' {
  if (t.revokedAt) return 'revoked';
  if (t.expiresAt && Date.parse(t.expiresAt) <= now) return 'expired';
  return 'active';
}
