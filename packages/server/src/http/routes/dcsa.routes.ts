/**
 * DCSA Track & Trace (DESIGN §8, docs/exchange.md): T&T 2.2 EquipmentEvents under /dcsa/tnt/v2 and
 * the draft IoT events (DCSA IoT 1.0 / T&T 3.0) under /dcsa/tnt/v3, for the containers of the
 * movements in the caller's scope. Mapping: core/exchange/dcsa-tnt.ts. Every answer is audited
 * with its hash like the other exchange documents.
 */
import {
  areaCenter,
  DomainError,
  dcsaEquipmentEvents,
  dcsaIotEvents,
  dcsaSealType,
  type DcsaPlace,
  type DcsaSealType,
  type DomainEvent,
  type Movement,
  type Observation,
  type Principal,
} from '@sealwatch/core';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context';
import { recordDocument } from '../../exchange/document-audit';
import type { Api } from '../route';

const codes = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .max(200)
    .transform((s) => s.split(',').map((v) => v.trim()))
    .pipe(z.array(z.enum(values)))
    .optional();
const paging = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(100).optional(),
};
const v2Query = z.object({
  equipmentReference: z.string().min(1).max(15).optional(),
  eventType: codes(['SHIPMENT', 'TRANSPORT', 'EQUIPMENT']),
  equipmentEventTypeCode: codes(['LOAD', 'DISC', 'GTIN', 'GTOT', 'STUF', 'STRP', 'PICK', 'DROP', 'INSP', 'RSEA', 'RMVD']),
  ...paging,
});
const v3Query = z.object({
  equipmentReference: z.string().min(1).max(15).optional(),
  eventType: codes(['SHIPMENT', 'TRANSPORT', 'EQUIPMENT', 'IOT']),
  iotEventCode: codes(['DRO', 'DRC', 'LOC']),
  ...paging,
});
const MAX_PER_MOVEMENT = 10_000;
const DRAFT = 'DCSA IoT 1.0 / Track & Trace 3.0 (drafts, work in progress at DCSA)';

/** One page of `items` from the opaque cursor (an offset), with T&T's paging headers. */
function page<T>(items: T[], q: { limit: number; cursor?: string }, request: FastifyRequest, reply: FastifyReply): T[] {
  const offset = q.cursor ? Number(Buffer.from(q.cursor, 'base64url').toString()) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw new DomainError('invalid_cursor', 'cursor is not one this server gave');
  const url = (o: number) => {
    const next = new URLSearchParams(request.query as Record<string, string>);
    next.set('cursor', Buffer.from(String(o)).toString('base64url'));
    return `${request.url.split('?')[0]}?${next}`;
  };
  reply.header('current-page', url(offset));
  if (offset + q.limit < items.length) reply.header('next-page', url(offset + q.limit));
  return items.slice(offset, offset + q.limit);
}

