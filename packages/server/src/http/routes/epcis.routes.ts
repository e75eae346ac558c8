/**
 * GS1 EPCIS 2.0 REST binding under /epcis (DESIGN §8, docs/exchange.md): the query interface over
 * the movements in the caller's scope, and capture (validated against GS1's JSON schema, then each
 * event as a seal state or reader reads through vendor ingest). Mapping: core/exchange/epcis*.ts.
 */
import {
  MAX_RECORDED_AHEAD_MS,
  canonicalJson,
  captureIntents,
  epcisQueryDocument,
  filterEpcisEvents,
  movementOfReading,
  toTimestamp,
  type EpcisQuery,
  type Principal,
} from '@sealwatch/core';
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context';
import type { CaptureJob } from '../../storage/capture-job-ports';
import { recordDocument } from '../../exchange/document-audit';
import { epcisEventsInScope } from '../../exchange/epcis-events';
import { epcisSchemaErrors } from '../../exchange/epcis-schema';
import { DomainError } from '@sealwatch/core';
import type { Api } from '../route';

const list = z
  .string()
  .max(4000)
  .transform((s) =>
    s
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  )
  .optional();
const time = z.string().datetime({ offset: true }).optional();
const eventsQuery = z.object({
  eventType: list,
  GE_eventTime: time,
  LT_eventTime: time,
  GE_recordTime: time,
  LT_recordTime: time,
  MATCH_epc: list,
  MATCH_anyEPC: list,
  EQ_bizStep: list,
  EQ_disposition: list,
  EQ_readPoint: list,
  perPage: z.coerce.number().int().min(1).max(1000).default(30),
  nextPageToken: z.string().max(200).optional(),
});

/** The installation's base URL as this request reached it: the prefix of its EPCIS identifiers. */
export const baseOf = (r: FastifyRequest) => `${r.protocol}://${r.host}`;

/**
 * One page of the EPCIS events in the caller's scope that satisfy every filter given, as an
 * EPCISQueryDocument under `queryName` (the next page's URL in the Link header), audited as a
 * document out. Shared by `GET /epcis/events` and a named query's `GET /epcis/queries/{name}/events`.
 */
export async function eventsPage(
  ctx: AppContext,
  call: { principal: Principal; actor: string; request: FastifyRequest; reply: FastifyReply },
  filters: EpcisQuery[],
  paging: { perPage: number; nextPageToken?: string },
  queryName: string,
): Promise<string> {
  const { principal, actor, request, reply } = call;
  const { perPage, nextPageToken } = paging;
  const offset = nextPageToken ? Number(Buffer.from(nextPageToken, 'base64url').toString()) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw new DomainError('invalid_cursor', 'nextPageToken is not one this server gave');
  let matching = await epcisEventsInScope(ctx.store, ctx.scopes, principal, baseOf(request));
  for (const f of filters) matching = filterEpcisEvents(matching, f);
  const page = matching.slice(offset, offset + perPage);
  if (offset + perPage < matching.length) {
    const next = new URLSearchParams(request.query as Record<string, string>);
    next.set('nextPageToken', Buffer.from(String(offset + perPage)).toString('base64url'));
    reply.header('link', `<${baseOf(request)}${request.url.split('?')[0]}?${next}>; rel="next"`);
  }
  const body = JSON.stringify(epcisQueryDocument(page, new Date(ctx.now()).toISOString(), queryName));
  await recordDocument(ctx, { actor, direction: 'out', document: 'EPCISQueryDocument', bytes: body, subjects: [], status: 200 });
  reply.type('application/ld+json');
  return body;
}

