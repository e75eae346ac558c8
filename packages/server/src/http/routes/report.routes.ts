/** Trip reports of a movement: JSON for systems, printable HTML for officers (reports/). */
import { forReader, type Principal } from '@sealwatch/core';
import { z } from 'zod';
import type { AppContext } from '../../app-context';
import { buildTripReport } from '../../reports/trip-report';
import { renderTripReportHtml } from '../../reports/trip-report-html';
import type { Api } from '../route';
import { idParams } from '../schemas';

export function reportRoutes(api: Api, ctx: AppContext): void {
  // The report is cargo data: the movement must be in the caller's scope (404 otherwise).
  // A trader's report carries what happened and how it ended, not the customs side's notes.
  const load = async (principal: Principal, id: string) =>
    buildTripReport(ctx.store, await ctx.scopes.movement(principal, id), ctx.now(), (a) => forReader(a, principal));
  api.route({
    method: 'GET',
    url: '/api/v1/movements/:id/report',
    operationId: 'getTripReport',
    tag: 'movements',
    auth: 'user',
    permission: 'movements.read',
    summary:
      'Trip report: timeline of events and alerts with their resolution, track summary (distance, duration, stops), seal history, data gaps',
    params: idParams,
    responses: { 200: { description: 'The report', schema: z.record(z.string(), z.unknown()) } },
    handler: async ({ params, principal }) => load(principal, params.id),
  });
  api.route({
    method: 'GET',
    url: '/api/v1/movements/:id/report.html',
    operationId: 'getTripReportHtml',
    tag: 'movements',
    auth: 'user',
    permission: 'movements.read',
    summary: 'The trip report as a printable page (inline SVG map of the track over the corridor; no external resources)',
    params: idParams,
    responses: { 200: { description: 'HTML', contentType: 'text/html' } },
    handler: async ({ params, reply, principal }) => {
      reply.type('text/html; charset=utf-8');
      return renderTripReportHtml(await load(principal, params.id));
    },
  });
}
