/**
 * Organisations, users, sign-in and API tokens. Who a request is comes from one of:
 * the installation's admin token, an API token (scoped, expiring, revocable), or a console session
 * cookie (HttpOnly, SameSite=Strict, with a double-submit CSRF value for changes).
 * Only hashes of tokens and session ids are stored; passwords are hashed with scrypt.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  DomainError,
  can,
  permissions as allPermissions,
  rolesByOrganisationKind,
  toTimestamp,
  type OrganisationKind,
  type Permission,
  type Principal,
  type Role,
  type Timestamp,
} from '@sealwatch/core';
import type { AccessStore, ApiToken, Organisation, User } from '../storage/ports';
import type { TokenAuth } from '../http/auth';
import { hashPassword, NO_USER_HASH, verifyPassword } from './passwords';
import { matchTotp, newTotpSecret, totpUri } from './totp';
import type { SecretBox } from '../keys/secret-box';

export const sha256hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** The installation's own organisation: the admin token and platform administrators belong to it. */
export const PLATFORM_ORG = 'platform';

export type LoginResult =
  | { ok: true; user: User; sessionId: string; csrf: string; expiresAt: string }
  | { ok: false; code: 'invalid_credentials' | 'totp_required' | 'too_many_attempts'; retryAfterS?: number };
/** What reauthenticate answers: the same refusals as sign-in. */
export type Reauthentication =
  { ok: true } | { ok: false; code: 'invalid_credentials' | 'totp_required' | 'too_many_attempts'; retryAfterS?: number };

/** How a request proved who it is. */
export type Authenticated = { principal: Principal; via: 'admin_token' | 'api_token' | 'session'; csrf?: string };

const FREE_FAILURES = 5;
/** How many makers up a token's chain are followed; a longer chain is refused (tokens minting tokens without end). */
const MAX_TOKEN_CHAIN = 16;
const MAX_DELAY_MS = 15 * 60_000;
/** Failure counts untouched for a day are forgotten. */
const FORGET_FAILURES_MS = 86_400_000;

/** After five failures in a row each further attempt waits twice as long as the last: 30 s, 1 min, 2 min … at most 15 min. */
export const signInDelayMs = (failures: number) =>
  failures <= FREE_FAILURES ? 0 : Math.min(MAX_DELAY_MS, 30_000 * 2 ** (failures - FREE_FAILURES - 1));

export class AccessService {
  private readonly changeListeners = new Set<() => void>();

  constructor(
    private readonly deps: {
      store: AccessStore;
      adminTokens: TokenAuth;
      now: () => number;
      newId: () => string;
      sessionTtlMs: number;
      /** Seals TOTP secrets at rest (the master key); without it (unit tests) they are stored as they are. */
      box?: SecretBox;
    },
  ) {}

  /**
   * Calls `listener` whenever what a credential may do may have changed in this process (a token
   * revoked, a user's roles changed, a user disabled), so that what holds a connection open under
   * it (EPCIS WebSocket subscriptions) checks it again at once. Returns the function that stops it.
   */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Tells the `onChange` listeners that credentials may have changed. */
  changed(): void {
    for (const l of this.changeListeners) l();
  }

