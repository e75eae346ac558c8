/**
 * EPCIS 2.0 standing queries (REST binding `/queries/{queryName}/subscriptions`, docs/exchange.md):
 * `SimpleEventQuery` (the standard's predefined query: every event in the caller's scope, as
 * `GET /epcis/events` without parameters) or a named query of the caller's organisation (its
 * parameters applied: epcis-query.routes.ts) reported to `dest` either per new event (`stream: true`)
 * or on a `schedule`. A subscription is a webhook of the caller's organisation with types
 * `['epcis']`: signed with `signatureToken`, retried and logged by the webhook machinery
 * (exchange/epcis-subscriptions.ts decides what to queue). Needs only `movements.read`, so a
 * trader subscribes to its own movements; it is managed by its organisation (and the platform).
 */
import { DomainError, scheduleError, toTimestamp, type Principal } from '@sealwatch/core';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context';
import type { EpcisSubscription } from '../../storage/epcis-subscription-ports';
import type { Webhook } from '../../storage/webhook-ports';
import type { Api } from '../route';
import { outboundRefusal } from '../../notify/outbound-address';
import { managesWebhook, webhookOwner } from '../../notify/webhook-owner';
import { resolveQuery } from './epcis-query.routes';

const scheduleField = z.string().min(1).max(200).optional();
const subscribeBody = z.object({
  dest: z
    .string()
    .max(2000)
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'http or https URL')
    .describe('where each report (an EPCISQueryDocument) is POSTed'),
  // Required here (optional in the standard): reports carry customs data and are always signed.
  signatureToken: z
    .string()
    .min(16)
    .max(256)
    .describe(
      'the HMAC-SHA256 key of GS1-Signature (and X-Sealwatch-Signature): sha256=<hex> over "<X-Sealwatch-Timestamp>.<body>"; never shown again',
    ),
  reportIfEmpty: z.boolean().optional(),
  stream: z.literal(true).optional(),
  schedule: z
    .object({
      second: scheduleField,
      minute: scheduleField,
      hour: scheduleField,
      dayOfMonth: scheduleField,
      month: scheduleField,
      dayOfWeek: scheduleField,
    })
    .strict()
    .optional()
    .describe('query times in UTC, each field a number, a range [a-b] or a comma list of them; an omitted field matches any value'),
  initialRecordTime: z.string().datetime({ offset: true }).optional(),
});
const queryParams = z.object({ queryName: z.string().min(1).max(128) });
const subscriptionParams = queryParams.extend({ id: z.string().min(1).max(128) });
const subscriptionOut = z.object({
  subscriptionID: z.string(),
  queryName: z.string(),
  dest: z.string(),
  stream: z.boolean().optional(),
  schedule: z.record(z.string(), z.string()).optional(),
  reportIfEmpty: z.boolean(),
  initialRecordTime: z.string(),
  minRecordTime: z.string(),
  createdAt: z.string(),
  lastNotifiedAt: z.string().optional(),
});

const baseOf = (r: FastifyRequest) => `${r.protocol}://${r.host}`;

