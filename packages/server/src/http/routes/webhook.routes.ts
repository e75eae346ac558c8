/**
 * Webhooks: receivers of alert notifications (notify/webhook-dispatcher.ts) and their delivery
 * log. The secret is write-only: stored to sign deliveries, never shown again.
 */
import { alertTypes, DomainError, toTimestamp, type Principal } from '@sealwatch/core';
import { z } from 'zod';
import type { AppContext } from '../../app-context';
import type { Webhook } from '../../storage/webhook-ports';
import type { Api } from '../route';
import { idParams, plainPageQuery } from '../schemas';
import { pageOf } from '../views';
import { outboundRefusal } from '../../notify/outbound-address';
import { managesWebhook, webhookOwner } from '../../notify/webhook-owner';

const createWebhookSchema = z.object({
  url: z
    .string()
    .max(2000)
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'http or https URL'),
  // At least 16 characters: the HMAC is only as strong as the secret.
  secret: z.string().min(16).max(256),
  types: z
    .array(z.enum([...alertTypes, 'incident']))
    .min(1)
    .max(alertTypes.length + 1)
    .optional()
    .describe('alert types to receive, and `incident` for incident changes; absent: everything'),
});
const webhookOut = z.object({
  id: z.string(),
  url: z.string(),
  types: z.array(z.string()).nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
const deliveryOut = z.object({
  id: z.string(),
  webhook: z.string(),
  eventKey: z.string(),
  payload: z.record(z.string(), z.unknown()),
  status: z.enum(['pending', 'delivered', 'failed']),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  attempts: z.array(z.object({ at: z.string(), status: z.number().nullable(), error: z.string().nullable() })),
});

const view = ({ secret: _secret, ...w }: Webhook) => w;

export function webhookRoutes(api: Api, ctx: AppContext): void {
  const { store } = ctx;
  // A webhook is its creator's organisation's (the installation token's: the platform's). Another
  // organisation's administrator neither lists, reads the deliveries of (alert payloads), nor
  // removes it: for it the webhook does not exist. The platform manages every webhook.
  const ownerOf = webhookOwner({ users: store.access, access: ctx.access });
  const load = async (id: string, p: Principal) => {
    const w = await store.webhooks.get(id);
    if (!w || !(await managesWebhook(p, w, ownerOf))) throw new DomainError('unknown_webhook', `no webhook with id ${id}`);
    return w;
  };

  api.route({
    method: 'POST',
    url: '/api/v1/webhooks',
    operationId: 'createWebhook',
    tag: 'webhooks',
    auth: 'user',
    permission: 'integrations.manage',
    summary:
      'Register a receiver of alert notifications, signed with HMAC-SHA256 of "<X-Sealwatch-Timestamp>.<body>" under `secret` (X-Sealwatch-Signature: sha256=<hex>); `types` filters alert types (and `incident` for incident changes)',
    body: createWebhookSchema,
    responses: {
      201: { description: 'Created (the secret is not returned)', schema: webhookOut },
      422: { description: 'receiver_address_not_allowed: the URL is (or resolves to) a loopback, private or link-local address' },
    },
    handler: async ({ body, actor, reply }) => {
      const refused = ctx.config.webhookAllowPrivate ? null : await outboundRefusal(body.url);
      if (refused) throw new DomainError('receiver_address_not_allowed', refused, { url: body.url });
      const w: Webhook = {
        id: ctx.newId(),
        url: body.url,
        secret: body.secret,
        types: body.types ?? null,
        createdAt: toTimestamp(ctx.now()),
        createdBy: actor,
      };
      await store.webhooks.create(w);
      reply.code(201);
      return view(w);
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/webhooks',
    operationId: 'listWebhooks',
    tag: 'webhooks',
    auth: 'user',
    permission: 'integrations.manage',
    summary: 'The registered webhooks (without secrets)',
    query: plainPageQuery,
    responses: { 200: { description: 'A page of webhooks', schema: pageOf(webhookOut) } },
    handler: async ({ query, principal }) => {
      // Filtered in the store, before paging: a page is full whenever more of the caller's webhooks exist.
      const platform = principal.organisation.kind === 'platform';
      const makers = platform ? undefined : (await store.access.listUsers(principal.organisation.id)).map((u) => u.id);
      const page = await store.webhooks.list({ limit: query.limit, cursor: query.cursor }, makers ? { createdBy: makers } : undefined);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  });
  api.route({
    method: 'DELETE',
    url: '/api/v1/webhooks/:id',
    operationId: 'deleteWebhook',
    tag: 'webhooks',
    auth: 'user',
    permission: 'integrations.manage',
    summary: 'Remove a webhook and its delivery log',
    params: idParams,
    responses: { 204: { description: 'Removed' } },
    handler: async ({ params, reply, principal }) => {
      await load(params.id, principal);
      if (!(await store.webhooks.remove(params.id))) throw new DomainError('unknown_webhook', `no webhook with id ${params.id}`);
      reply.code(204);
      return null;
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/webhooks/:id/deliveries',
    operationId: 'listWebhookDeliveries',
    tag: 'webhooks',
    auth: 'user',
    permission: 'integrations.manage',
    summary:
      'Delivery log, newest first: each notification with its status (pending, delivered, failed) and every attempt (time, HTTP status, error)',
    params: idParams,
    query: plainPageQuery,
    responses: { 200: { description: 'A page of deliveries', schema: pageOf(deliveryOut) } },
    handler: async ({ params, query, principal }) => {
      await load(params.id, principal);
      return store.webhooks.deliveries(params.id, { limit: query.limit, cursor: query.cursor });
    },
  });
}
