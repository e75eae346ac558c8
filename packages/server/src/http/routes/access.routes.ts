/** Sign-in, organisations, users and API tokens. */
import { DomainError, can, organisationKinds, permissions, roles, toTimestamp } from '@sealwatch/core';
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
    body: z.object({ roles: z.array(z.enum(roles)).min(1).optional(), disabled: z.boolean().optional(), password: password.optional() }),
    responses: { 200: { description: 'the user' }, 404: { description: 'unknown_user' } },
    handler: async ({ params, body }) => userOut(await access.updateUser(params.id, body)),
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
      'Enrol or replace your own TOTP second factor, signed in to the console and with your password; the secret and otpauth URI are shown once',
    body: z.object({ password: z.string().min(1).max(256) }),
    responses: {
      200: { description: 'secret and otpauth:// URI' },
      401: { description: 'invalid_credentials (wrong password)' },
      403: { description: 'session_required (an API token)' },
    },
    handler: async ({ principal, body }) => {
      if (!(await access.checkPassword(principal.id, body.password))) throw new DomainError('invalid_credentials', 'wrong password');
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
    body: z.object({
      name: z.string().min(1).max(100),
      scopes: z.array(z.enum(permissions)).optional(),
      expiresInDays: z.number().int().min(1).max(3650).optional(),
      user: z.string().max(64).optional(),
    }),
    responses: {
      201: { description: 'the token (only now) and its record' },
      422: { description: 'invalid_role: a scope beyond the caller or the owner' },
    },
    handler: async ({ body, principal, reply }) => {
      const ownerId =
        body.user && principal.roles.includes('admin') && principal.organisation.kind === 'platform' ? body.user : principal.id;
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

  api.route({
    method: 'GET',
    url: '/api/v1/tokens',
    operationId: 'listTokens',
    tag: 'access',
    auth: 'user',
    summary: 'Your API tokens (administrators: all)',
    responses: { 200: { description: 'items, without the secrets' } },
    handler: async ({ principal }) => ({
      items: (await store.access.listTokens(principal.roles.includes('admin') ? undefined : principal.id)).map(tokenOut),
      nextCursor: null,
    }),
  });

  api.route({
    method: 'DELETE',
    url: '/api/v1/tokens/:id',
    operationId: 'revokeToken',
    tag: 'access',
    auth: 'user',
    summary: 'Revoke one of your API tokens (administrators: any); it and every token made from it stop working at once',
    params: idParams,
    responses: { 204: { description: 'revoked' }, 404: { description: 'unknown token' } },
    handler: async ({ params, principal, reply }) => {
      const mine = (await store.access.listTokens(principal.roles.includes('admin') ? undefined : principal.id)).some(
        (t) => t.id === params.id,
      );
      if (!mine || !(await store.access.revokeToken(params.id, toTimestamp(ctx.now())))) {
        throw new DomainError('unknown_token', `no token ${params.id} of yours`);
      }
      reply.code(204);
      return '';
    },
  });
}
