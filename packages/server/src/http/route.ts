/**
 * One place to declare an API route: its schemas validate the request (zod) and feed the
 * OpenAPI 3.1 document, so the docs cannot drift from what the server enforces.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z, type ZodType } from 'zod';
import { problem } from './problem';
import { can, type Permission, type Principal } from '@sealwatch/core';
import type { Authenticated } from '../access/access.service';
import { actionEntry } from '../audit/audit-entries';
import type { AuditTrail } from '../audit/audit-trail';

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  actor: string;
  /** Who is calling (`user`/`admin` routes); a device or integration pseudo-principal otherwise. */
  principal: Principal;
  /** How a `user`/`admin` caller proved who it is; absent for device, integration and public routes. */
  via?: Authenticated['via'];
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec<B, Q, P> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify path syntax, e.g. /api/v1/movements/:id/start */
  url: string;
  operationId: string;
  summary: string;
  tag: string;
  /**
   * `user`: a signed-in user, API token or the admin token, holding `permission`; `admin`: only
   * administrators; `signature`: the body carries its own proof (device ingest); `integration`:
   * a device integration's token; `public`: anyone.
   */
  auth: 'user' | 'admin' | 'signature' | 'public' | 'integration';
  /** What the caller must be allowed to do (`user` routes; absent: any signed-in caller); data scope is the handler's job. */
  permission?: Permission;
  /**
   * `user`/`admin` routes that an API token may not call (403 session_required): a second factor is
   * enrolled or replaced only by a person signed in with the password (or the installation token).
   */
  noApiTokens?: boolean;
  /** `integration` only (device integrations): the actor of the request's integration token, or null for 401. */
  authenticate?: (request: FastifyRequest) => Promise<string | null>;
  body?: ZodType<B>;
  bodyContentTypes?: string[];
  query?: ZodType<Q>;
  params?: ZodType<P>;
  responses: Record<number, { description: string; schema?: ZodType; contentType?: string }>;
  bodyLimit?: number;
  handler: (input: RouteInput<B, Q, P>) => Promise<unknown>;
}

type AnySpec = RouteSpec<any, any, any>;

function fail(reply: FastifyReply, where: string, error: z.ZodError) {
  const errors = error.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: i.message }));
  return reply
    .code(400)
    .type('application/problem+json')
    .send(problem(400, 'validation_failed', `${errors[0].path}: ${errors[0].message}`, { errors }));
}

export class Api {
  readonly specs: AnySpec[] = [];

  constructor(
    private readonly app: FastifyInstance,
    private readonly authenticate: (headers: { authorization?: string; cookie?: string }) => Promise<Authenticated | null>,
    private readonly audit: AuditTrail | null,
    /** The injected clock and ids, for the audit entries of API changes. */
    private readonly clock: { now: () => number; newId: () => string },
  ) {}

  route<B = unknown, Q = unknown, P = unknown>(spec: RouteSpec<B, Q, P>): void {
    this.specs.push(spec as AnySpec);
    this.app.route({
      method: spec.method,
      url: spec.url,
      bodyLimit: spec.bodyLimit,
      handler: async (request, reply) => {
        let actor = 'device';
        let via: Authenticated['via'] | undefined;
        let principal: Principal = {
          id: 'device',
          name: 'device',
          roles: [],
          organisation: { id: 'none', kind: 'device_provider', country: null },
        };
        const deny = (status: 401 | 403, code: 'unauthorized' | 'forbidden' | 'csrf_failed' | 'session_required', detail: string) => {
          if (status === 401) reply.header('www-authenticate', 'Bearer');
          return reply
            .code(status)
            .type('application/problem+json')
            .send(problem(status, code, detail));
        };
        if (spec.auth === 'admin' || spec.auth === 'user') {
          // A party's data: no shared cache or browser history keeps it (a route may say otherwise for a public asset).
          reply.header('cache-control', 'no-store');
          const who = await this.authenticate({ authorization: request.headers.authorization, cookie: request.headers.cookie });
          if (!who) return deny(401, 'unauthorized', 'sign in, or send a valid token (Authorization: Bearer <token>)');
          // A console session changes data only with the CSRF value it was given (double submit).
          if (who.via === 'session' && spec.method !== 'GET' && request.headers['x-sealwatch-csrf'] !== who.csrf) {
            return deny(403, 'csrf_failed', 'the X-Sealwatch-CSRF header must carry the sw_csrf cookie value');
          }
          const allowed =
            spec.auth === 'admin'
              ? // The installation's administration (organisations, users, tokens and second factors of
                // others, federation partners) is the platform's: an administration's own administrator
                // must not make itself platform admin or act as another's users (adversarial pass of 2026-12-07).
                who.principal.roles.includes('admin') &&
                who.principal.organisation.kind === 'platform' &&
                can(who.principal, 'users.manage')
              : !spec.permission || can(who.principal, spec.permission);
          if (!allowed)
            return deny(403, 'forbidden', `your role does not allow ${spec.auth === 'admin' ? 'administration' : spec.permission}`);
          if (spec.noApiTokens && who.via === 'api_token')
            return deny(403, 'session_required', 'an API token may not do this: sign in to the console with your password');
          principal = who.principal;
          via = who.via;
          actor = principal.id;
        }
        // Device integrations (LoRaWAN network servers, RFID readers): a scoped token, checked by the route.
        if (spec.auth === 'integration') {
          const who = await spec.authenticate?.(request);
          if (!who) {
            return reply
              .code(401)
              .header('www-authenticate', 'Bearer')
              .type('application/problem+json')
              .send(problem(401, 'unauthorized', 'a valid integration token of this kind is required (Authorization: Bearer <token>)'));
          }
          actor = who;
        }
        const parts = { params: spec.params, query: spec.query, body: spec.body } as const;
        const values: Record<string, unknown> = {};
        for (const where of ['params', 'query', 'body'] as const) {
          const schema = parts[where];
          if (!schema) continue;
          const r = schema.safeParse(request[where] ?? (where === 'body' ? undefined : {}));
          if (!r.success) return fail(reply, where, r.error);
          values[where] = r.data;
        }
        const result = await spec.handler({ ...(values as { body: B; query: Q; params: P }), actor, principal, via, request, reply });
        // Every change made through the API is in the audit trail before it is answered.
        if (this.audit && (spec.auth === 'admin' || spec.auth === 'user') && spec.method !== 'GET' && reply.statusCode < 400) {
          const { id: created, code, movement } = (result ?? {}) as { id?: unknown; code?: unknown; movement?: unknown };
          await this.audit.record([
            actionEntry({
              id: this.clock.newId(),
              actor: `user:${actor}`,
              operation: spec.operationId,
              method: spec.method,
              path: request.url.split('?')[0],
              subjects: [
                ...Object.values((values.params ?? {}) as Record<string, string>),
                ...[created, code, movement].filter((v): v is string => typeof v === 'string'),
              ],
              body: values.body,
              status: reply.statusCode,
              at: this.clock.now(),
            }),
          ]);
        }
        if (reply.sent) return reply;
        return result;
      },
    });
  }
}
