/** Sign-in, organisations, users and API tokens. */
import { DomainError, can, organisationKinds, permissions, roles, toTimestamp, type Principal } from '@sealwatch/core';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app-context';
import type { ApiToken, User } from '../../storage/ports';
import type { Api } from '../route';
import { idParams } from '../schemas';
import { problem } from '../problem';

const userOut = (u: User) => ({
  id: u.id,
  username: u.username,
  name: u.name,
  organisation: u.organisation,
  roles: u.roles,
  disabled: u.disabled,
  totp: !!u.totpSecret,
  createdAt: u.createdAt,
});
const tokenOut = (t: ApiToken) => ({
  id: t.id,
  user: t.user,
  name: t.name,
  scopes: t.scopes,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  revokedAt: t.revokedAt,
  maker: t.maker,
});
const password = z.string().min(12, 'at least 12 characters').max(256);

export function accessRoutes(api: Api, ctx: AppContext): void {
  const { access, store, config } = ctx;
  // Secure whenever the request came over TLS, and always where the operator says a proxy terminates it.
  const cookie = (request: FastifyRequest, name: string, value: string, maxAgeS: number, httpOnly: boolean) =>
    `${name}=${value}; Path=/; Max-Age=${maxAgeS}; SameSite=Strict${httpOnly ? '; HttpOnly' : ''}${config.http.cookieSecure || request.protocol === 'https' ? '; Secure' : ''}`;

  api.route({
    method: 'POST',
    url: '/api/v1/auth/login',
    operationId: 'login',
    tag: 'access',
    auth: 'public',
    summary:
      'Sign in to the console: sets the HttpOnly session cookie sw_session and the CSRF cookie sw_csrf (send its value as X-Sealwatch-CSRF on changes)',
    body: z.object({
      username: z.string().min(1).max(128),
      password: z.string().min(1).max(256),
      totp: z
        .string()
        .regex(/^\d{6}$/)
        .optional(),
    }),
    responses: {
      200: { description: 'the signed-in user' },
      401: { description: 'invalid_credentials or totp_required' },
      429: { description: 'too_many_attempts from this address for this username (Retry-After)' },
    },
    handler: async ({ body, request, reply }) => {
      const r = await access.login(body.username, body.password, body.totp, request.ip);
      if (!r.ok) {
        if (r.code === 'too_many_attempts') reply.header('retry-after', String(r.retryAfterS));
        const status = r.code === 'too_many_attempts' ? 429 : 401;
        const detail = {
          invalid_credentials: 'wrong username, password or code',
          totp_required: 'enter the code of your authenticator app',
          too_many_attempts: `too many failed attempts; retry in ${r.retryAfterS} s`,
        }[r.code];
        return reply
          .code(status)
          .type('application/problem+json')
          .send({ type: 'about:blank', title: detail, status, code: r.code, detail });
      }
      reply.header('cache-control', 'no-store');
      const ttl = Math.floor(config.http.sessionTtlMs / 1000);
      reply.header('set-cookie', [cookie(request, 'sw_session', r.sessionId, ttl, true), cookie(request, 'sw_csrf', r.csrf, ttl, false)]);
      return { user: userOut(r.user), expiresAt: r.expiresAt, principal: await access.principalOf(r.user) };
    },
  });

  api.route({
    method: 'POST',
    url: '/api/v1/auth/logout',
    operationId: 'logout',
    tag: 'access',
    auth: 'public',
    summary:
      'Sign out: the session ends on the server and its cookies are cleared; a console session repeats its CSRF value (X-Sealwatch-CSRF) like any change',
    responses: { 204: { description: 'signed out' }, 403: { description: 'csrf_failed: a session cookie without its CSRF value' } },
    handler: async ({ request, reply }) => {
      // Public (an expired session may still clear its cookies), but ending a live session is a
      // change like any other: another site must not sign a user out behind their back.
      const who = await access.authenticate({ cookie: request.headers.cookie });
      if (who?.via === 'session' && request.headers['x-sealwatch-csrf'] !== who.csrf) {
        return reply
          .code(403)
          .type('application/problem+json')
          .send(problem(403, 'csrf_failed', 'the X-Sealwatch-CSRF header must carry the sw_csrf cookie value'));
      }
      await access.logout(request.headers.cookie);
      reply.header('set-cookie', [cookie(request, 'sw_session', '', 0, true), cookie(request, 'sw_csrf', '', 0, false)]);
      reply.code(204);
      return '';
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/auth/me',
    operationId: 'me',
    tag: 'access',
    auth: 'user',
    summary: 'Who the caller is: roles, organisation and what they may do',
    responses: { 200: { description: 'the principal and its permissions' }, 401: { description: 'not signed in' } },
    handler: async ({ principal }) => ({ ...principal, permissions: permissions.filter((p) => can(principal, p)) }),
  });

  api.route({
    method: 'POST',
    url: '/api/v1/organisations',
    operationId: 'createOrganisation',
    tag: 'access',
    auth: 'admin',
    summary: 'Register an organisation: customs administration (with its country), trader, device provider or auditor',
    body: z.object({
      id: z.string().regex(/^[\w.-]{1,64}$/),
      name: z.string().min(1).max(200),
      kind: z.enum(organisationKinds),
      country: z
        .string()
        .regex(/^[A-Z]{2}$/)
        .nullable()
        .optional(),
      aeo: z.boolean().optional(),
    }),
    responses: { 201: { description: 'created' }, 409: { description: 'organisation_exists' } },
    handler: async ({ body, reply }) => {
      const org = await access.createOrganisation(body);
      reply.code(201);
      return org;
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/organisations',
    operationId: 'listOrganisations',
    tag: 'access',
    auth: 'admin',
    summary: 'Every organisation',
    responses: { 200: { description: 'items' } },
    handler: async () => ({ items: await store.access.listOrganisations(), nextCursor: null }),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/traders',
    operationId: 'listTraders',
    tag: 'access',
    auth: 'user',
    permission: 'movements.write',
    summary: 'The trader organisations a movement can be declared for (id, name, AEO status), by name',
    responses: {
      200: {
        description: 'Traders',
        schema: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), aeo: z.boolean() })), nextCursor: z.null() }),
      },
    },
    handler: async () => ({
      items: (await store.access.listOrganisations())
        .filter((o) => o.kind === 'trader')
        .map((o) => ({ id: o.id, name: o.name, aeo: !!o.aeo }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      nextCursor: null,
    }),
  });

  api.route({
    method: 'POST',
    url: '/api/v1/users',
    operationId: 'createUser',
    tag: 'access',
    auth: 'admin',
    summary: "Create a user in an organisation with roles the organisation's kind allows",
    body: z.object({
      username: z.string().regex(/^[\w.@-]{3,64}$/),
      name: z.string().min(1).max(200),
      organisation: z.string().min(1).max(64),
      roles: z.array(z.enum(roles)).min(1),
      password,
    }),
    responses: {
      201: { description: 'created (the password is never returned)' },
      409: { description: 'user_exists' },
      422: { description: 'invalid_role, unknown_organisation' },
    },
    handler: async ({ body, reply }) => {
      const user = await access.createUser(body);
      reply.code(201);
      return userOut(user);
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/users',
    operationId: 'listUsers',
    tag: 'access',
    auth: 'admin',
    summary: 'Users, optionally of one organisation',
    query: z.object({ organisation: z.string().max(64).optional() }),
    responses: { 200: { description: 'items' } },
    handler: async ({ query }) => ({ items: (await store.access.listUsers(query.organisation)).map(userOut), nextCursor: null }),
  });

  api.route({
    method: 'PATCH',
    url: '/api/v1/users/:id',
    operationId: 'updateUser',
    tag: 'access',
    auth: 'admin',
    summary: "Change roles, disable or enable, set a new password (ends the user's sessions)",
    params: idParams,
    // Unknown members (a user's organisation or name never change) are refused by name, not stripped.
    body: z
      .object({ roles: z.array(z.enum(roles)).min(1).optional(), disabled: z.boolean().optional(), password: password.optional() })
      .passthrough(),
    responses: {
      200: { description: 'the user' },
      404: { description: 'unknown_user' },
      422: { description: 'field_not_allowed: a member the endpoint does not know (details.fields names them)' },
    },
    handler: async ({ params, body }) => {
      assertKnownMembers(body, ['roles', 'disabled', 'password']);
      return userOut(await access.updateUser(params.id, body));
    },
  });

  api.route({
    method: 'POST',
    url: '/api/v1/users/:id/totp',
    operationId: 'enrolUserTotp',
    tag: 'access',
    auth: 'admin',
    noApiTokens: true,
    summary: "Enrol or replace a user's TOTP second factor (RFC 6238); the secret and otpauth URI are shown once. Not with an API token",
    params: idParams,
    responses: { 200: { description: 'secret and otpauth:// URI' }, 404: { description: 'unknown_user' } },
    handler: async ({ params }) => access.enrolTotp(params.id),
  });

  api.route({
    method: 'POST',
    url: '/api/v1/auth/totp',
    operationId: 'enrolOwnTotp',
    tag: 'access',
    auth: 'user',
    noApiTokens: true,
    summary:
      'Enrol or replace your own TOTP second factor, signed in to the console, with your password and, to replace an enrolled factor, its current code (`totp`); failures are delayed like sign-in; the secret and otpauth URI are shown once',
    body: z.object({
      password: z.string().min(1).max(256),
      totp: z
        .string()
        .regex(/^\d{6}$/)
        .optional(),
    }),
    responses: {
      200: { description: 'secret and otpauth:// URI' },
      401: { description: 'invalid_credentials (wrong password or code), totp_required (a factor is enrolled: its current code)' },
      403: { description: 'session_required (an API token)' },
      429: { description: 'too_many_attempts for this user from this address (Retry-After), counted with sign-in failures' },
    },
    handler: async ({ principal, body, request, reply }) => {
      const r = await access.reauthenticate(principal.id, body.password, body.totp, request.ip);
      if (!r.ok) {
        if (r.code === 'too_many_attempts') reply.header('retry-after', String(r.retryAfterS));
        const detail = {
          invalid_credentials: 'wrong password or code',
          totp_required: 'enter the current code of your authenticator app to replace it',
          too_many_attempts: `too many failed attempts; retry in ${r.retryAfterS} s`,
        }[r.code];
        const status = r.code === 'too_many_attempts' ? 429 : 401;
        return reply
          .code(status)
          .type('application/problem+json')
          .send(problem(status, r.code, detail));
      }
      return access.enrolTotp(principal.id);
    },
  });

  api.route({
    method: 'POST',
    url: '/api/v1/tokens',
    operationId: 'createToken',
    tag: 'access',
    auth: 'user',
    permission: 'tokens.create',
    summary:
      'An API token for a system acting as you (or, for an administrator, as `user`): scoped (by default as the caller, never wider), optionally expiring; shown once',
    body: z
      .object({
        name: z.string().min(1).max(100),
        scopes: z.array(z.enum(permissions)).optional(),
        expiresInDays: z.number().int().min(1).max(3650).optional(),
        user: z.string().max(64).optional(),
      })
      // Unknown members are refused below by name (422), not stripped: a caller must not believe
      // a member it sent was applied.
      .passthrough(),
    responses: {
      201: { description: 'the token (only now) and its record' },
      422: {
        description:
          "invalid_role: a scope beyond the caller or the owner; field_not_allowed: a member the endpoint does not know, or `user` from anyone but the platform's administrators (details.fields names them)",
      },
    },
    handler: async ({ body, principal, reply }) => {
      const forOthers = principal.roles.includes('admin') && principal.organisation.kind === 'platform';
      assertKnownMembers(body, ['name', 'scopes', 'expiresInDays', ...(forOthers ? ['user'] : [])], (refused) =>
        refused.includes('user') ? " (only the platform's administrators make tokens for another user)" : '',
      );
      const ownerId = body.user && forOthers ? body.user : principal.id;
      const owner = await store.access.getUser(ownerId);
      if (!owner)
        throw new DomainError('unknown_user', `no user ${ownerId}: tokens belong to users (create one for the system that will use it)`, {
          field: 'user',
        });
      const { token, record } = await access.createToken(principal, owner, body);
      reply.code(201);
      return { token, ...tokenOut(record) };
    },
  });

  /**
   * The tokens a caller may see and revoke. The platform's administrators: every token; an
   * administration's (or other organisation's) administrator: its own organisation's users';
   * anyone else: their own. Through an API token, of those only the token itself and tokens no
   * wider than it (every scope among its own) outside its maker chain: a token never manages a
   * wider token, nor the tokens it was made from.
   */
  const tokensInScope = async (principal: Principal): Promise<ApiToken[]> => {
    const manages = principal.roles.includes('admin') && can(principal, 'users.manage');
    let items: ApiToken[];
    if (manages && principal.organisation.kind === 'platform') items = await store.access.listTokens();
    else if (manages) {
      const members = new Set((await store.access.listUsers(principal.organisation.id)).map((u) => u.id));
      items = (await store.access.listTokens()).filter((t) => members.has(t.user));
    } else items = await store.access.listTokens(principal.id);
    const acting = principal.tokenId;
    if (!acting) return items;
    const makers = new Set<string>();
    for (let at = await store.access.getToken(acting), depth = 0; at?.maker && depth < 64; depth++) {
      makers.add(at.maker);
      at = await store.access.getToken(at.maker);
    }
    const within = (t: ApiToken) => t.scopes.every((s) => principal.scopes?.includes(s) ?? true);
    return items.filter((t) => t.id === acting || (!makers.has(t.id) && within(t)));
  };

  api.route({
    method: 'GET',
    url: '/api/v1/tokens',
    operationId: 'listTokens',
    tag: 'access',
    auth: 'user',
    summary:
      "API tokens, without their secrets: your own; an organisation's administrator its organisation's users'; the platform's administrators all. Through an API token, of those: itself and the tokens no wider than it, except those it was made from",
    responses: { 200: { description: 'items, without the secrets' } },
    handler: async ({ principal }) => ({ items: (await tokensInScope(principal)).map(tokenOut), nextCursor: null }),
  });

  api.route({
    method: 'DELETE',
    url: '/api/v1/tokens/:id',
    operationId: 'revokeToken',
    tag: 'access',
    auth: 'user',
    permission: 'tokens.create',
    summary:
      "Revoke an API token you may see (GET /tokens): your own, an organisation's administrator its users', the platform's any; through an API token never a wider one nor one it was made from. It and every token made from it stop working at once",
    params: idParams,
    responses: {
      204: { description: 'revoked' },
      403: { description: 'forbidden: the caller (or its token) lacks tokens.create' },
      404: { description: 'unknown_token: no such token in your scope' },
    },
    handler: async ({ params, principal, reply }) => {
      const visible = (await tokensInScope(principal)).some((t) => t.id === params.id);
      if (!visible || !(await store.access.revokeToken(params.id, toTimestamp(ctx.now())))) {
        throw new DomainError('unknown_token', `no token ${params.id} of yours`);
      }
      ctx.access.changed();
      reply.code(204);
      return '';
    },
  });
}

/**
 * A member the endpoint does not apply is refused by name (422 field_not_allowed), never stripped:
 * a caller must not believe a member it sent was applied.
 */
function assertKnownMembers(body: object, known: string[], hint: (refused: string[]) => string = () => ''): void {
  const refused = Object.keys(body).filter((k) => !known.includes(k));
  if (refused.length)
    throw new DomainError('field_not_allowed', `not allowed here: ${refused.join(', ')}${hint(refused)}`, { fields: refused });
}