export function epcisRoutes(api: Api, ctx: AppContext): void {
  const { store } = ctx;

  api.route({
    method: 'GET',
    url: '/epcis/events',
    operationId: 'epcisQueryEvents',
    tag: 'exchange',
    auth: 'user',
    permission: 'movements.read',
    summary:
      'EPCIS 2.0 query: the ObjectEvents of the movements in your scope (eventType, GE_/LT_eventTime, GE_/LT_recordTime, MATCH_epc, MATCH_anyEPC, EQ_bizStep, EQ_disposition, EQ_readPoint; perPage and nextPageToken, next page in the Link header)',
    query: eventsQuery,
    responses: { 200: { description: 'EPCISQueryDocument (JSON-LD)', contentType: 'application/ld+json' } },
    handler: async ({ query, principal, actor, request, reply }) => {
      const { perPage, nextPageToken, ...filter } = query;
      return eventsPage(ctx, { principal, actor, request, reply }, [filter], { perPage, nextPageToken }, 'SimpleEventQuery');
    },
  });

  api.route({
    method: 'POST',
    url: '/epcis/capture',
    operationId: 'epcisCapture',
    tag: 'exchange',
    auth: 'user',
    permission: 'events.capture',
    summary:
      'EPCIS 2.0 capture of an EPCISDocument: seals applied or broken (container_closed / container_open on seal URIs of this installation) and reads by its readers (readPoint a device URI) become observations; 202 with the Location of the capture job',
    bodyContentTypes: ['application/json', 'application/ld+json'],
    body: z.record(z.string(), z.unknown()),
    bodyLimit: 4 * 1024 * 1024,
    responses: {
      202: { description: 'Captured: the job at Location tells what each event became' },
      400: { description: 'invalid_document: not an EPCISDocument valid against the GS1 EPCIS 2.0 JSON schema; nothing is stored' },
    },
    handler: async ({ body, principal, actor, request, reply }) => {
      const bytes = canonicalJson(body);
      const errors =
        body.type === 'EPCISDocument' || body.type === 'EPCISQueryDocument' ? epcisSchemaErrors(body) : ['/type: must be EPCISDocument'];
      if (errors.length) {
        await recordDocument(ctx, { actor, direction: 'in', document: 'EPCISDocument', bytes, subjects: [], status: 400 });
        throw new DomainError('invalid_document', `not a valid EPCIS 2.0 document: ${errors[0]}`, { errors });
      }
      const job: CaptureJob = {
        captureID: ctx.newId(),
        createdAt: new Date(ctx.now()).toISOString(),
        finishedAt: null,
        running: true,
        success: true,
        captureErrorBehaviour: 'proceed',
        errors: [],
        summary: { events: 0, observations: 0, duplicates: 0, refused: 0, ignored: 0 },
        owner: actor,
      };
      const intents = captureIntents(body, baseOf(request));
      job.summary.events = new Set(intents.map((i) => i.index)).size;
      const raw = Buffer.from(bytes);
      // Readings enter through their device owner's data path, as an integration's do: a reader's
      // reads are taken from its owner only (the platform: any), never from a party that merely sees it.
      const feeder = principal.organisation.kind === 'platform' ? {} : { feeder: principal.organisation.id };
      const ingestCtx = { transport: 'epcis', remote: request.ip };
      const subjects = new Set<string>();
      const refuse = (index: number, reason: string) => {
        job.summary.refused++;
        job.errors.push({ event: index, reason });
      };
      for (const intent of intents) {
        if (intent.kind === 'ignored') {
          job.summary.ignored++;
          continue;
        }
        if (Date.parse(intent.time) - ctx.now() > MAX_RECORDED_AHEAD_MS) {
          refuse(intent.index, `clock_skew: eventTime ${intent.time} is in the future`);
          continue;
        }
        let fact: Parameters<typeof ctx.integrations.devices.epcisFact>[0];
        if (intent.kind === 'reads') {
          const visible = await ctx.scopes.device(principal, intent.reader).then(
            () => true,
            () => false,
          );
          if (!visible) {
            refuse(intent.index, `no reader ${intent.reader} in your scope`);
            continue;
          }
          fact = { reader: intent.reader, epcs: intent.epcs, time: intent.time };
        } else {
          const device = await store.devices.findByIdentifier('sealNumber', intent.sealNumber);
          if (!device) {
            job.summary.ignored++;
            continue;
          }
          // The reading is filed under the movement armed at its eventTime, not the one the seal is on
          // now: it is that movement the caller must be a party to. Before the start, only from the
          // declaration on (the seal applied at the office).
          const at = toTimestamp(intent.time);
          const target = movementOfReading(await store.custody.armings(device.id), at);
          const movement = target && (await store.movements.get(target.movement));
          const inPeriod = !!movement && (target.armed || at >= movement.createdAt);
          if (!movement || !inPeriod || !(await ctx.scopes.canSee(principal, movement))) {
            refuse(intent.index, `outside_scope: seal ${intent.sealNumber} sealed no movement in your scope at ${intent.time}`);
            continue;
          }
          subjects.add(movement.id);
          fact = { device: device.id, state: intent.state, time: intent.time };
        }
        // A seal reading is the act of a party to its movement (checked above), a read is its reader's.
        const factCtx = 'reader' in fact ? { ...ingestCtx, ...feeder } : ingestCtx;
        for (const r of await ctx.integrations.devices.epcisFact(fact, raw, factCtx)) {
          if (r.status === 'accepted') job.summary.observations++;
          else if (r.status === 'duplicate') job.summary.duplicates++;
          else refuse(intent.index, `${r.reason ?? 'rejected'}`);
        }
      }
      job.running = false;
      job.finishedAt = new Date(ctx.now()).toISOString();
      await store.captureJobs.save(job);
      await recordDocument(ctx, { actor, direction: 'in', document: 'EPCISDocument', bytes, subjects: [...subjects], status: 202 });
      reply.code(202).header('location', `/epcis/capture/${job.captureID}`);
      return { captureID: job.captureID };
    },
  });

  api.route({
    method: 'GET',
    url: '/epcis/capture/:id',
    operationId: 'epcisCaptureJob',
    tag: 'exchange',
    auth: 'user',
    permission: 'events.capture',
    summary: 'An EPCIS capture job: running, success, and what each event became (kept in the database)',
    params: z.object({ id: z.string().min(1).max(128) }),
    responses: { 200: { description: 'The capture job' } },
    handler: async ({ params, actor, principal }) => {
      const job = await store.captureJobs.get(params.id);
      if (!job || (job.owner !== actor && !principal.roles.includes('admin')))
        throw new DomainError('unknown_capture_job', `no capture job ${params.id}`);
      const { owner: _owner, ...view } = job;
      return view;
    },
  });
}
