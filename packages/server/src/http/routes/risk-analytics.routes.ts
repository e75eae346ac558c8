/** The risk analyst's routes: hit rates, KPIs, calibration proposals, the device cost model and advice, traders' AEO status. */
import { DomainError, toTimestamp, type Principal } from '@sealwatch/core';
import type { AppContext } from '../../app-context';
import { RiskAnalytics } from '../../risk/risk-analytics';
import { getTraderInfo, putTraderInfo } from '../../risk/trader-info';
import type { Api } from '../route';
import {
  adviceBody,
  adviceOut,
  calibrationBody,
  calibrationOut,
  costModelBody,
  hitRatesOut,
  hitRatesQuery,
  kpiQuery,
  kpisOut,
  traderBody,
  traderOut,
  traderParams,
} from './risk.schemas';

export function riskAnalyticsRoutes(api: Api, ctx: AppContext): void {
  const analytics = new RiskAnalytics({ store: ctx.store, risk: ctx.risk });
  const tag = 'risk';
  /** A customs administration's offices (its jurisdiction); null for a full scope. */
  const officesOf = async (principal: Principal): Promise<Set<string> | null> => {
    const v = await ctx.scopes.movementVisibility(principal);
    if (v === 'all') return null;
    return new Set(v !== 'none' && 'offices' in v ? v.offices : []);
  };

  api.route({
    method: 'GET',
    url: '/api/v1/risk/hit-rates',
    operationId: 'getRiskHitRates',
    tag,
    auth: 'user',
    permission: 'risk.read',
    summary: 'Hit rates of recorded inspections: overall, per lane, per selection reason (random = unbiased baseline), per indicator',
    query: hitRatesQuery,
    responses: { 200: { description: 'Hit rates', schema: hitRatesOut } },
    handler: async ({ query, principal }) =>
      analytics.hitRates({ profileVersion: query.profileVersion }, (await officesOf(principal)) ?? undefined),
  });
  api.route({
    method: 'GET',
    url: '/api/v1/risk/kpis',
    operationId: 'getRiskKpis',
    tag,
    auth: 'user',
    permission: 'risk.read',
    summary:
      'KPIs per office and UTC period: lane counts, inspection rate, hit rate, clearance time, inspections avoided (office `*`: all offices)',
    query: kpiQuery,
    responses: { 200: { description: 'One row per office and period', schema: kpisOut } },
    handler: async ({ query, principal }) => {
      // An administration sees its own offices' rows, and totals over those offices only.
      const offices = await officesOf(principal);
      const window = { from: query.from ? toTimestamp(query.from) : undefined, to: query.to ? toTimestamp(query.to) : undefined };
      return { period: query.period, items: await analytics.kpis(query.period, query.office, window, offices ?? undefined) };
    },
  });
  api.route({
    method: 'POST',
    url: '/api/v1/risk/calibrations',
    operationId: 'proposeRiskCalibration',
    tag,
    auth: 'user',
    permission: 'risk.write',
    summary: "Fit the active profile's weights to the inspection outcomes and propose the next version (not stored, not activated)",
    body: calibrationBody,
    responses: { 200: { description: 'The proposed profile, the weight changes and the fit', schema: calibrationOut } },
    handler: async ({ body }) => analytics.calibrate(body),
  });
  api.route({
    method: 'GET',
    url: '/api/v1/risk/device-cost-model',
    operationId: 'getDeviceCostModel',
    tag,
    auth: 'user',
    permission: 'risk.read',
    summary: 'The cost model device advice uses (illustrative defaults until the administration sets its own)',
    responses: { 200: { description: 'The cost model', schema: costModelBody } },
    handler: async () => analytics.costModel(),
  });
  api.route({
    method: 'PUT',
    url: '/api/v1/risk/device-cost-model',
    operationId: 'setDeviceCostModel',
    tag,
    auth: 'user',
    permission: 'risk.write',
    summary: 'Set the cost model: per-class seal, rental, reader and monitoring costs and assurance, the examination cost, the random rate',
    body: costModelBody,
    responses: { 200: { description: 'The stored cost model', schema: costModelBody } },
    handler: async ({ body }) => analytics.setCostModel(body),
  });
  api.route({
    method: 'POST',
    url: '/api/v1/risk/device-advice',
    operationId: 'adviseDeviceClass',
    tag,
    auth: 'user',
    permission: 'risk.advice',
    summary: 'Rank passive, semi-active and active devices for a planned trip by expected cost (rental, readers, expected examinations)',
    body: adviceBody,
    responses: { 200: { description: 'Options, cheapest first, and the recommended class', schema: adviceOut } },
    // A trader's users get advice on their own record only: another trader's history is not theirs to probe.
    handler: async ({ body, principal }) =>
      analytics.advise(principal.organisation.kind === 'trader' ? { ...body, trader: principal.organisation.id } : body),
  });
  api.route({
    method: 'GET',
    url: '/api/v1/risk/traders/:trader',
    operationId: 'getRiskTrader',
    tag,
    auth: 'user',
    permission: 'risk.read',
    summary: "A trader's AEO status and name as the risk engine sees them (not an AEO until set)",
    params: traderParams,
    responses: { 200: { description: 'The trader record', schema: traderOut } },
    // A trader nobody has rated is not an AEO: the record the engine then uses.
    handler: async ({ params, principal }) => {
      // An administration reads the records of traders with movements in its jurisdiction.
      if ((await officesOf(principal)) && !(await ctx.scopes.movementsInScope(principal)).some((m) => m.trader === params.trader)) {
        throw new DomainError('unknown_organisation', `no trader ${params.trader} with movements in your jurisdiction`);
      }
      return (
        (await getTraderInfo(ctx.store.settings, params.trader)) ?? {
          trader: params.trader,
          name: null,
          aeo: false,
          updatedAt: null,
          updatedBy: null,
        }
      );
    },
  });
  api.route({
    method: 'PUT',
    url: '/api/v1/risk/traders/:trader',
    operationId: 'setRiskTrader',
    tag,
    auth: 'user',
    permission: 'risk.write',
    summary: "Set a trader's AEO status and name (the TRADER_AEO indicator reads it)",
    params: traderParams,
    body: traderBody,
    responses: { 200: { description: 'The trader record', schema: traderOut } },
    handler: async ({ params, body, actor }) =>
      putTraderInfo(ctx.store.settings, {
        trader: params.trader,
        name: body.name ?? null,
        aeo: body.aeo,
        updatedAt: toTimestamp(ctx.now()),
        updatedBy: actor,
      }),
  });
}
