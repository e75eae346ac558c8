/**
 * Risk management: profile versions, a movement's assessment, officers' overrides and
 * inspection outcomes. The analyst's numbers (hit rates, KPIs, calibration, device advice, traders)
 * are in risk-analytics.routes.ts. Every route needs the admin token until roles map onto them.
 */
import { asMovementId } from '@sealwatch/core';
import type { AppContext } from '../../app-context';
import { riskLayerOf } from '../../risk/risk-administration';
import type { StoredRiskProfile } from '../../storage/ports';
import type { Api } from '../route';
import { idParams } from '../schemas';
import { pageOf } from '../views';
import { riskAnalyticsRoutes } from './risk-analytics.routes';
import { riskReferenceRoutes } from './risk-reference.routes';
import {
  administrationQuery,
  assessmentOut,
  inspectionBody,
  inspectionOut,
  movementRiskOut,
  overrideBody,
  profileBody,
  profileListQuery,
  profileOut,
  versionParams,
} from './risk.schemas';

export function riskRoutes(api: Api, ctx: AppContext): void {
  const { store, risk } = ctx;
  /** A version as the API shows it to an administration's layer: whose it is, and whether that layer uses it. */
  const profileView = (p: StoredRiskProfile, activeVersion: number | undefined) => ({
    ...p,
    administration: p.administration ?? null,
    active: activeVersion === p.version,
  });
  const activeFor = async (layer: string) => (await risk.activeProfile(layer).catch(() => null))?.version;
  const tag = 'risk';

  api.route({
    method: 'GET',
    url: '/api/v1/risk/profiles',
    operationId: 'listRiskProfiles',
    tag,
    auth: 'user',
    permission: 'risk.read',
    summary:
      "Risk profile versions of the caller's administration and the installation's, newest first; `active` marks the one its new assessments use",
    query: profileListQuery,
    responses: { 200: { description: 'A page of profile versions', schema: pageOf(profileOut) } },
    handler: async ({ query, principal }) => {
      const layer = await riskLayerOf(store, principal, query.administration, 'read');
      const page = await store.risk.listProfiles(query, { administration: layer });
      const active = await activeFor(layer);
      return { items: page.items.map((p) => profileView(p, active)), nextCursor: page.nextCursor };
    },
  });
  api.route({
    method: 'POST',
    url: '/api/v1/risk/profiles',
    operationId: 'createRiskProfile',
    tag,
    auth: 'user',
    permission: 'risk.write',
    summary:
      "Add a profile to the caller's administration as the next version (immutable; not active until activated). Every problem of an invalid profile is listed (invalid_risk_profile)",
    query: administrationQuery,
    body: profileBody,
    responses: { 201: { description: 'The stored version', schema: profileOut } },
    handler: async ({ body, query, actor, principal, reply }) => {
      const layer = await riskLayerOf(store, principal, query.administration, 'write');
      const { version: _ignored, ...input } = body;
      const stored = await risk.addProfile(input, actor, layer);
      reply.code(201);
      return profileView(stored, await activeFor(layer));
    },
  });
  api.route({
    method: 'GET',
    url: '/api/v1/risk/profiles/:version',
    operationId: 'getRiskProfile',
    tag,
    auth: 'user',
    permission: 'risk.read',
    summary: "One profile version (the caller's administration's or the installation's; the platform's and auditors': any)",
    params: versionParams,
    query: administrationQuery,
    responses: { 200: { description: 'The profile version', schema: profileOut } },
    handler: async ({ params, query, principal }) => {
      const layer = await riskLayerOf(store, principal, query.administration, 'read');
      const seesAll = query.administration === undefined && ['platform', 'auditor'].includes(principal.organisation.kind);
      const p = await risk.visibleProfile(params.version, seesAll ? null : layer);
      return profileView(p, await activeFor(layer));
    },
  });
  api.route({
    method: 'POST',
    url: '/api/v1/risk/profiles/:version/activate',
    operationId: 'activateRiskProfile',
    tag,
    auth: 'user',
    permission: 'risk.write',
    summary:
      "Make a version (the administration's own or the installation's) the one its new assessments use (earlier assessments keep the version they were scored with)",
    params: versionParams,
    query: administrationQuery,
    responses: { 200: { description: 'The activated version', schema: profileOut } },
    handler: async ({ params, query, actor, principal }) => {
      const layer = await riskLayerOf(store, principal, query.administration, 'write');
      return profileView(await risk.activateProfile(params.version, actor, layer), params.version);
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/movements/:id/risk',
    operationId: 'getMovementRisk',
    tag,
    auth: 'user',
    permission: 'risk.read',
    summary: "The movement's current risk assessment (null before any), every revision oldest first, and its inspection outcome",
    params: idParams,
    responses: { 200: { description: 'Assessment, history and inspection', schema: movementRiskOut } },
    handler: async ({ params, principal }) => {
      const id = (await ctx.scopes.movement(principal, params.id)).id;
      const history = await store.risk.assessmentHistory(id);
      return { assessment: history.at(-1) ?? null, history, inspection: await store.risk.getInspection(id) };
    },
  });
  api.route({
    method: 'POST',
    url: '/api/v1/movements/:id/risk/assess',
    operationId: 'assessMovementRisk',
    tag,
    auth: 'user',
    permission: 'risk.decide',
    summary: 'Score the movement with the active profile and select its lane now (also done automatically on arrival)',
    params: idParams,
    responses: { 200: { description: 'The new assessment revision', schema: assessmentOut } },
    handler: async ({ params, actor, principal }) =>
      (await ctx.scopes.movement(principal, params.id)) && risk.assess(asMovementId(params.id), 'request', actor),
  });
  api.route({
    method: 'POST',
    url: '/api/v1/movements/:id/risk/override',
    operationId: 'overrideMovementLane',
    tag,
    auth: 'user',
    permission: 'risk.decide',
    summary: 'Re-route the movement to another lane; the reason is mandatory (override_reason_required) and recorded with the officer',
    params: idParams,
    body: overrideBody,
    responses: { 200: { description: 'The new assessment revision', schema: assessmentOut } },
    handler: async ({ params, body, actor, principal }) =>
      (await ctx.scopes.movement(principal, params.id)) &&
      risk.override(asMovementId(params.id), { lane: body.lane, reason: body.reason, by: actor }),
  });
  api.route({
    method: 'POST',
    url: '/api/v1/movements/:id/inspection',
    operationId: 'recordInspection',
    tag,
    auth: 'user',
    permission: 'risk.decide',
    summary: 'Record what the inspection found (nothing_found, irregularity, seizure); feeds hit rates and calibration',
    params: idParams,
    body: inspectionBody,
    responses: { 200: { description: 'The recorded outcome', schema: inspectionOut } },
    handler: async ({ params, body, actor, principal }) =>
      (await ctx.scopes.movement(principal, params.id)) &&
      risk.inspect(asMovementId(params.id), { result: body.result, comment: body.comment, by: actor }),
  });

  riskAnalyticsRoutes(api, ctx);
  riskReferenceRoutes(api, ctx);
}