export function epcisSubscriptionRoutes(api: Api, ctx: AppContext): void {
  const { store } = ctx;
  // SimpleEventQuery, or a named query of the caller's organisation (POST /epcis/queries).
  const queryOf = async (p: Principal, name: string) => {
    await resolveQuery(store, p, name);
    return name;
  };
  // Like a webhook: its owner's organisation's (notify/webhook-owner.ts); the platform manages all.
  const ownerOf = webhookOwner({ users: store.access, access: ctx.access });
  const manages = (p: Principal, w: Webhook) => managesWebhook(p, w, ownerOf);
  const load = async (p: Principal, queryName: string, id: string) => {
    const sub = await store.epcisSubscriptions.get(id);
    const hook = sub && sub.queryName === queryName ? await store.webhooks.get(id) : null;
    if (!sub || !hook || !(await manages(p, hook))) throw new DomainError('unknown_subscription', `no subscription ${id} on ${queryName}`);
    return { sub, hook };
  };
  const view = async (sub: EpcisSubscription, hook: Webhook) => {
    const recent = await store.webhooks.deliveries(hook.id, { limit: 50 });
    const lastNotifiedAt = recent.items.find((d) => d.status === 'delivered')?.updatedAt;
    return {
      subscriptionID: sub.id,
      queryName: sub.queryName,
      dest: hook.url,
      ...(sub.stream ? { stream: true } : {}),
      ...(sub.schedule ? { schedule: sub.schedule as Record<string, string> } : {}),
      reportIfEmpty: sub.reportIfEmpty,
      initialRecordTime: sub.initialRecordTime,
      minRecordTime: sub.minRecordTime,
      createdAt: hook.createdAt,
      ...(lastNotifiedAt ? { lastNotifiedAt } : {}),
    };
  };

  api.route({
    method: 'POST',
    url: '/epcis/queries/:queryName/subscriptions',
    operationId: 'epcisSubscribe',
    tag: 'exchange',
    auth: 'user',
    permission: 'movements.read',
    summary:
      'EPCIS 2.0 standing query on SimpleEventQuery (the events in your scope) or a named query of your organisation (those of its events): `stream: true` reports each new event, or `schedule` (UTC) reports those recorded since the last run (`reportIfEmpty` sends empty ones too); each report an EPCISQueryDocument POSTed to `dest`, signed with `signatureToken` (GS1-Signature), retried like a webhook',
    params: queryParams,
    body: subscribeBody,
    responses: {
      201: { description: 'Subscribed; Location names the subscription (the signatureToken is not returned)', schema: subscriptionOut },
      400: { description: 'invalid_subscription: neither or both of stream and schedule, or a schedule off the grammar' },
      404: { description: 'unknown_query: neither SimpleEventQuery nor a named query of your organisation' },
      422: { description: 'receiver_address_not_allowed: `dest` is (or resolves to) a loopback, private or link-local address' },
    },
    handler: async ({ params, body, actor, principal, request, reply }) => {
      const queryName = await queryOf(principal, params.queryName);
      if (!body.stream === !body.schedule)
        throw new DomainError('invalid_subscription', 'give either `stream: true` or a `schedule`, not both and not neither');
      const bad = body.schedule ? scheduleError(body.schedule) : null;
      if (bad) throw new DomainError('invalid_subscription', bad);
      if (body.schedule && Object.values(body.schedule).every((v) => v === undefined))
        throw new DomainError('invalid_subscription', 'an empty schedule would report every second: name at least one field');
      // The webhooks' rule (docs/security.md): the dispatcher checks it again before every report.
      const refused = ctx.config.webhookAllowPrivate ? null : await outboundRefusal(body.dest);
      if (refused) throw new DomainError('receiver_address_not_allowed', refused, { url: body.dest });
      const now = toTimestamp(ctx.now());
      const hook: Webhook = {
        id: ctx.newId(),
        url: body.dest,
        secret: body.signatureToken,
        types: ['epcis'],
        createdAt: now,
        createdBy: actor,
      };
      const initial = body.initialRecordTime ? toTimestamp(Date.parse(body.initialRecordTime)) : now;
      const sub: EpcisSubscription = {
        id: hook.id,
        queryName,
        base: baseOf(request),
        stream: body.stream === true,
        schedule: body.schedule ? Object.fromEntries(Object.entries(body.schedule).filter(([, v]) => v !== undefined)) : null,
        reportIfEmpty: body.reportIfEmpty ?? false,
        initialRecordTime: initial,
        minRecordTime: initial,
      };
      await store.webhooks.create(hook);
      try {
        await store.epcisSubscriptions.create(sub);
      } catch (e) {
        await store.webhooks.remove(hook.id);
        throw e;
      }
      reply.code(201).header('location', `${baseOf(request)}/epcis/queries/${queryName}/subscriptions/${sub.id}`);
      return view(sub, hook);
    },
  });

  api.route({
    method: 'GET',
    url: '/epcis/queries/:queryName/subscriptions',
    operationId: 'epcisListSubscriptions',
    tag: 'exchange',
    auth: 'user',
    permission: 'movements.read',
    summary: "The active subscriptions on the query that your organisation made (the platform's administrators see all)",
    params: queryParams,
    responses: { 200: { description: 'The subscriptions', schema: z.array(subscriptionOut) } },
    handler: async ({ params, principal }) => {
      const queryName = await queryOf(principal, params.queryName);
      const out = [];
      let cursor: string | null | undefined;
      do {
        const page = await store.epcisSubscriptions.list({ limit: 1000, cursor });
        for (const sub of page.items) {
          const hook = sub.queryName === queryName ? await store.webhooks.get(sub.id) : null;
          if (hook && (await manages(principal, hook))) out.push(await view(sub, hook));
        }
        cursor = page.nextCursor;
      } while (cursor);
      return out;
    },
  });

  api.route({
    method: 'GET',
    url: '/epcis/queries/:queryName/subscriptions/:id',
    operationId: 'epcisGetSubscription',
    tag: 'exchange',
    auth: 'user',
    permission: 'movements.read',
    summary: 'One subscription: its dest, stream or schedule, record-time bounds and when a report last went through (lastNotifiedAt)',
    params: subscriptionParams,
    responses: { 200: { description: 'The subscription', schema: subscriptionOut } },
    handler: async ({ params, principal }) => {
      const { sub, hook } = await load(principal, await queryOf(principal, params.queryName), params.id);
      return view(sub, hook);
    },
  });

  api.route({
    method: 'DELETE',
    url: '/epcis/queries/:queryName/subscriptions/:id',
    operationId: 'epcisUnsubscribe',
    tag: 'exchange',
    auth: 'user',
    permission: 'movements.read',
    summary: 'Unsubscribe: the subscription, its webhook and its reports not yet sent are removed',
    params: subscriptionParams,
    responses: { 204: { description: 'Unsubscribed' } },
    handler: async ({ params, principal, reply }) => {
      await load(principal, await queryOf(principal, params.queryName), params.id);
      await store.webhooks.remove(params.id);
      reply.code(204);
      return null;
    },
  });
}
