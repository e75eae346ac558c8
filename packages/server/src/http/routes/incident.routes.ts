/**
 * Incidents (DESIGN §6): one physical event on a movement with the alerts it raised; the
 * operator's queue acts on them (acknowledge, assign, note, close). Per-movement mutes. The
 * same permissions and data scopes as alerts: an incident of a movement out of scope is 404.
 */
import { z } from 'zod';
import {
  asIncidentId,
  asMovementId,
  DomainError,
  forReader,
  incidentCodes,
  rolePermissions,
  toTimestamp,
  type Incident,
  type Principal,
} from '@sealwatch/core';
import type { AppContext } from '../../app-context';
import { assertMayBeAssigned } from '../assignee';
import type { Api } from '../route';
import { acknowledgeSchema, assignSchema, idParams, pageQuery, resolveSchema } from '../schemas';
import { pageOf } from '../views';
import { parseOriginCause } from '../../federation/relay';

const ts = z.string().describe('UTC timestamp, ISO 8601 with milliseconds');
export const incidentOut = z.object({
  id: z.string().describe('stable: what other systems refer to'),
  code: z.enum(incidentCodes),
  status: z.enum(['open', 'closed']),
  movement: z.string(),
  severity: z.enum(['critical', 'major', 'minor', 'warning']).describe('the highest among its alerts'),
  origin: z
    .object({ partner: z.string(), incident: z.string() })
    .optional()
    .describe("an incident of a partner administration's movement, as the partner recorded it (docs/federation.md)"),
  openedAt: ts.describe('when the event happened (its first alert)'),
  lastTime: ts,
  position: z.object({ lat: z.number(), lon: z.number() }).nullable(),
  container: z.string().nullable(),
  seals: z.array(z.string()),
  devices: z.array(z.string()),
  alerts: z.array(z.string()).describe('the alerts it grouped, the evidence'),
  types: z.array(z.string()),
  acknowledgedAt: ts.nullable(),
  assignee: z.string().nullable(),
  outcome: z.enum(['confirmed', 'false_alarm']).nullable(),
  closedAt: ts.nullable(),
  history: z.array(z.record(z.string(), z.unknown())),
  createdAt: ts,
  updatedAt: ts,
  revision: z.number(),
});
const assigneeOut = z.object({ id: z.string(), username: z.string(), name: z.string(), organisation: z.string() });
const muteOut = z.object({ movement: z.string(), organisation: z.string(), reason: z.string(), until: ts, by: z.string(), createdAt: ts });
const incidentListQuery = z.object({
  ...pageQuery,
  movement: z.string().max(128).optional(),
  status: z.enum(['open', 'closed']).optional(),
});
const noteSchema = z.object({ comment: z.string().min(1).max(2000) });
const muteSchema = z.object({
  reason: z.string().min(3).max(500),
  until: z.string().datetime({ offset: true }).describe('when notifications resume (at most 7 days ahead)'),
});

/** What an incident view carries beyond the stored incident: its `cause` key is internal. */
/** The cause stays internal; an incident copied from a partner shows its `origin` (docs/federation.md). */
const view = ({ cause, ...rest }: Incident) => {
  const origin = parseOriginCause(cause);
  return origin ? { ...rest, origin } : rest;
};

