/**
 * EPCIS 2.0 named queries (REST binding `/queries`, docs/exchange.md): a query is a name and
 * query parameters (valid against GS1's query schema, and only parameters answered here), a view
 * over the events in the caller's scope. Names are each organisation's own; `SimpleEventQuery` is
 * the standard's predefined query (no parameters). `GET /epcis/queries/{queryName}/events` answers
 * the query's events page by page, or, upgraded to a WebSocket with `stream=true` or a schedule,
 * subscribes to them (exchange/epcis-sockets.ts). Permission `movements.read`, so a trader makes
 * queries over its own movements.
 */
import {
  DomainError,
  readNamedQuery,
  scheduleError,
  SIMPLE_EVENT_QUERY,
  toTimestamp,
  type EpcisQuery,
  type Principal,
} from '@sealwatch/core';
import { z } from 'zod';
import type { AppContext } from '../../app-context';
import type { EpcisSocketHub } from '../../exchange/epcis-sockets';
import { epcisQuerySchemaErrors } from '../../exchange/epcis-schema';
import type { Store } from '../../storage/ports';
import { webhookOwner } from '../../notify/webhook-owner';
import { problem } from '../problem';
import type { Api } from '../route';
import { upgradeOf } from '../websocket-upgrade';
import { baseOf, eventsPage } from './epcis.routes';

const queryName = z
  .string()
  .regex(/^[A-Za-z0-9._~-]{1,128}$/, '1-128 letters, digits or . _ ~ -')
  .describe('the query name: unique within your organisation');
const nameParams = z.object({ queryName: z.string().min(1).max(128) });
const definition = z.object({ name: z.string(), query: z.record(z.string(), z.unknown()) });
const scheduleField = z.string().min(1).max(200).optional();
const eventsQuery = z
  .object({
    perPage: z.coerce.number().int().min(1).max(1000).optional(),
    nextPageToken: z.string().max(200).optional(),
    stream: z.enum(['true']).optional().describe('WebSocket only: report each new matching event'),
    second: scheduleField,
    minute: scheduleField,
    hour: scheduleField,
    dayOfMonth: scheduleField,
    month: scheduleField,
    dayOfWeek: scheduleField.describe('WebSocket only, with second…month: query times in UTC (1 = Monday)'),
    reportIfEmpty: z.enum(['true', 'false']).optional().describe('WebSocket with a schedule: send empty documents too'),
    initialRecordTime: z
      .string()
      .datetime({ offset: true })
      .optional()
      .describe('WebSocket only: events recorded before it are not reported (default: now)'),
  })
  .strict();
const SCHEDULE_FIELDS = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'] as const;

/**
 * The parameters of the query `name` as the principal's organisation defines it, or 404
 * `unknown_query` (another organisation's query is not told apart from none).
 */
export async function resolveQuery(store: Pick<Store, 'epcisQueries'>, p: Principal, name: string): Promise<EpcisQuery> {
  if (name === SIMPLE_EVENT_QUERY) return {};
  const q = await store.epcisQueries.get(p.organisation.id, name);
  const read = q && readNamedQuery(q.query);
  if (!read || !read.ok) throw new DomainError('unknown_query', `no query ${name}`);
  return read.query;
}

