/** Movements: declaration, lifecycle, track and events (DESIGN §6). */
import {
  asDeviceId,
  asMovementId,
  asOfficeCode,
  can,
  DomainError,
  meters,
  normaliseHsCode,
  toTimestamp,
  type Principal,
  type AuthorizedStop,
  type LineString,
  type Movement,
  type MovementAction,
} from '@sealwatch/core';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { fullTrackJson, simplifiedTrackCollection } from '../../registry/movement-track';
import type { AppContext } from '../../app-context';
import type { Api } from '../route';
import { createMovementSchema, eventListQuery, idParams, lifecycleBodySchema, movementListQuery } from '../schemas';
import { eventOut, movementOut, movementView, pageOf } from '../views';

const TRACK_MAX_POINTS = 50_000;
const trackQuery = z.object({
  tolerance: z.coerce
    .number()
    .min(0)
    .max(100_000)
    .optional()
    .describe(
      'Simplify for display: keep only the positions needed to draw the track within this many metres (Douglas-Peucker), and those where the seal changed. A map at zoom z needs about 150000 / 2^z m. Absent: every position.',
    ),
});

export function movementRoutes(api: Api, ctx: AppContext): void {
  const { store, registry } = ctx;

  const views = async (ms: Movement[]) => {
    const counts = await store.alerts.countUnresolved(
      'movement',
      ms.map((m) => m.id),
    );
    const risks = new Map((await store.risk.latestAssessments(ms.map((m) => m.id))).map((a) => [a.movement, a]));
    return Promise.all(
      ms.map(async (m) => {
        const v = movementView(m, await store.processing.deviceStates(m.devices), counts[m.id] ?? 0, risks.get(m.id) ?? null);
        // A partner's movement shows its `origin`; ours, the partners it was shared with (docs/federation.md).
        return ctx.federation ? ctx.federation.decorate(v) : v;
      }),
    );
  };
  const view = async (m: Movement) => (await views([m]))[0];
  // Lanes and scores are customs selectivity: only those who may read risk see them.
  const forPrincipal = <T extends { risk?: unknown }>(p: Principal, v: T): T => (can(p, 'risk.read') ? v : { ...v, risk: null });

  api.route({
    method: 'POST',
    url: '/api/v1/movements',
    operationId: 'createMovement',
    tag: 'movements',
    auth: 'user',
    permission: 'movements.write',
    summary:
      'Declare a movement under customs control (container number check digit verified; offices and devices must exist; each device in the custody of your organisation or the trader, and on no other movement not ended)',
    body: createMovementSchema,
    responses: {
      201: { description: 'Created', schema: movementOut },
      403: { description: 'outside_jurisdiction: the office of departure is not in your country' },
      409: { description: 'device_on_movement: a device is on another movement that has not ended' },
      422: {
        description:
          'device_not_in_custody, unknown_office, unknown_device, invalid_container_number (a device only the trader holds raises a lending request to it: GET /api/v1/custody/consents?movement=)',
      },
    },
    handler: async ({ body, reply, principal }) => {
      const m = await registry.createMovement(
        {
          ...body,
          devices: body.devices.map(asDeviceId),
          departureOffice: asOfficeCode(body.departureOffice),
          destinationOffice: asOfficeCode(body.destinationOffice),
          transitOffices: body.transitOffices.map(asOfficeCode),
          route: body.route as LineString | null,
          authorizedStops: body.authorizedStops as AuthorizedStop[],
          timeLimit: body.timeLimit ? toTimestamp(body.timeLimit) : null,
          checkpoints: body.checkpoints.map((c) => ({ ...c, expectedBy: c.expectedBy ? toTimestamp(c.expectedBy) : null })),
          hsChapter: body.hsChapter === null ? null : normaliseHsCode(body.hsChapter),
        },
        principal,
      );
      reply.code(201);
      return forPrincipal(principal, await view(m));
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/movements',
    operationId: 'listMovements',
    tag: 'movements',
    auth: 'user',
    permission: 'movements.read',
    summary: 'List movements, newest first, with their live position, seal state and unresolved alert count',
    query: movementListQuery,
    responses: { 200: { description: 'A page of movements', schema: pageOf(movementOut) } },
    handler: async ({ query, principal }) => {
      const { limit, cursor, status, device } = query;
      const visibility = await ctx.scopes.movementVisibility(principal);
      if (visibility === 'none') return { items: [], nextCursor: null };
      const page = await store.movements.list(
        { status, device: device ? asDeviceId(device) : undefined, visibleTo: visibility === 'all' ? undefined : visibility },
        { limit, cursor },
      );
      return { items: (await views(page.items)).map((v) => forPrincipal(principal, v)), nextCursor: page.nextCursor };
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/movements/:id',
    operationId: 'getMovement',
    tag: 'movements',
    auth: 'user',
    permission: 'movements.read',
    summary: 'One movement',
    params: idParams,
    responses: { 200: { description: 'The movement', schema: movementOut } },
    handler: async ({ params, principal }) => forPrincipal(principal, await view(await ctx.scopes.movement(principal, params.id))),
  });

  for (const action of ['start', 'arrive', 'end'] as const satisfies readonly MovementAction[]) {
    api.route({
      method: 'POST',
      url: `/api/v1/movements/:id/${action}`,
      operationId: `${action}Movement`,
      tag: 'movements',
      auth: 'user',
      permission: 'movements.write',
      summary:
        { start: 'Departure: the movement is in transit', arrive: 'Arrival at the office of destination', end: 'End of customs control' }[
          action
        ] + ' (optional recorded `time`, default now)',
      params: idParams,
      body: lifecycleBodySchema,
      responses: {
        200: { description: 'The movement after the step', schema: movementOut },
        403: {
          description:
            'not_departure_administration (a start: only the customs administration of the office of departure), not_destination_administration (an arrival or end: only that of the office of destination)',
        },
        409: {
          description:
            "invalid_transition; for a start: lending_not_confirmed (a device only the trader holds, and the trader has not confirmed the declaration's request nor consented beforehand; `details.devices`, `details.consent`), lending_refused (the trader refused it)",
        },
        422: {
          description:
            "invalid_time; for a start: backdated_start (before a device's previous movement ended, or beyond SEALWATCH_START_BACKDATE_MAX_S), device_not_in_custody",
        },
      },
      handler: async ({ params, body, principal }) => {
        await ctx.scopes.movement(principal, params.id);
        await ctx.federation?.assertMayChange(params.id, action);
        return forPrincipal(
          principal,
          await view(
            await registry.changeMovement(asMovementId(params.id), action, body.time ? toTimestamp(body.time) : undefined, principal),
          ),
        );
      },
    });
  }

  api.route({
    method: 'GET',
    url: '/api/v1/movements/:id/track',
    operationId: 'getMovementTrack',
    tag: 'movements',
    auth: 'user',
    permission: 'movements.read',
    summary: "The movement's track as GeoJSON: a LineString, then one Point per position kept with time, seal and speed",
    params: idParams,
    query: trackQuery,
    responses: {
      200: {
        description: 'GeoJSON FeatureCollection',
        schema: z.object({ type: z.literal('FeatureCollection'), features: z.array(z.record(z.string(), z.unknown())) }),
        contentType: 'application/geo+json',
      },
    },
    handler: async ({ params, query, reply, principal }) => {
      const m = await ctx.scopes.movement(principal, params.id);
      const window = { from: m.startedAt ?? m.createdAt, to: m.endedAt ?? undefined };
      // Only the armed period (start to end): where the devices were before the start or after the
      // end is nobody's business here, so a movement not started has no track.
      const devices = m.startedAt ? m.devices : [];
      const about = {
        movement: m.id,
        reference: m.reference,
        from: window.from,
        to: window.to ?? null,
        tolerance: query.tolerance ?? null,
      };
      reply.type('application/geo+json');
      // Full resolution: written out while it is read (two passes over the track's columns), never held.
      if (query.tolerance === undefined) return Readable.from(fullTrackJson(store.observations, devices, window, TRACK_MAX_POINTS, about));
      return simplifiedTrackCollection(store.observations, devices, window, meters(query.tolerance), TRACK_MAX_POINTS, about);
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/movements/:id/events',
    operationId: 'listMovementEvents',
    tag: 'movements',
    auth: 'user',
    permission: 'movements.read',
    summary: "The movement's events in time order",
    params: idParams,
    query: eventListQuery,
    responses: { 200: { description: 'A page of events', schema: pageOf(eventOut) } },
    handler: async ({ params, query, principal }) => {
      const m = await ctx.scopes.movement(principal, params.id);
      return store.events.list({ movement: m.id, type: query.type }, { limit: query.limit, cursor: query.cursor });
    },
  });
}
