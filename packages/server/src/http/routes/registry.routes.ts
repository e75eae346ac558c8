/** Offices and devices: registration and lookup (DESIGN §6). */
import { asDeviceId, asOfficeCode, DomainError, movementScope, type Area, type DeviceKey } from '@sealwatch/core';
import type { AppContext } from '../../app-context';
import type { Api } from '../route';
import { codeParams, createDeviceSchema, createOfficeSchema, idParams, observationListQuery, plainPageQuery } from '../schemas';
import { deviceOut, deviceView, observationOut, observationView, officeOut, pageOf } from '../views';

export function registryRoutes(api: Api, ctx: AppContext): void {
  const { store, registry } = ctx;

  api.route({
    method: 'POST', url: '/api/v1/offices', operationId: 'createOffice', tag: 'offices', auth: 'user', permission: 'offices.write',
    summary: 'Register a customs office with its area (GeoJSON Polygon or {center, radiusM})',
    body: createOfficeSchema, responses: { 201: { description: 'Created', schema: officeOut } },
    handler: async ({ body, reply }) => {
      const office = await registry.createOffice({ ...body, code: asOfficeCode(body.code), area: body.area as Area });
      reply.code(201);
      return office;
    },
  });
  api.route({
    method: 'GET', url: '/api/v1/offices', operationId: 'listOffices', tag: 'offices', auth: 'user', permission: 'offices.read', summary: 'List offices by code',
    query: plainPageQuery, responses: { 200: { description: 'A page of offices', schema: pageOf(officeOut) } },
    handler: async ({ query }) => store.offices.list(query),
  });
  api.route({
    method: 'GET', url: '/api/v1/offices/:code', operationId: 'getOffice', tag: 'offices', auth: 'user', permission: 'offices.read', summary: 'One office',
    params: codeParams, responses: { 200: { description: 'The office', schema: officeOut } },
    handler: async ({ params }) => {
      const office = await store.offices.get(asOfficeCode(params.code));
      if (!office) throw new DomainError('unknown_office', `no office with code ${params.code}`);
      return office;
    },
  });

  api.route({
    method: 'POST', url: '/api/v1/devices', operationId: 'createDevice', tag: 'devices', auth: 'user', permission: 'devices.write',
    summary: 'Register a device; native devices with an Ed25519 or P-256 public key (JWK) or an HS256 secret',
    body: createDeviceSchema, responses: { 201: { description: 'Created', schema: deviceOut } },
    handler: async ({ body, reply, principal }) => {
      // A device provider registers devices for itself only.
      const owner = principal.organisation.kind === 'device_provider' ? principal.organisation.id : body.owner;
      const device = await registry.createDevice({ ...body, owner, id: asDeviceId(body.id), key: body.key as DeviceKey | null });
      reply.code(201);
      return deviceView(device, null);
    },
  });
  api.route({
    method: 'GET', url: '/api/v1/devices', operationId: 'listDevices', tag: 'devices', auth: 'user', permission: 'devices.read', summary: 'List devices with their last known state',
    query: plainPageQuery, responses: { 200: { description: 'A page of devices', schema: pageOf(deviceOut) } },
    handler: async ({ query, principal }) => {
      const page = await ctx.scopes.devices(principal, query);
      const states = new Map((await store.processing.deviceStates(page.items.map((d) => d.id))).map((s) => [s.device, s]));
      return { items: page.items.map((d) => deviceView(d, states.get(d.id) ?? null)), nextCursor: page.nextCursor };
    },
  });
  api.route({
    method: 'GET', url: '/api/v1/devices/:id', operationId: 'getDevice', tag: 'devices', auth: 'user', permission: 'devices.read', summary: 'One device with its last known state',
    params: idParams, responses: { 200: { description: 'The device', schema: deviceOut } },
    handler: async ({ params, principal }) => {
      const device = await ctx.scopes.device(principal, params.id);
      return deviceView(device, await store.processing.deviceState(device.id));
    },
  });
  api.route({
    method: 'GET', url: '/api/v1/devices/:id/observations', operationId: 'listDeviceObservations', tag: 'devices', auth: 'user', permission: 'movements.read',
    summary: "A device's observations, newest first by default; `from`/`to` bound the observation time",
    params: idParams, query: observationListQuery, responses: { 200: { description: 'A page of observations', schema: pageOf(observationOut) } },
    handler: async ({ params, query, principal }) => {
      // Positions are cargo data: full device scope (customs, platform, auditors) only.
      if (movementScope(principal).kind !== 'all' && movementScope(principal).kind !== 'jurisdiction') throw new DomainError('unknown_device', `no device with id ${params.id}`);
      const device = await ctx.scopes.device(principal, params.id);
      const { limit, cursor, ...q } = query;
      const page = await store.observations.listByDevice(device.id, q as never, { limit, cursor });
      return { items: page.items.map(observationView), nextCursor: page.nextCursor };
    },
  });
}