  /** Creates the platform organisation if missing (first start). */
  async bootstrap(): Promise<void> {
    if (await this.deps.store.getOrganisation(PLATFORM_ORG)) return;
    try {
      await this.deps.store.createOrganisation({
        id: PLATFORM_ORG,
        name: 'Platform operator',
        kind: 'platform',
        country: null,
        aeo: false,
        createdAt: toTimestamp(this.deps.now()),
      });
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'organisation_exists')) throw e;
    }
  }

  async principalOf(user: User, scopes?: Permission[]): Promise<Principal> {
    const org = await this.deps.store.getOrganisation(user.organisation);
    return {
      id: user.id,
      name: user.name,
      roles: user.roles,
      organisation: { id: user.organisation, kind: org?.kind ?? 'trader', country: org?.country ?? null },
      ...(scopes ? { scopes } : {}),
    };
  }

  /** Who sent the request, or null. Never throws for bad credentials. */
  async authenticate(headers: { authorization?: string; cookie?: string }): Promise<Authenticated | null> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
    if (bearer) {
      const actor = this.deps.adminTokens.authenticate(headers.authorization);
      if (actor)
        return {
          via: 'admin_token',
          principal: { id: actor, name: actor, roles: ['admin'], organisation: { id: PLATFORM_ORG, kind: 'platform', country: null } },
        };
      const token = await this.deps.store.getTokenByHash(sha256hex(bearer));
      if (!token || !(await this.isLive(token))) return null;
      const user = await this.deps.store.getUser(token.user);
      if (!user || user.disabled) return null;
      return {
        via: 'api_token',
        principal: { ...(await this.principalOf(user, token.scopes)), tokenExpiresAt: token.expiresAt, tokenId: token.id },
      };
    }
    const sid = parseCookies(headers.cookie).sw_session;
    if (!sid) return null;
    const session = await this.deps.store.getSession(sha256hex(sid));
    if (!session || Date.parse(session.expiresAt) <= this.deps.now()) return null;
    const user = await this.deps.store.getUser(session.user);
    if (!user || user.disabled) return null;
    return { via: 'session', principal: await this.principalOf(user), csrf: session.csrf };
  }

  /**
   * A token works while it and every token up its maker chain is neither revoked nor expired.
   * Revocation is also written down the chain (store.revokeToken); checking the chain here covers a
   * child minted in the instant its maker was being revoked.
   */
  private async isLive(token: ApiToken): Promise<boolean> {
    const now = this.deps.now();
    let t: ApiToken = token;
    for (let depth = 0; ; depth++) {
      if (t.revokedAt || (t.expiresAt && Date.parse(t.expiresAt) <= now) || depth > MAX_TOKEN_CHAIN) return false;
      if (!t.maker) return true;
      const maker = await this.deps.store.getToken(t.maker);
      // Tokens are never deleted: a maker that cannot be found is a broken chain, not a root.
      if (!maker) return false;
      t = maker;
    }
  }

  /**
   * Password (and TOTP when enrolled) sign-in from `source` (the client address). Failures are
   * counted per username and source, atomically and before the password is checked, so parallel
   * guesses each see the ones before: after five in a row that pair waits (30 s, then twice as long
   * each time, at most 15 min). Nobody can lock a user out from another address, and an unknown username is delayed
   * exactly like a known one, so the answers do not tell names apart. A TOTP code is accepted once.
   */
  async login(username: string, password: string, totp: string | undefined, source = 'unknown'): Promise<LoginResult> {
    const now = this.deps.now();
    const key = `${username.toLowerCase()}|${source}`;
    await this.pruneFailures(now);
    const attempt = await this.deps.store.takeSignInAttempt(key, now, signInDelayMs);
    if (!attempt.ok) return { ok: false, code: 'too_many_attempts', retryAfterS: Math.max(1, Math.ceil(attempt.retryAfterMs / 1000)) };
    const user = await this.deps.store.getUserByUsername(username);
    // An unknown user costs the same hash as a known one: timing does not reveal usernames.
    const good = await verifyPassword(password, user?.passwordHash ?? NO_USER_HASH);
    if (!user || user.disabled || !good) return { ok: false, code: 'invalid_credentials' };
    if (user.totpSecret) {
      if (!totp) return { ok: false, code: 'totp_required' };
      const step = matchTotp(this.openTotp(user), totp, now);
      // A code already used (seen by a shoulder or a proxy) is as wrong as a bad one.
      if (step === null || !(await this.deps.store.useTotpStep(user.id, step))) return { ok: false, code: 'invalid_credentials' };
    }
    await this.deps.store.clearSignInFailures(key);
    const sessionId = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const expiresAt = toTimestamp(now + this.deps.sessionTtlMs);
    await this.deps.store.createSession({ idHash: sha256hex(sessionId), user: user.id, csrf, createdAt: toTimestamp(now), expiresAt });
    return { ok: true, user, sessionId, csrf, expiresAt };
  }

  private lastPrune = 0;

  private async pruneFailures(now: number): Promise<void> {
    if (now - this.lastPrune < 600_000) return;
    this.lastPrune = now;
    await this.deps.store.pruneSignInFailures(now - FORGET_FAILURES_MS);
  }

  async logout(cookieHeader: string | undefined): Promise<void> {
    const sid = parseCookies(cookieHeader).sw_session;
    if (sid) await this.deps.store.deleteSession(sha256hex(sid));
    this.changed();
  }

  async createOrganisation(input: {
    id: string;
    name: string;
    kind: OrganisationKind;
    country?: string | null;
    aeo?: boolean;
  }): Promise<Organisation> {
    const org: Organisation = {
      id: input.id,
      name: input.name,
      kind: input.kind,
      country: input.country ?? null,
      aeo: input.aeo ?? false,
      createdAt: toTimestamp(this.deps.now()),
    };
    await this.deps.store.createOrganisation(org);
    return org;
  }

  async createUser(input: { username: string; name: string; organisation: string; roles: Role[]; password: string }): Promise<User> {
    const org = await this.deps.store.getOrganisation(input.organisation);
    if (!org) throw new DomainError('unknown_organisation', `no organisation ${input.organisation}`, { field: 'organisation' });
    const allowed = rolesByOrganisationKind[org.kind];
    const bad = input.roles.filter((r) => !allowed.includes(r));
    if (bad.length)
      throw new DomainError(
        'invalid_role',
        `a ${org.kind} organisation cannot give the role(s) ${bad.join(', ')} (allowed: ${allowed.join(', ')})`,
        { allowed },
      );
    const user: User = {
      id: this.deps.newId(),
      username: input.username,
      name: input.name,
      organisation: org.id,
      roles: input.roles,
      passwordHash: await hashPassword(input.password),
      totpSecret: null,
      disabled: false,
      failedLogins: 0,
      lockedUntil: null,
      createdAt: toTimestamp(this.deps.now()),
    };
    await this.deps.store.createUser(user);
    return user;
  }

  /** Roles, disabling and password changes; a new password or disabling ends the user's sessions, a new password also their API tokens. */
  async updateUser(id: string, change: { roles?: Role[]; disabled?: boolean; password?: string }): Promise<User> {
    const user = await this.deps.store.getUser(id);
    if (!user) throw new DomainError('unknown_user', `no user ${id}`);
    const org = await this.deps.store.getOrganisation(user.organisation);
    const allowed = rolesByOrganisationKind[org?.kind ?? 'trader'];
    const bad = (change.roles ?? []).filter((r) => !allowed.includes(r));
    if (bad.length)
      throw new DomainError('invalid_role', `a ${org?.kind} organisation cannot give the role(s) ${bad.join(', ')}`, { allowed });
    const next: User = {
      ...user,
      roles: change.roles ?? user.roles,
      disabled: change.disabled ?? user.disabled,
      passwordHash: change.password ? await hashPassword(change.password) : user.passwordHash,
    };
    await this.deps.store.updateUser(next);
    if (change.password || change.disabled) await this.deps.store.deleteSessionsOf(id);
    // A password reset is how an account is taken back: tokens minted with the old password (by
    // whoever held it) end with it, as sessions do; the user mints new ones for their systems.
    if (change.password) {
      const at = toTimestamp(this.deps.now());
      for (const t of await this.deps.store.listTokens(id)) if (!t.revokedAt) await this.deps.store.revokeToken(t.id, at);
    }
    this.changed();
    return next;
  }

  /**
   * Proof of the person before their own second factor changes: the password, and the current code
   * when a factor is enrolled (else a stolen session and a guessed or phished password would replace
   * it). Counted with sign-in failures per username and source, before the password is checked, so
   * it is no unthrottled password oracle beside the login. A code is accepted once, as at sign-in.
   */
  async reauthenticate(id: string, password: string, totp: string | undefined, source = 'unknown'): Promise<Reauthentication> {
    const now = this.deps.now();
    const user = await this.deps.store.getUser(id);
    if (!user) return { ok: false, code: 'invalid_credentials' };
    const key = `${user.username.toLowerCase()}|${source}`;
    const attempt = await this.deps.store.takeSignInAttempt(key, now, signInDelayMs);
    if (!attempt.ok) return { ok: false, code: 'too_many_attempts', retryAfterS: Math.max(1, Math.ceil(attempt.retryAfterMs / 1000)) };
    if (user.disabled || !(await verifyPassword(password, user.passwordHash))) return { ok: false, code: 'invalid_credentials' };
    if (user.totpSecret) {
      if (!totp) return { ok: false, code: 'totp_required' };
      const step = matchTotp(this.openTotp(user), totp, now);
      if (step === null || !(await this.deps.store.useTotpStep(user.id, step))) return { ok: false, code: 'invalid_credentials' };
    }
    await this.deps.store.clearSignInFailures(key);
    return { ok: true };
  }

  /** True if `password` is the user's (a disabled or unknown user: false, at the same cost). */
  async checkPassword(id: string, password: string): Promise<boolean> {
    const user = await this.deps.store.getUser(id);
    const good = await verifyPassword(password, user?.passwordHash ?? NO_USER_HASH);
    return !!user && !user.disabled && good;
  }

  /**
   * Enrols (or re-enrols) a TOTP second factor: from now on sign-in needs the app's code. The
   * secret is returned once, for the user's authenticator app (as the otpauth URI or a QR code).
   */
  async enrolTotp(id: string): Promise<{ secret: string; uri: string }> {
    const user = await this.deps.store.getUser(id);
    if (!user) throw new DomainError('unknown_user', `no user ${id}`);
    const secret = newTotpSecret();
    await this.deps.store.updateUser({ ...user, totpSecret: this.sealTotp(user.id, secret) });
    return { secret, uri: totpUri(secret, user.username) };
  }

  /**
   * Seals every TOTP secret stored in clear (before sealing existed) or under an older master key;
   * returns how many. Run at start and by `sealwatch keys rotate-master`.
   */
  async resealTotpSecrets(): Promise<number> {
    return this.deps.box ? resealTotpSecrets(this.deps.store, this.deps.box) : 0;
  }

  private sealTotp(user: string, secret: string): string {
    return this.deps.box ? sealTotp(this.deps.box, user, secret) : secret;
  }

  private openTotp(user: User): string {
    return this.deps.box ? openTotp(this.deps.box, user) : user.totpSecret!;
  }

  /**
   * An API token for a system acting as `owner`, made by `maker` (the owner themself, or an
   * administrator). A token is never wider than what made it: its scopes must be among what the
   * owner may do and what the maker may do (a token's own scopes when a token makes it), and they
   * default to the maker's, not to everything the owner may do. Returned once; only its hash is stored.
   */
  async createToken(
    maker: Principal,
    owner: User,
    input: { name: string; scopes?: Permission[]; expiresInDays?: number },
  ): Promise<{ token: string; record: ApiToken }> {
    const principal = await this.principalOf(owner);
    const both = (p: Permission) => can(principal, p) && can(maker, p);
    const scopes = input.scopes ?? allPermissions.filter(both);
    const beyond = scopes.filter((s) => !both(s));
    if (beyond.length) {
      throw new DomainError(
        'invalid_role',
        `neither a token nor its maker may grant more than they hold: ${beyond.join(', ')} is beyond the ${can(principal, beyond[0]) ? 'maker' : 'owner'}`,
        { beyond },
      );
    }
    const token = `swt_${randomBytes(32).toString('base64url')}`;
    const now = this.deps.now();
    const record: ApiToken = {
      id: this.deps.newId(),
      hash: sha256hex(token),
      user: owner.id,
      name: input.name,
      scopes,
      createdAt: toTimestamp(now),
      expiresAt: childExpiry(now, input.expiresInDays, maker.tokenExpiresAt),
      revokedAt: null,
      maker: maker.tokenId ?? null,
    };
    await this.deps.store.createToken(record);
    return { token, record };
  }
}