export function incidentRoutes(api: Api, ctx: AppContext): void {
  const { store, incidents } = ctx;
  const visible = async (principal: Principal, id: string): Promise<Incident> => {
    const incident = await store.incidents.get(asIncidentId(id));
    const movement = incident && (await store.movements.get(incident.movement));
    if (!incident || !movement || !(await ctx.scopes.canSee(principal, movement)))
      throw new DomainError('unknown_incident', `no incident with id ${id}`);
    return incident;
  };
  const tag = 'incidents';

  api.route({
    method: 'GET',
    url: '/api/v1/incidents',
    operationId: 'listIncidents',
    tag,
    auth: 'user',
    permission: 'alerts.read',
    summary: 'List incidents, most recently changed first; filter by movement and status',
    query: incidentListQuery,
    responses: { 200: { description: 'A page of incidents', schema: pageOf(incidentOut) } },
    handler: async ({ query, principal }) => {
      const visibility = await ctx.scopes.movementVisibility(principal);
      if (visibility === 'none') return { items: [], nextCursor: null };
      const page = await store.incidents.list(
        {
          movement: query.movement ? asMovementId(query.movement) : undefined,
          status: query.status,
          visibleTo: visibility === 'all' ? undefined : visibility,
        },
        { limit: query.limit, cursor: query.cursor },
      );
      return { items: page.items.map((i) => forReader(view(i), principal)), nextCursor: page.nextCursor };
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/incidents/:id',
    operationId: 'getIncident',
    tag,
    auth: 'user',
    permission: 'alerts.read',
    summary: 'One incident with its history and alert ids',
    params: idParams,
    responses: { 200: { description: 'The incident', schema: incidentOut } },
    handler: async ({ params, principal }) => forReader(view(await visible(principal, params.id)), principal),
  });
  api.route({
    method: 'POST',
    url: '/api/v1/incidents/:id/acknowledge',
    operationId: 'acknowledgeIncident',
    tag,
    auth: 'user',
    permission: 'alerts.act',
    summary: 'An operator has seen the incident (its open alerts are acknowledged too)',
    params: idParams,
    body: acknowledgeSchema,
    responses: { 200: { description: 'The incident', schema: incidentOut } },
    handler: async ({ params, body, actor, principal }) =>
      (await visible(principal, params.id)) && view(await incidents.acknowledge(asIncidentId(params.id), actor, body.comment)),
  });
  api.route({
    method: 'POST',
    url: '/api/v1/incidents/:id/assign',
    operationId: 'assignIncident',
    tag,
    auth: 'user',
    permission: 'alerts.act',
    summary: 'Give the incident (and its alerts) to a person or response unit',
    params: idParams,
    body: assignSchema,
    responses: { 200: { description: 'The incident', schema: incidentOut } },
    handler: async ({ params, body, actor, principal }) => {
      const incident = await visible(principal, params.id);
      await assertMayBeAssigned(ctx, body.assignee, incident.movement);
      return view(await incidents.assign(asIncidentId(params.id), body.assignee, actor, body.comment));
    },
  });
  api.route({
    method: 'POST',
    url: '/api/v1/incidents/:id/note',
    operationId: 'noteIncident',
    tag,
    auth: 'user',
    permission: 'alerts.act',
    summary: 'Record an action taken (a unit dispatched, the carrier called); also on a closed incident',
    params: idParams,
    body: noteSchema,
    responses: { 200: { description: 'The incident', schema: incidentOut } },
    handler: async ({ params, body, actor, principal }) =>
      (await visible(principal, params.id)) && view(await incidents.note(asIncidentId(params.id), body.comment, actor)),
  });
  api.route({
    method: 'POST',
    url: '/api/v1/incidents/:id/close',
    operationId: 'closeIncident',
    tag,
    auth: 'user',
    permission: 'alerts.act',
    summary: 'Close the incident as confirmed or false alarm, with a comment; its alerts are resolved with the same outcome',
    params: idParams,
    body: resolveSchema,
    responses: { 200: { description: 'The incident', schema: incidentOut } },
    handler: async ({ params, body, actor, principal }) =>
      (await visible(principal, params.id)) && view(await incidents.close(asIncidentId(params.id), body.outcome, body.comment, actor)),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/assignees',
    operationId: 'listAssignees',
    tag,
    auth: 'user',
    permission: 'alerts.act',
    summary:
      "Who an incident can be assigned to: the enabled users of the caller's organisation who may act on alerts (every organisation's for the platform)",
    responses: { 200: { description: 'People, by name', schema: pageOf(assigneeOut) } },
    handler: async ({ principal }) => {
      // The platform (its operators, the installation token) watches every administration's movements.
      const everyOrganisation = principal.organisation.kind === 'platform';
      const users = await store.access.listUsers(everyOrganisation ? undefined : principal.organisation.id);
      const items = users
        .filter((u) => !u.disabled && u.roles.some((r) => rolePermissions[r].includes('alerts.act')))
        .map((u) => ({ id: u.id, username: u.username, name: u.name, organisation: u.organisation }))
        .sort((a, b) => a.name.localeCompare(b.name));
      return { items, nextCursor: null };
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/mutes',
    operationId: 'listMutes',
    tag,
    auth: 'user',
    permission: 'alerts.read',
    summary:
      "Movements whose notifications your organisation muted, now, with the reason, who and until when (another's mutes are its own)",
    responses: { 200: { description: "The caller's organisation's mutes in scope", schema: pageOf(muteOut) } },
    handler: async ({ principal }) => {
      const items = [];
      for (const m of await store.incidents.activeMutes(toTimestamp(ctx.now()), principal.organisation.id)) {
        const movement = await store.movements.get(m.movement);
        if (movement && (await ctx.scopes.canSee(principal, movement))) items.push(m);
      }
      return { items, nextCursor: null };
    },
  });
  api.route({
    method: 'PUT',
    url: '/api/v1/movements/:id/mute',
    operationId: 'muteMovement',
    tag,
    auth: 'user',
    permission: 'alerts.act',
    summary:
      "Mute a movement's notifications for your organisation until a time, with a reason: its alerts are still recorded and grouped into incidents, not notified to your organisation; other administrations on the movement are notified as before",
    params: idParams,
    body: muteSchema,
    responses: { 200: { description: 'The mute', schema: muteOut } },
    handler: async ({ params, body, actor, principal }) => {
      const movement = await ctx.scopes.movement(principal, params.id);
      return incidents.mute(movement.id, principal.organisation.id, body.reason, toTimestamp(body.until), actor);
    },
  });
  api.route({
    method: 'DELETE',
    url: '/api/v1/movements/:id/mute',
    operationId: 'unmuteMovement',
    tag,
    auth: 'user',
    permission: 'alerts.act',
    summary: "End your organisation's mute of a movement now (another organisation's mute is not yours to lift)",
    params: idParams,
    responses: { 204: { description: 'unmuted' }, 404: { description: 'unknown movement, or not muted by your organisation' } },
    handler: async ({ params, principal, reply }) => {
      const movement = await ctx.scopes.movement(principal, params.id);
      if (!(await incidents.unmute(movement.id, principal.organisation.id)))
        throw new DomainError('unknown_movement', `movement ${params.id} is not muted`);
      reply.code(204);
      return '';
    },
  });
}
