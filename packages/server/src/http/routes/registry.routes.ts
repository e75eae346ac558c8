/** Offices and devices: registration and lookup (DESIGN §6). */
import {
  asDeviceId,
  asOfficeCode,
  DomainError,
  movementScope,
  type Area,
  type DeviceId,
  type DeviceKey,
  type DeviceState,
  type Observation,
  type Principal,
  type Timestamp,
} from '@sealwatch/core';
import type { AppContext } from '../../app-context';
import { withinPeriods, type DevicePeriod } from '../../access/scope';
import { encodeCursor } from '../../storage/cursor';
import type { ObservationQuery, Page, Store } from '../../storage/ports';
import type { Api } from '../route';
import {
  codeParams,
  createDeviceSchema,
  createOfficeSchema,
  idParams,
  observationListQuery,
  plainPageQuery,
  updateOfficeSchema,
} from '../schemas';
import { deviceOut, deviceView, observationOut, observationView, officeOut, pageOf } from '../views';

/**
 * A device's observations inside the periods it was on movements in scope, paged like the store's
 * list: each period is asked in turn (in the list's order) with the same (time, id) cursor.
 */
async function observationsWithin(
  store: Store,
  device: DeviceId,
  periods: readonly DevicePeriod[],
  q: ObservationQuery,
  page: { limit: number; cursor?: string | null },
): Promise<Page<Observation>> {
  const desc = (q.order ?? 'desc') === 'desc';
  const items: Observation[] = [];
  for (const period of desc ? [...periods].reverse() : periods) {
    const from = q.from && q.from > period.from ? q.from : period.from;
    const to = period.to === null ? q.to : q.to && q.to < period.to ? q.to : period.to;
    if (to !== undefined && to < from) continue;
    const got = await store.observations.listByDevice(
      device,
      { ...q, from: from as Timestamp, ...(to ? { to: to as Timestamp } : {}) },
      { limit: page.limit - items.length, cursor: page.cursor },
    );
    items.push(...got.items);
    if (items.length >= page.limit) {
      const last = items[items.length - 1];
      return { items, nextCursor: encodeCursor([last.time, last.id]) };
    }
  }
  return { items, nextCursor: null };
}

