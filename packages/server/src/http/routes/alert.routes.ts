/** Alerts: the queue and its lifecycle (acknowledge, assign, resolve). */
import { asAlertId, asDeviceId, asMovementId, DomainError } from '@sealwatch/core';
import type { AppContext } from '../../app-context';
import type { Api } from '../route';
import { acknowledgeSchema, alertListQuery, assignSchema, idParams, resolveSchema } from '../schemas';
import { alertOut, pageOf } from '../views';

export function alertRoutes(api: Api, ctx: AppContext): void {
  const { store, alerts } = ctx;

  api.route({
    method: 'GET', url: '/api/v1/alerts', operationId: 'listAlerts', tag: 'alerts', auth: 'admin',
    summary: 'List alerts, most recently changed first; filter by movement, device, type, status',
    query: alertListQuery, responses: { 200: { description: 'A page of alerts', schema: pageOf(alertOut) } },
    handler: async ({ query }) => {
      const { limit, cursor, movement, device, type, status } = query;
      return store.alerts.list({ movement: movement ? asMovementId(movement) : undefined, device: device ? asDeviceId(device) : undefined, type, status }, { limit, cursor });
    },
  });
  api.route({
    method: 'GET', url: '/api/v1/alerts/:id', operationId: 'getAlert', tag: 'alerts', auth: 'admin', summary: 'One alert with its history',
    params: idParams, responses: { 200: { description: 'The alert', schema: alertOut } },
    handler: async ({ params }) => {
      const a = await store.alerts.get(asAlertId(params.id));
      if (!a) throw new DomainError('unknown_alert', `no alert with id ${params.id}`);
      return a;
    },
  });
  api.route({
    method: 'POST', url: '/api/v1/alerts/:id/acknowledge', operationId: 'acknowledgeAlert', tag: 'alerts', auth: 'admin', summary: 'An operator has seen the alert',
    params: idParams, body: acknowledgeSchema, responses: { 200: { description: 'The alert', schema: alertOut } },
    handler: async ({ params, body, actor }) => alerts.acknowledge(asAlertId(params.id), actor, body.comment),
  });
  api.route({
    method: 'POST', url: '/api/v1/alerts/:id/assign', operationId: 'assignAlert', tag: 'alerts', auth: 'admin', summary: 'Give the alert to a person or response unit',
    params: idParams, body: assignSchema, responses: { 200: { description: 'The alert', schema: alertOut } },
    handler: async ({ params, body, actor }) => alerts.assign(asAlertId(params.id), body.assignee, actor, body.comment),
  });
  api.route({
    method: 'POST', url: '/api/v1/alerts/:id/resolve', operationId: 'resolveAlert', tag: 'alerts', auth: 'admin', summary: 'Close the alert as confirmed or false alarm, with a comment',
    params: idParams, body: resolveSchema, responses: { 200: { description: 'The alert', schema: alertOut } },
    handler: async ({ params, body, actor }) => alerts.resolve(asAlertId(params.id), body.outcome, body.comment, actor),
  });
}
