/**
 * Request and response schemas of the risk API. A profile body is checked by core's
 * `parseRiskProfile` (every problem at once, as invalid_risk_profile), not here: its condition
 * language is recursive and its invariants span fields.
 */
import { z } from 'zod';
import {
  deviceCostModelSchema,
  inspectionResults,
  lanes,
  normaliseHsCode,
  referenceKeyProblem,
  riskLevels,
  riskReferenceKinds,
  type RiskReferenceKind,
} from '@sealwatch/core';

const ts = z.string().describe('UTC timestamp, ISO 8601 with milliseconds');
const json = z.record(z.string(), z.unknown());

export const versionParams = z.object({ version: z.coerce.number().int().min(1).max(1_000_000) });
export const traderParams = z.object({ trader: z.string().min(1).max(200) });
/** Whose risk settings: a customs administration's users always their own; the platform (and, to read, an auditor) any it names. */
export const administrationQuery = z.object({
  administration: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      "The customs administration whose risk settings to read or change (the platform: any; an auditor: any, to read). Default: the caller's own administration, or the installation's settings for the platform",
    ),
});
export const profileListQuery = administrationQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(512).optional(),
});
const layerOut = z
  .string()
  .nullable()
  .describe("The administration whose setting it is; null for the installation's, used where an administration has set none");

export const profileBody = json.describe(
  'A risk profile without `version` (the next free version is assigned): name, note, intercept, indicators, thresholds, laneRates, randomRate, randomLane, forcedRed; basedOn defaults to the active version. See docs/risk.md.',
);
export const overrideBody = z.object({
  lane: z.enum(lanes),
  // Optional here so that a missing reason is answered as override_reason_required (422), the officer's error, not a schema error.
  reason: z.string().max(2000).optional().describe('Mandatory: why the officer re-routes'),
});
export const inspectionBody = z.object({ result: z.enum(inspectionResults), comment: z.string().max(2000).optional() });
export const hitRatesQuery = z.object({ profileVersion: z.coerce.number().int().min(1).optional() });
export const kpiQuery = z.object({
  period: z.enum(['day', 'week', 'month', 'quarter', 'year']).default('month'),
  office: z.string().min(1).max(64).optional(),
  from: ts
    .refine((t) => !Number.isNaN(Date.parse(t)), 'an ISO 8601 time')
    .optional()
    .describe('decisions at or after this time'),
  to: ts
    .refine((t) => !Number.isNaN(Date.parse(t)), 'an ISO 8601 time')
    .optional()
    .describe('decisions before this time'),
});
export const calibrationBody = z
  .object({
    l2: z.number().finite().min(0).max(1000).optional().describe('L2 penalty on the weights (default 1)'),
    randomOnly: z.boolean().optional().describe('Fit on randomly selected inspections only (free of selection bias)'),
    minSupport: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .optional()
      .describe('Indicators that fired fewer times keep their weight (default 30)'),
  })
  .default({});
export const adviceBody = z.object({
  distanceKm: z.number().finite().min(0).max(50_000),
  durationH: z
    .number()
    .finite()
    .min(0)
    .max(24 * 90),
  readersOnRoute: z.number().int().min(0).max(10_000),
  score: z
    .number()
    .finite()
    .min(0)
    .max(100)
    .optional()
    .describe("Risk score 0..100; default: the trader's static score under the active profile"),
  trader: z.string().min(1).max(200).optional().describe("Whose static score to use (a trader's own users: always themselves)"),
  hsChapter: z
    .string()
    .max(16)
    .refine((c) => normaliseHsCode(c) !== null, 'an HS chapter or code')
    .optional(),
  originCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2')
    .optional(),
  departureOffice: z.string().min(1).max(64).optional(),
  destinationOffice: z.string().min(1).max(64).optional(),
});
/** A reference key as stored: country codes upper case, one-digit chapters padded. */
export const referenceKey = (kind: RiskReferenceKind, raw: string): string =>
  kind === 'origin_country' ? raw.toUpperCase() : kind === 'hs_chapter' && /^\d$/.test(raw) ? `0${raw}` : raw;
export const referenceParams = z.object({ kind: z.enum(riskReferenceKinds), key: z.string().min(1).max(200) }).superRefine((p, c) => {
  const problem = referenceKeyProblem(p.kind, referenceKey(p.kind, p.key));
  if (problem) c.addIssue({ code: 'custom', path: ['key'], message: `${p.kind} key: ${problem}` });
});
export const referenceListQuery = administrationQuery.extend({ kind: z.enum(riskReferenceKinds).optional() });
export const referenceBody = z.object({ level: z.enum(riskLevels), note: z.string().max(500).nullable().optional() });
export const referenceOut = z.object({
  kind: z.enum(riskReferenceKinds),
  key: z.string(),
  level: z.enum(riskLevels),
  note: z.string().nullable(),
  updatedAt: ts,
  updatedBy: z.string(),
  administration: layerOut,
});
export const traderBody = z.object({ aeo: z.boolean(), name: z.string().min(1).max(200).optional() });
export const costModelBody = deviceCostModelSchema;

export const profileOut = z.object({
  version: z.number(),
  profile: json,
  createdAt: ts,
  createdBy: z.string(),
  administration: layerOut,
  active: z.boolean().describe('Active for the administration whose settings were asked for'),
});
const laneOut = z.enum(lanes);
export const assessmentOut = z.object({
  id: z.string(),
  movement: z.string(),
  revision: z.number(),
  trader: z.string().nullable(),
  office: z.string(),
  cause: z.enum(['arrival', 'request', 'override']),
  facts: json,
  score: json,
  decision: json.describe('lane, action, reason, scoreLane, baselineLane, forcedBy, randomSelected, score, profileVersion, overrides'),
  profileVersion: z.number(),
  seed: z.number(),
  decidedAt: ts,
  decidedBy: z.string(),
});
export const movementRiskOut = z.object({
  assessment: assessmentOut.nullable(),
  history: z.array(assessmentOut),
  inspection: json.nullable(),
});
export const inspectionOut = z.object({
  movement: z.string(),
  trader: z.string().nullable(),
  office: z.string(),
  lane: laneOut,
  reason: z.string(),
  fired: z.array(z.string()),
  profileVersion: z.number(),
  result: z.enum(inspectionResults),
  comment: z.string().nullable(),
  by: z.string(),
  at: ts,
});
const rate = z.object({ inspections: z.number(), hits: z.number(), seizures: z.number(), hitRate: z.number().nullable() });
export const hitRatesOut = z.object({
  profileVersion: z.number().nullable(),
  overall: rate,
  byLane: z.record(z.string(), rate),
  byReason: z.record(z.string(), rate),
  byIndicator: z.array(rate.extend({ code: z.string() })),
});
export const kpisOut = z.object({ period: z.string(), items: z.array(json) });
export const calibrationOut = z.object({ proposal: json, changes: z.array(json), fit: json });
export const traderOut = z.object({
  trader: z.string(),
  name: z.string().nullable(),
  aeo: z.boolean(),
  updatedAt: ts.nullable(),
  updatedBy: z.string().nullable(),
  administration: layerOut,
});
export const adviceOut = z.object({
  score: z.number(),
  trip: json,
  recommended: z.string().nullable(),
  inspectionProbabilityWithout: z.number(),
  options: z.array(json),
});