export function epcisQueryRoutes(api: Api, ctx: AppContext, sockets: EpcisSocketHub): void {
  const { store } = ctx;
  const ownerOf = webhookOwner({ users: store.access, access: ctx.access });

  api.route({
    method: 'POST',
    url: '/epcis/queries',
    operationId: 'epcisCreateQuery',
    tag: 'exchange',
    auth: 'user',
    permission: 'movements.read',
    summary:
      "EPCIS 2.0 named query: `{name, query}`, `query` valid against GS1's query schema and made of the parameters of GET /epcis/events (eventType, GE_/LT_eventTime, GE_/LT_recordTime, MATCH_epc, MATCH_anyEPC, EQ_bizStep, EQ_disposition, EQ_readPoint; @context allowed). A view over the events in your scope, read at /epcis/queries/{name}/events",
    body: z.object({ name: queryName, query: z.record(z.string(), z.unknown()) }).strict(),
    responses: {
      201: { description: 'Created; Location names the query', schema: definition },
      400: {
        description:
          "invalid_query: not valid against GS1's query schema, or a parameter not answered here (QueryParameterException), each named in details.errors",
      },
      409: { description: 'query_exists: your organisation already has a query of that name (SimpleEventQuery is predefined)' },
    },
    handler: async ({ body, principal, actor, request, reply }) => {
      const schema = epcisQuerySchemaErrors(body.query);
      if (schema.length)
        throw new DomainError('invalid_query', `not a query of GS1's query schema: ${schema[0]}`, {
          errors: schema.map((e) => ({ path: `query${e.split(':')[0].replace(/\//g, '.').replace(/\.$/, '')}`, message: e })),
        });
      const read = readNamedQuery(body.query);
      if (!read.ok) throw new DomainError('invalid_query', `${read.errors[0].path}: ${read.errors[0].message}`, { errors: read.errors });
      const taken = () => new DomainError('query_exists', `a query named ${body.name} exists`);
      if (body.name === SIMPLE_EVENT_QUERY) throw taken();
      const created = await store.epcisQueries.create({
        organisation: principal.organisation.id,
        name: body.name,
        query: body.query,
        createdBy: actor,
        createdAt: toTimestamp(ctx.now()),
      });
      if (!created) throw taken();
      reply.code(201).header('location', `${baseOf(request)}/epcis/queries/${body.name}`);
      return { name: body.name, query: body.query };
    },
  });

  api.route({
    method: 'GET',
    url: '/epcis/queries',
    operationId: 'epcisListQueries',
    tag: 'exchange',
    auth: 'user',
    permission: 'movements.read',
    summary:
      "Your organisation's named queries, `[{name, query}]`, SimpleEventQuery first; perPage and nextPageToken, the next page in the Link header",
    query: z.object({ perPage: z.coerce.number().int().min(1).max(1000).default(30), nextPageToken: z.string().max(400).optional() }),
    responses: { 200: { description: 'The queries', schema: z.array(definition) } },
    handler: async ({ query, principal, request, reply }) => {
      // The first page starts with SimpleEventQuery; a page token is `s:` and the store's cursor after it.
      const token = query.nextPageToken;
      if (token !== undefined && !token.startsWith('s:'))
        throw new DomainError('invalid_cursor', 'nextPageToken is not one this server gave');
      const first = token === undefined;
      const size = first ? query.perPage - 1 : query.perPage;
      const page = await store.epcisQueries.list(principal.organisation.id, {
        limit: Math.max(1, size),
        cursor: token?.slice(2) || undefined,
      });
      const items = size > 0 ? page.items : [];
      const next = size > 0 ? page.nextCursor : page.items.length ? '' : null;
      if (next !== null) {
        const params = new URLSearchParams({ perPage: String(query.perPage), nextPageToken: `s:${next}` });
        reply.header('link', `<${baseOf(request)}/epcis/queries?${params}>; rel="next"`);
      }
      return [...(first ? [{ name: SIMPLE_EVENT_QUERY, query: {} }] : []), ...items.map((q) => ({ name: q.name, query: q.query }))];
    },
  });

  api.route({
    method: 'GET',
    url: '/epcis/queries/:queryName',
    operationId: 'epcisGetQuery',
    tag: 'exchange',
    auth: 'user',
    permission: 'movements.read',
    summary: 'A named query of your organisation: `{name, query}`',
    params: nameParams,
    responses: { 200: { description: 'The query', schema: definition }, 404: { description: 'unknown_query' } },
    handler: async ({ params, principal }) => {
      if (params.queryName === SIMPLE_EVENT_QUERY) return { name: SIMPLE_EVENT_QUERY, query: {} };
      const q = await store.epcisQueries.get(principal.organisation.id, params.queryName);
      if (!q) throw new DomainError('unknown_query', `no query ${params.queryName}`);
      return { name: q.name, query: q.query };
    },
  });

  api.route({
    method: 'DELETE',
    url: '/epcis/queries/:queryName',
    operationId: 'epcisDeleteQuery',
    tag: 'exchange',
    auth: 'user',
    permission: 'movements.read',
    summary:
      'Delete a named query of your organisation: its subscriptions end with it, webhook ones removed (reports not yet sent dropped), WebSocket ones closed (4404)',
    params: nameParams,
    responses: {
      204: { description: 'Deleted, and its subscribers unsubscribed' },
      404: { description: 'unknown_query' },
      409: { description: 'predefined_query: SimpleEventQuery cannot be deleted' },
    },
    handler: async ({ params, principal, reply }) => {
      const organisation = principal.organisation.id;
      if (params.queryName === SIMPLE_EVENT_QUERY)
        throw new DomainError('predefined_query', 'SimpleEventQuery is the standard’s predefined query: it cannot be deleted');
      if (!(await store.epcisQueries.remove(organisation, params.queryName)))
        throw new DomainError('unknown_query', `no query ${params.queryName}`);
      let cursor: string | null | undefined;
      do {
        const page = await store.epcisSubscriptions.list({ limit: 1000, cursor });
        for (const sub of page.items) {
          if (sub.queryName !== params.queryName) continue;
          const hook = await store.webhooks.get(sub.id);
          if (hook && (await ownerOf(hook))?.organisation.id === organisation) await store.webhooks.remove(hook.id);
        }
        cursor = page.nextCursor;
      } while (cursor);
      sockets.closeQuery(organisation, params.queryName);
      reply.code(204);
      return null;
    },
  });

  api.route({
    method: 'GET',
    url: '/epcis/queries/:queryName/events',
    operationId: 'epcisQueryNamedEvents',
    tag: 'exchange',
    auth: 'user',
    permission: 'movements.read',
    summary:
      'The events of a named query in your scope, as an EPCISQueryDocument (perPage, nextPageToken; next page in the Link header). With `Upgrade: websocket` and `stream=true` or a schedule (second, minute, hour, dayOfMonth, month, dayOfWeek; UTC; reportIfEmpty), a subscription: 101, then one EPCISQueryDocument per message, each new matching event (stream) or each query time’s (schedule); closed 4401 when your credentials stop working, 4403 when your scope changes, 4404 when the query is deleted',
    params: nameParams,
    query: eventsQuery,
    responses: {
      101: { description: 'WebSocket subscription opened (header GS1-Query-Min-Record-Time)' },
      200: { description: 'EPCISQueryDocument (JSON-LD)', contentType: 'application/ld+json' },
      400: {
        description:
          'invalid_subscription: stream or schedule parameters without a WebSocket upgrade, an upgrade with neither or both, a schedule off the grammar; validation_failed: an unknown parameter',
      },
      404: { description: 'unknown_query' },
    },
    handler: async ({ params, query, principal, actor, via, request, reply }) => {
      const parameters = await resolveQuery(store, principal, params.queryName);
      const schedule = Object.fromEntries(SCHEDULE_FIELDS.filter((f) => query[f] !== undefined).map((f) => [f, query[f] as string]));
      const hasSchedule = Object.keys(schedule).length > 0;
      const subscribing =
        query.stream !== undefined || hasSchedule || query.reportIfEmpty !== undefined || query.initialRecordTime !== undefined;
      const upgrade = upgradeOf(request.raw);
      if (!upgrade) {
        if (subscribing)
          throw new DomainError(
            'invalid_subscription',
            'stream, the schedule fields, reportIfEmpty and initialRecordTime subscribe over a WebSocket: send this request with Upgrade: websocket',
          );
        return eventsPage(
          ctx,
          { principal, actor, request, reply },
          [parameters],
          { perPage: query.perPage ?? 30, nextPageToken: query.nextPageToken },
          params.queryName,
        );
      }
      if (query.perPage !== undefined || query.nextPageToken !== undefined)
        throw new DomainError('invalid_subscription', 'perPage and nextPageToken page a plain GET, not a WebSocket subscription');
      if (!query.stream === !hasSchedule)
        throw new DomainError(
          'invalid_subscription',
          'give either stream=true or a schedule (second, minute, hour, dayOfMonth, month, dayOfWeek), not both and not neither',
        );
      const bad = hasSchedule ? scheduleError(schedule) : null;
      if (bad) throw new DomainError('invalid_subscription', bad);
      if (query.stream && query.reportIfEmpty !== undefined)
        throw new DomainError('invalid_subscription', 'reportIfEmpty applies to a schedule, not to stream=true');
      // A console session's cookie goes with any page's WebSocket: only this installation's own pages may use it.
      const origin = request.headers.origin;
      const sameOrigin = () => {
        try {
          return new URL(origin ?? '').host === request.headers.host;
        } catch {
          return false;
        }
      };
      if (via === 'session' && origin && !sameOrigin())
        return reply
          .code(403)
          .type('application/problem+json')
          .send(problem(403, 'forbidden', 'a WebSocket opened with a console session must come from this installation’s own pages'));
      reply.hijack();
      sockets.accept(request.raw, upgrade.socket, upgrade.head, {
        queryName: params.queryName,
        organisation: principal.organisation.id,
        params: parameters,
        base: baseOf(request),
        stream: query.stream === 'true',
        schedule: hasSchedule ? schedule : null,
        reportIfEmpty: query.reportIfEmpty === 'true',
        initialRecordTime: toTimestamp(query.initialRecordTime ? Date.parse(query.initialRecordTime) : ctx.now()),
        principal,
        actor,
        credentials: { authorization: request.headers.authorization, cookie: request.headers.cookie },
        path: request.url.split('?')[0],
      });
      return reply;
    },
  });
}
