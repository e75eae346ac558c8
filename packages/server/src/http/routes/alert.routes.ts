/** Alerts: the queue and its lifecycle (acknowledge, assign, resolve). */
import { asAlertId, asDeviceId, asMovementId, forReader, type Principal } from '@sealwatch/core';
import type { AppContext } from '../../app-context';
import { assertMayBeAssigned } from '../assignee';
import type { Api } from '../route';
import { acknowledgeSchema, alertListQuery, assignSchema, idParams, resolveSchema } from '../schemas';
import { alertOut, pageOf } from '../views';

export function alertRoutes(api: Api, ctx: AppContext): void {
  const { store, alerts } = ctx;
  // Acting on an alert needs the same scope as seeing it (404 otherwise).
  const visible = async (principal: Principal, id: string) => ctx.scopes.alert(principal, await store.alerts.get(asAlertId(id)), id);

  api.route({
    method: 'GET',
    url: '/api/v1/alerts',
    operationId: 'listAlerts',
    tag: 'alerts',
    auth: 'user',
    permission: 'alerts.read',
    summary: 'List alerts, most recently changed first; filter by movement, device, type, status',
    query: alertListQuery,
    responses: { 200: { description: 'A page of alerts', schema: pageOf(alertOut) } },
    handler: async ({ query, principal }) => {
      const { limit, cursor, movement, device, type, status } = query;
      const visibility = await ctx.scopes.movementVisibility(principal);
      if (visibility === 'none') return { items: [], nextCursor: null };
      const page = await store.alerts.list(
        {
          movement: movement ? asMovementId(movement) : undefined,
          device: device ? asDeviceId(device) : undefined,
          type,
          status,
          visibleTo: visibility === 'all' ? undefined : visibility,
        },
        { limit, cursor },
      );
      return { items: page.items.map((a) => forReader(a, principal)), nextCursor: page.nextCursor };
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/alerts/:id',
    operationId: 'getAlert',
    tag: 'alerts',
    auth: 'user',
    permission: 'alerts.read',
    summary: 'One alert with its history',
    params: idParams,
    responses: { 200: { description: 'The alert', schema: alertOut } },
    handler: async ({ params, principal }) =>
      forReader(await ctx.scopes.alert(principal, await store.alerts.get(asAlertId(params.id)), params.id), principal),
  });
  api.route({
    method: 'POST',
    url: '/api/v1/alerts/:id/acknowledge',
    operationId: 'acknowledgeAlert',
    tag: 'alerts',
    auth: 'user',
    permission: 'alerts.act',
    summary: 'An operator has seen the alert',
    params: idParams,
    body: acknowledgeSchema,
    responses: { 200: { description: 'The alert', schema: alertOut } },
    handler: async ({ params, body, actor, principal }) =>
      (await visible(principal, params.id)) && alerts.acknowledge(asAlertId(params.id), actor, body.comment),
  });
  api.route({
    method: 'POST',
    url: '/api/v1/alerts/:id/assign',
    operationId: 'assignAlert',
    tag: 'alerts',
    auth: 'user',
    permission: 'alerts.act',
    summary: 'Give the alert to a person or response unit',
    params: idParams,
    body: assignSchema,
    responses: { 200: { description: 'The alert', schema: alertOut } },
    handler: async ({ params, body, actor, principal }) => {
      const alert = await visible(principal, params.id);
      await assertMayBeAssigned(ctx, body.assignee, alert.movement);
      return alerts.assign(asAlertId(params.id), body.assignee, actor, body.comment);
    },
  });
  api.route({
    method: 'POST',
    url: '/api/v1/alerts/:id/resolve',
    operationId: 'resolveAlert',
    tag: 'alerts',
    auth: 'user',
    permission: 'alerts.act',
    summary: 'Close the alert as confirmed or false alarm, with a comment',
    params: idParams,
    body: resolveSchema,
    responses: { 200: { description: 'The alert', schema: alertOut } },
    handler: async ({ params, body, actor, principal }) =>
      (await visible(principal, params.id)) && alerts.resolve(asAlertId(params.id), body.outcome, body.comment, actor),
  });
}