export function dcsaRoutes(api: Api, ctx: AppContext): void {
  const { store } = ctx;

  const containersInScope = async (principal: Principal, equipmentReference?: string): Promise<Movement[]> =>
    (await ctx.scopes.movementsInScope(principal)).filter(
      (m) => m.container && (!equipmentReference || m.container === equipmentReference.toUpperCase()),
    );

  const allEvents = async (m: Movement): Promise<DomainEvent[]> => {
    const out: DomainEvent[] = [];
    for (const type of ['movement_started', 'movement_arrived']) {
      const got = await store.events.list({ movement: m.id, type }, { limit: 1000 });
      out.push(...got.items);
    }
    return out.sort((a, b) => a.time.localeCompare(b.time));
  };

  const send = async (actor: string, document: string, subjects: string[], body: unknown, reply: FastifyReply) => {
    const bytes = JSON.stringify(body);
    await recordDocument(ctx, { actor, direction: 'out', document, bytes, subjects, status: 200 });
    reply.type('application/json');
    return bytes;
  };

  api.route({
    method: 'GET',
    url: '/dcsa/tnt/v2/events',
    operationId: 'dcsaTntV2Events',
    tag: 'exchange',
    auth: 'user',
    permission: 'movements.read',
    summary:
      'DCSA Track & Trace 2.2 events of the containers of the movements in your scope: EquipmentEvents GTOT (gated out at the office of departure) and GTIN (gated in at the office of destination) with the customs seals (sealSource CUS); paged by limit/cursor with Current-Page and Next-Page headers',
    query: v2Query,
    responses: { 200: { description: 'A JSON array of T&T 2.2 EquipmentEvents', contentType: 'application/json' } },
    handler: async ({ query, principal, actor, request, reply }) => {
      reply.header('api-version', '2.2.0');
      const events = [];
      const subjects: string[] = [];
      const wantsEquipment = !query.eventType || query.eventType.includes('EQUIPMENT');
      for (const m of wantsEquipment ? await containersInScope(principal, query.equipmentReference) : []) {
        const offices: Record<string, DcsaPlace | undefined> = {};
        for (const code of [m.departureOffice, m.destinationOffice]) {
          const o = await store.offices.get(code);
          if (o) offices[code] = { name: o.name, position: areaCenter(o.area) };
        }
        const sealTypes: Record<string, DcsaSealType> = {};
        for (const id of m.devices) {
          const d = await store.devices.get(id);
          if (d?.identifiers.sealNumber) sealTypes[d.identifiers.sealNumber] = dcsaSealType(d.kind);
        }
        const mine = dcsaEquipmentEvents({ movement: m, events: await allEvents(m), offices, sealTypes }).filter(
          (e) => !query.equipmentEventTypeCode || query.equipmentEventTypeCode.includes(e.equipmentEventTypeCode),
        );
        if (mine.length) subjects.push(m.id);
        events.push(...mine);
      }
      events.sort((a, b) => a.eventDateTime.localeCompare(b.eventDateTime) || a.eventID.localeCompare(b.eventID));
      return send(actor, 'DCSA-TNT-2.2', subjects, page(events, query, request, reply), reply);
    },
  });

  api.route({
    method: 'GET',
    url: '/dcsa/tnt/v3/events',
    operationId: 'dcsaTntV3DraftEvents',
    tag: 'exchange',
    auth: 'user',
    permission: 'movements.read',
    summary: `DRAFT (${DRAFT}): IoT events of the containers of the movements in your scope while under customs control: DRO door opened, DRC door closed (a change of the door state its devices report), LOC a position fix; paged by limit/cursor`,
    query: v3Query,
    responses: { 200: { description: 'A draft document: {draft, standard, events}', contentType: 'application/json' } },
    handler: async ({ query, principal, actor, request, reply }) => {
      reply.header('api-version', '3.0.0-draft');
      reply.header('dcsa-draft', 'true');
      const events = [];
      const subjects: string[] = [];
      const wantsIot = !query.eventType || query.eventType.includes('IOT');
      for (const m of wantsIot ? await containersInScope(principal, query.equipmentReference) : []) {
        if (!m.startedAt) continue;
        const observations: Observation[] = [];
        for (const device of m.devices) {
          let cursor: string | null = null;
          do {
            const got = await store.observations.listByDevice(
              device,
              { from: m.startedAt, to: m.endedAt ?? undefined, order: 'asc' },
              { limit: 1000, cursor },
            );
            observations.push(...got.items);
            cursor = got.nextCursor;
          } while (cursor && observations.length < MAX_PER_MOVEMENT);
        }
        observations.sort((a, b) => a.time.localeCompare(b.time) || a.id - b.id);
        // Stable ids from the observation and code: the same event keeps its id across queries.
        const idOf = (o: number, code: string) => uuidOf(`${m.id}/${o}/${code}`);
        const mine = dcsaIotEvents(m.container!, observations, idOf).filter(
          (e) => !query.iotEventCode || query.iotEventCode.includes(e.iotEventCode),
        );
        if (mine.length) subjects.push(m.id);
        events.push(...mine);
      }
      // Stable sort by time: a door change stays before the position fix of the same report.
      events.sort((a, b) => a.eventDateTime.localeCompare(b.eventDateTime));
      const body = { draft: true, standard: DRAFT, events: page(events, query, request, reply) };
      return send(actor, 'DCSA-TNT-3.0-draft', subjects, body, reply);
    },
  });
}

/** A name-based UUID (the shape of version 5, from SHA-256): the same name gives the same id. */
function uuidOf(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
