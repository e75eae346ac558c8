/**
 * NCTS phase 5 (DESIGN §8, docs/exchange.md): a CC029C "release for transit" becomes a declared
 * movement; an incident leaves as a CC182C. The mapping is core's (core/exchange); this file loads,
 * checks what needs the store (offices exist), calls the registry and audits each document.
 */
import {
  asDeviceId,
  asIncidentId,
  asOfficeCode,
  buildCc182c,
  DomainError,
  importCc029c,
  toTimestamp,
  type DocumentFieldError,
  type Office,
} from '@sealwatch/core';
import { z } from 'zod';
import type { AppContext } from '../../app-context';
import { countryAt } from '../../transit/country-at';
import { recordDocument } from '../../exchange/document-audit';
import type { Api } from '../route';
import { idParams, isoTime } from '../schemas';
import { movementOut, movementView } from '../views';

const importQuery = z.object({
  timeLimit: isoTime.optional().describe('CC029C carries no time limit: the officer sets it here (or later)'),
  devices: z
    .string()
    .max(2000)
    .optional()
    .describe('comma-separated device ids to put on the movement (custody rules as for POST /movements)'),
  trader: z.string().max(200).optional().describe('the trader organisation whose movement this is'),
  corridorWidthM: z.coerce.number().positive().max(100_000).optional(),
});

export function nctsRoutes(api: Api, ctx: AppContext): void {
  const { store } = ctx;

  api.route({
    method: 'POST',
    url: '/api/v1/movements/import',
    operationId: 'importMovementCc029c',
    tag: 'exchange',
    auth: 'user',
    permission: 'movements.write',
    summary:
      'Declare a movement from an NCTS phase 5 CC029C "release for transit" (application/xml): MRN as reference, the container and seals of its TransportEquipment, offices by reference number',
    bodyContentTypes: ['application/xml'],
    body: z.string().min(1).max(1_000_000),
    query: importQuery,
    bodyLimit: 1_000_000,
    responses: {
      201: { description: 'The declared movement', schema: movementOut },
      409: { description: 'movement_exists: a movement with this MRN exists' },
      422: { description: 'unmappable_document: `errors` names each field that cannot be mapped (nothing is created)' },
    },
    handler: async ({ body, query, principal, actor, reply }) => {
      const audit = (status: number, subjects: string[]) =>
        recordDocument(ctx, { actor, direction: 'in', document: 'CC029C', bytes: body, subjects, status });
      const mapped = importCc029c(body);
      const errors: DocumentFieldError[] = mapped.ok ? [] : [...mapped.errors];
      for (const { path, code } of mapped.offices)
        if (!(await store.offices.get(asOfficeCode(code)))) errors.push({ path, message: `no office with reference number ${code}` });
      if (!mapped.ok || errors.length) {
        await audit(422, []);
        throw new DomainError('unmappable_document', `${errors.length} field(s) of the CC029C cannot be mapped: ${errors[0].path}`, {
          errors,
        });
      }
      const d = mapped.declaration;
      try {
        const m = await ctx.registry.createMovement(
          {
            reference: d.reference,
            container: d.container,
            vehicle: null,
            trader: query.trader ?? null,
            devices: (query.devices ?? '')
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
              .map(asDeviceId),
            seals: d.seals,
            departureOffice: asOfficeCode(d.departureOffice),
            destinationOffice: asOfficeCode(d.destinationOffice),
            transitOffices: d.transitOffices.map(asOfficeCode),
            route: null,
            corridorWidthM: query.corridorWidthM ?? 2000,
            authorizedStops: [],
            timeLimit: query.timeLimit ? toTimestamp(query.timeLimit) : null,
            sensorThresholds: [],
            checkpoints: [],
            hsChapter: null,
            originCountry: null,
          },
          principal,
        );
        await audit(201, [m.id]);
        reply.code(201);
        return movementView(m, await store.processing.deviceStates(m.devices), 0, null);
      } catch (e) {
        await audit(e instanceof DomainError ? 422 : 500, []);
        throw e;
      }
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/incidents/:id/cc182c',
    operationId: 'getIncidentCc182c',
    tag: 'exchange',
    auth: 'user',
    permission: 'alerts.read',
    summary:
      'The incident as an NCTS phase 5 CC182C "forwarded incident notification" (application/xml; code 2 seals broken, 1 itinerary deviation; location W with GNSS)',
    params: idParams,
    responses: {
      200: { description: 'CC182C, valid against the phase 5 XSD 51.8.6', contentType: 'application/xml' },
      422: { description: 'not_exportable: `errors` names what cannot be written (an incident without an NCTS code, a non-NCTS office)' },
    },
    handler: async ({ params, principal, actor, reply }) => {
      const incident = await store.incidents.get(asIncidentId(params.id));
      const movement = incident && (await store.movements.get(incident.movement));
      if (!incident || !movement || !(await ctx.scopes.canSee(principal, movement)))
        throw new DomainError('unknown_incident', `no incident with id ${params.id}`);
      const itinerary: Office[] = [];
      for (const code of [movement.departureOffice, ...(movement.transitOffices ?? []), movement.destinationOffice]) {
        const office = await store.offices.get(code);
        if (office) itinerary.push(office);
      }
      const country = (incident.position && countryAt(incident.position)) ?? null;
      // The office that registers it: the first of the itinerary in the incident's country, else the destination.
      const registration = itinerary.find((o) => o.country === country) ?? itinerary[itinerary.length - 1];
      const built = buildCc182c({
        incident,
        mrn: movement.reference,
        departureOffice: movement.departureOffice,
        registrationOffice: registration?.code ?? movement.destinationOffice,
        country: country ?? registration?.country ?? '',
        recipient: movement.trader ?? movement.departureOffice,
        messageId: ctx.newId().replace(/-/g, ''),
        preparedAt: ctx.now(),
      });
      if (!built.ok)
        throw new DomainError('not_exportable', `the incident cannot be written as a CC182C: ${built.errors[0].message}`, {
          errors: built.errors,
        });
      await recordDocument(ctx, {
        actor,
        direction: 'out',
        document: 'CC182C',
        bytes: built.xml,
        subjects: [movement.id, `incident:${incident.id}`],
        status: 200,
      });
      reply.type('application/xml; charset=utf-8');
      return built.xml;
    },
  });
}