/**
 * A token made by a token lives no longer than its maker: a stolen one-day token must not become
 * permanent access. Epoch ms `now`; null means no expiry.
 */
function childExpiry(now: number, days: number | undefined, makerExpiresAt: string | null | undefined): Timestamp | null {
  const requested = days ? now + days * 86_400_000 : null;
  const cap = makerExpiresAt ? Date.parse(makerExpiresAt) : null;
  const at = cap === null ? requested : requested === null ? cap : Math.min(requested, cap);
  return at === null ? null : toTimestamp(at);
}

const sealTotp = (box: SecretBox, user: string, secret: string) => box.seal(Buffer.from(secret, 'utf8'), `totp:${user}`);

/** A user's base32 TOTP secret; one stored in clear (base32 has no dot) is used as it is until resealed. */
function openTotp(box: SecretBox, user: User): string {
  const stored = user.totpSecret!;
  return stored.startsWith('sw1.') ? box.open(stored, `totp:${user.id}`).toString('utf8') : stored;
}

/** Seals every TOTP secret stored in clear or under an older master key; returns how many. */
export async function resealTotpSecrets(store: AccessStore, box: SecretBox): Promise<number> {
  let n = 0;
  for (const user of await store.listUsers()) {
    if (!user.totpSecret || box.isCurrent(user.totpSecret)) continue;
    await store.updateUser({ ...user, totpSecret: sealTotp(box, user.id, openTotp(box, user)) });
    n += 1;
  }
  return n;
}

/** `a=1; b=2` → {a: '1', b: '2'} (first occurrence wins); a value that is not valid percent-encoding is kept as sent. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (k && !(k in out)) out[k] = decodeCookieValue(part.slice(i + 1).trim());
  }
  return out;
}

function decodeCookieValue(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
