/** The risk analyst's routes: hit rates, KPIs, calibration proposals, the device cost model and advice, traders' AEO status. */
import { asOfficeCode, DomainError, toTimestamp, type Principal } from '@sealwatch/core';
import type { AppContext } from '../../app-context';
import { RiskAnalytics } from '../../risk/risk-analytics';
import { administrationOfCountry, INSTALLATION, riskLayerOf } from '../../risk/risk-administration';
import { getTraderInfo, putTraderInfo } from '../../risk/trader-info';
import type { Api } from '../route';
import {
  administrationQuery,
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
    summary:
      "Fit the weights of the profile active for the caller's administration to the inspection outcomes of the movements it scores, and propose the next version (not stored, not activated)",
    query: administrationQuery,
    body: calibrationBody,
    responses: { 200: { description: 'The proposed profile, the weight changes and the fit', schema: calibrationOut } },
    handler: async ({ body, query, principal }) =>
      analytics.calibrate(body, await riskLayerOf(ctx.store, principal, query.administration, 'write')),
  });
  api.route({
    method: 'GET',
    url: '/api/v1/risk/device-cost-model',
    operationId: 'getDeviceCostModel',
    tag,
    auth: 'user',
    permission: 'risk.read',
    summary:
      "The cost model the caller's administration's device advice uses (the installation's, or illustrative defaults, until the administration sets its own)",
    query: administrationQuery,
    responses: { 200: { description: 'The cost model', schema: costModelBody } },
    handler: async ({ query, principal }) => analytics.costModel(await riskLayerOf(ctx.store, principal, query.administration, 'read')),
  });
  api.route({
    method: 'PUT',
    url: '/api/v1/risk/device-cost-model',
    operationId: 'setDeviceCostModel',
    tag,
    auth: 'user',
    permission: 'risk.write',
    summary:
      "Set the caller's administration's cost model: per-class seal, rental, reader and monitoring costs and assurance, the examination cost, the random rate",
    query: administrationQuery,
    body: costModelBody,
    responses: { 200: { description: 'The stored cost model', schema: costModelBody } },
    handler: async ({ body, query, principal }) =>
      analytics.setCostModel(body, await riskLayerOf(ctx.store, principal, query.administration, 'write')),
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
    // The settings are those of the administration that would score the trip (its office of departure's),
    // else the caller's own administration's.
    handler: async ({ body, principal }) => {
      const departure = body.departureOffice ? await ctx.store.offices.get(asOfficeCode(body.departureOffice)) : null;
      const layer = departure
        ? await administrationOfCountry(ctx.store, departure.country)
        : principal.organisation.kind === 'customs'
          ? principal.organisation.id
          : INSTALLATION;
      return analytics.advise(principal.organisation.kind === 'trader' ? { ...body, trader: principal.organisation.id } : body, layer);
    },
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
    query: administrationQuery,
    responses: { 200: { description: 'The trader record', schema: traderOut } },
    // A trader nobody has rated is not an AEO: the record the engine then uses.
    handler: async ({ params, query, principal }) => {
      const layer = await riskLayerOf(ctx.store, principal, query.administration, 'read');
      // An administration reads the records of traders with movements in its jurisdiction.
      if ((await officesOf(principal)) && !(await ctx.scopes.movementsInScope(principal)).some((m) => m.trader === params.trader)) {
        throw new DomainError('unknown_organisation', `no trader ${params.trader} with movements in your jurisdiction`);
      }
      const info = await getTraderInfo(ctx.store.settings, params.trader, layer);
      return info
        ? { ...info, administration: info.administration ?? null }
        : { trader: params.trader, name: null, aeo: false, updatedAt: null, updatedBy: null, administration: null };
    },
  });
  api.route({
    method: 'PUT',
    url: '/api/v1/risk/traders/:trader',
    operationId: 'setRiskTrader',
    tag,
    auth: 'user',
    permission: 'risk.write',
    summary: "Set a trader's AEO status and name for the caller's administration (its TRADER_AEO indicator reads it)",
    params: traderParams,
    query: administrationQuery,
    body: traderBody,
    responses: { 200: { description: 'The trader record', schema: traderOut } },
    handler: async ({ params, query, body, actor, principal }) => {
      const layer = await riskLayerOf(ctx.store, principal, query.administration, 'write');
      const info = await putTraderInfo(
        ctx.store.settings,
        { trader: params.trader, name: body.name ?? null, aeo: body.aeo, updatedAt: toTimestamp(ctx.now()), updatedBy: actor },
        layer,
      );
      return { ...info, administration: info.administration ?? null };
    },
  });
}