export function registryRoutes(api: Api, ctx: AppContext): void {
  // Live state (last position, seal) of a device: a customs administration sees it while the device
  // is on one of its movements; a provider's and the full scopes' views are decided elsewhere.
  // Its position only from that movement's start: a fix from before is not the administration's.
  const liveOf = async (principal: Principal): Promise<(device: string, state: DeviceState | null) => DeviceState | null> => {
    if (movementScope(principal).kind !== 'jurisdiction') return (_d, state) => state;
    const live = await ctx.scopes.liveDevices(principal);
    return (device, state) => {
      if (live === 'all' || !state) return state;
      if (!live.has(device)) return null;
      const startedAt = live.get(device) ?? null;
      const armed = startedAt !== null && state.positionTime !== null && withinPeriods(state.positionTime, [{ from: startedAt, to: null }]);
      return armed ? state : { ...state, position: null, positionTime: null };
    };
  };
  const { store, registry } = ctx;

  api.route({
    method: 'POST',
    url: '/api/v1/offices',
    operationId: 'createOffice',
    tag: 'offices',
    auth: 'user',
    permission: 'offices.write',
    summary:
      'Register a customs office with its area (GeoJSON Polygon or {center, radiusM}): an administration registers offices of its own country; the area at most SEALWATCH_OFFICE_MAX_RADIUS_M from its centre, inside the country',
    body: createOfficeSchema,
    responses: {
      201: { description: 'Created', schema: officeOut },
      403: { description: 'outside_jurisdiction: an office of another country' },
      409: { description: 'office_exists; office_in_use: movements name the code with no office behind it (the platform registers it)' },
      422: { description: 'office_area_too_large, office_outside_country, invalid_geometry' },
    },
    handler: async ({ body, reply, principal }) => {
      const office = await registry.createOffice({ ...body, code: asOfficeCode(body.code), area: body.area as Area }, principal);
      reply.code(201);
      return office;
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/offices',
    operationId: 'listOffices',
    tag: 'offices',
    auth: 'user',
    permission: 'offices.read',
    summary: 'List offices by code',
    query: plainPageQuery,
    responses: { 200: { description: 'A page of offices', schema: pageOf(officeOut) } },
    handler: async ({ query }) => store.offices.list(query),
  });
  api.route({
    method: 'GET',
    url: '/api/v1/offices/:code',
    operationId: 'getOffice',
    tag: 'offices',
    auth: 'user',
    permission: 'offices.read',
    summary: 'One office',
    params: codeParams,
    responses: { 200: { description: 'The office', schema: officeOut } },
    handler: async ({ params }) => {
      const office = await store.offices.get(asOfficeCode(params.code));
      if (!office) throw new DomainError('unknown_office', `no office with code ${params.code}`);
      return office;
    },
  });
  api.route({
    method: 'PATCH',
    url: '/api/v1/offices/:code',
    operationId: 'updateOffice',
    tag: 'offices',
    auth: 'user',
    permission: 'offices.write',
    summary:
      "Change an office's name, country or area (its code never changes): by the platform or the office's own administration (that of its country); the area follows the rules of a new office; the area stays while a movement not yet ended names the office, the country while any movement names it (ended ones included)",
    params: codeParams,
    body: updateOfficeSchema,
    responses: {
      200: { description: 'The office as changed', schema: officeOut },
      403: { description: "outside_jurisdiction: another administration's office, or a country not the caller's" },
      404: { description: 'unknown_office' },
      409: {
        description:
          'office_in_use: movements not yet ended name the office (area), or any movement does (country) (details: movements, references you may see)',
      },
      422: { description: 'office_area_too_large, office_outside_country, invalid_geometry' },
    },
    handler: async ({ params, body, principal }) =>
      registry.updateOffice(asOfficeCode(params.code), { ...body, area: body.area as Area | undefined }, principal),
  });
  api.route({
    method: 'DELETE',
    url: '/api/v1/offices/:code',
    operationId: 'deleteOffice',
    tag: 'offices',
    auth: 'user',
    permission: 'offices.write',
    summary:
      "Delete an office: by the platform or the office's own administration; refused while any movement names it, ended ones included (their jurisdiction follows its country)",
    params: codeParams,
    responses: {
      204: { description: 'Deleted' },
      403: { description: "outside_jurisdiction: another administration's office" },
      404: { description: 'unknown_office' },
      409: { description: 'office_in_use: movements name the office, ended ones included' },
    },
    handler: async ({ params, reply, principal }) => {
      await registry.deleteOffice(asOfficeCode(params.code), principal);
      reply.code(204);
      return null;
    },
  });

  api.route({
    method: 'POST',
    url: '/api/v1/devices',
    operationId: 'createDevice',
    tag: 'devices',
    auth: 'user',
    permission: 'devices.write',
    summary: 'Register a device; native devices with an Ed25519 or P-256 public key (JWK) or an HS256 secret',
    body: createDeviceSchema,
    responses: {
      201: { description: 'Created', schema: deviceOut },
      422: { description: 'field_not_allowed: `owner` names another organisation and the caller is not the platform' },
    },
    handler: async ({ body, reply, principal }) => {
      // Only the platform registers a device for another owner; any other party registers its own
      // (its keys are then its to change, see scopes.ownedDevice). Naming another owner is refused,
      // never silently replaced: the caller must not believe it registered someone else's device.
      const platform = principal.organisation.kind === 'platform';
      if (!platform && body.owner != null && body.owner !== principal.organisation.id) {
        throw new DomainError('field_not_allowed', 'only the platform registers a device for another owner: leave out owner', {
          fields: ['owner'],
        });
      }
      const owner = platform ? body.owner : principal.organisation.id;
      const device = await registry.createDevice({ ...body, owner, id: asDeviceId(body.id), key: body.key as DeviceKey | null });
      reply.code(201);
      return deviceView(device, null);
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/devices',
    operationId: 'listDevices',
    tag: 'devices',
    auth: 'user',
    permission: 'devices.read',
    summary: 'List devices with their last known state',
    query: plainPageQuery,
    responses: { 200: { description: 'A page of devices', schema: pageOf(deviceOut) } },
    handler: async ({ query, principal }) => {
      const page = await ctx.scopes.devices(principal, query);
      const states = new Map((await store.processing.deviceStates(page.items.map((d) => d.id))).map((s) => [s.device, s]));
      const live = await liveOf(principal);
      const cargo = { cargo: principal.organisation.kind !== 'device_provider' };
      return {
        items: page.items.map((d) => deviceView(d, live(d.id, states.get(d.id) ?? null), cargo)),
        nextCursor: page.nextCursor,
      };
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/devices/:id',
    operationId: 'getDevice',
    tag: 'devices',
    auth: 'user',
    permission: 'devices.read',
    summary: 'One device with its last known state',
    params: idParams,
    responses: { 200: { description: 'The device', schema: deviceOut } },
    handler: async ({ params, principal }) => {
      const device = await ctx.scopes.device(principal, params.id);
      return deviceView(device, (await liveOf(principal))(device.id, await store.processing.deviceState(device.id)), {
        cargo: principal.organisation.kind !== 'device_provider',
      });
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/devices/:id/observations',
    operationId: 'listDeviceObservations',
    tag: 'devices',
    auth: 'user',
    permission: 'movements.read',
    summary: "A device's observations, newest first by default; `from`/`to` bound the observation time",
    params: idParams,
    query: observationListQuery,
    responses: { 200: { description: 'A page of observations', schema: pageOf(observationOut) } },
    handler: async ({ params, query, principal }) => {
      // Positions are cargo data: full device scope (customs, platform, auditors) only.
      if (movementScope(principal).kind !== 'all' && movementScope(principal).kind !== 'jurisdiction')
        throw new DomainError('unknown_device', `no device with id ${params.id}`);
      const device = await ctx.scopes.device(principal, params.id);
      const { limit, cursor, ...q } = query;
      const periods = await ctx.scopes.devicePeriods(principal, device.id);
      const page =
        periods === 'all'
          ? await store.observations.listByDevice(device.id, q as never, { limit, cursor })
          : await observationsWithin(store, device.id, periods, q as ObservationQuery, { limit, cursor });
      return { items: page.items.map(observationView), nextCursor: page.nextCursor };
    },
  });
}
