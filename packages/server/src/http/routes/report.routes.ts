/** Trip reports of a movement: JSON for systems, printable HTML for officers (reports/). */
import { forReader, type Principal } from '@sealwatch/core';
import { z } from 'zod';
import type { AppContext } from '../../app-context';
import { buildTripReport } from '../../reports/trip-report';
import { readFileSync } from 'node:fs';
import { renderTripReportHtml, TRIP_REPORT_CSS_PATH } from '../../reports/trip-report-html';
import { reportLanguages } from '../../reports/trip-report-words';
import type { Api } from '../route';
import { idParams } from '../schemas';

/** The printable report's stylesheet, read once: it ships beside the renderer. */
const stylesheet = readFileSync(new URL('../../reports/trip-report.css', import.meta.url), 'utf8');

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
    summary:
      "The trip report as a printable page in English, French or Arabic (right to left): inline SVG map of the track over the corridor, this server's stylesheet, no script",
    params: idParams,
    query: z.object({ lang: z.enum(reportLanguages).default('en') }),
    responses: { 200: { description: 'HTML', contentType: 'text/html' } },
    handler: async ({ params, query, reply, request, principal }) => {
      reply.type('text/html; charset=utf-8');
      // Absolute: the console opens the page from a blob: URL, against which a path does not resolve.
      const css = `${request.protocol}://${request.host}${TRIP_REPORT_CSS_PATH}`;
      return renderTripReportHtml(await load(principal, params.id), { lang: query.lang, stylesheet: css });
    },
  });
  api.route({
    method: 'GET',
    url: TRIP_REPORT_CSS_PATH,
    operationId: 'getTripReportStylesheet',
    tag: 'movements',
    auth: 'public',
    summary: 'The stylesheet of the printable trip report (screen and print); public: it carries no data',
    responses: { 200: { description: 'CSS', contentType: 'text/css' } },
    handler: async ({ reply }) => {
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600');
      return stylesheet;
    },
  });
}
