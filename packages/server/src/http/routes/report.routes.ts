/** Trip reports of a movement: JSON for systems, printable HTML for officers (reports/). */
import { asMovementId, DomainError } from '@sealwatch/core';
import { z } from 'zod';
import type { AppContext } from '../../app-context';
import { buildTripReport } from '../../reports/trip-report';
import { renderTripReportHtml } from '../../reports/trip-report-html';
import type { Api } from '../route';
import { idParams } from '../schemas';

export function reportRoutes(api: Api, ctx: AppContext): void {
  const load = async (id: string) => {
    const m = await ctx.store.movements.get(asMovementId(id));
    if (!m) throw new DomainError('unknown_movement', `no movement with id ${id}`);
    return buildTripReport(ctx.store, m, Date.now());
  };
  api.route({
    method: 'GET', url: '/api/v1/movements/:id/report', operationId: 'getTripReport', tag: 'movements', auth: 'admin',
    summary: 'Trip report: timeline of events and alerts with their resolution, track summary (distance, duration, stops), seal history, data gaps',
    params: idParams, responses: { 200: { description: 'The report', schema: z.record(z.string(), z.unknown()) } },
    handler: async ({ params }) => load(params.id),
  });
  api.route({
    method: 'GET', url: '/api/v1/movements/:id/report.html', operationId: 'getTripReportHtml', tag: 'movements', auth: 'admin',
    summary: 'The trip report as a printable page (inline SVG map of the track over the corridor; no external resources)',
    params: idParams, responses: { 200: { description: 'HTML', contentType: 'text/html' } },
    handler: async ({ params, reply }) => {
      reply.type('text/html; charset=utf-8');
      return renderTripReportHtml(await load(params.id));
    },
  });
}
