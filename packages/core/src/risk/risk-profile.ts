/**
 * Risk profiles (standards §6): versioned, analyst-edited sets of indicators, each a condition
 * over the risk facts and a weight, plus the lane thresholds and rates of customs selectivity
 * (ASYCUDA MODSEL: red, yellow, blue, green; expected rates; a minimum random rate).
 * Serialisable JSON; `parseRiskProfile` is the one gate every stored or submitted profile passes.
 */
import { z } from 'zod';
import type { RiskFactName } from './risk-facts';
import { riskFactKinds, riskFactNames, riskLevels } from './risk-facts';

/** Selectivity lanes in order of intervention: red = physical examination, yellow = documentary check, blue = release with post-clearance audit, green = release. */
export const lanes = ['red', 'yellow', 'blue', 'green'] as const;
/** One selectivity lane. */
export type Lane = (typeof lanes)[number];

/** A leaf condition on one fact. `true` holds for a boolean fact that is true. */
export type FactCondition =
  | { fact: RiskFactName; op: 'eq'; value: number | boolean | string }
  | { fact: RiskFactName; op: 'gte' | 'lte'; value: number }
  | { fact: RiskFactName; op: 'in'; value: (number | string)[] }
  | { fact: RiskFactName; op: 'true' };
/** The closed condition language: a fact condition, or all / any / not of conditions. */
export type RiskCondition = FactCondition | { all: RiskCondition[] } | { any: RiskCondition[] } | { not: RiskCondition };

const finite = z.number().finite();
const factName = z.enum(riskFactNames as [RiskFactName, ...RiskFactName[]]);
const factCondition = z
  .union([
    z.strictObject({ fact: factName, op: z.literal('eq'), value: z.union([finite, z.boolean(), z.string().max(64)]) }),
    z.strictObject({ fact: factName, op: z.enum(['gte', 'lte']), value: finite }),
    z.strictObject({
      fact: factName,
      op: z.literal('in'),
      value: z
        .array(z.union([finite, z.string().max(64)]))
        .min(1)
        .max(200),
    }),
    z.strictObject({ fact: factName, op: z.literal('true') }),
  ])
  .superRefine((c, ctx) => {
    const problem = kindProblem(c as FactCondition);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Why a fact condition does not fit its fact's kind, or null when it does. */
function kindProblem(c: FactCondition): string | null {
  const kind = riskFactKinds[c.fact];
  const fits = (v: unknown) =>
    kind === 'number'
      ? typeof v === 'number'
      : kind === 'boolean'
        ? typeof v === 'boolean'
        : (riskLevels as readonly unknown[]).includes(v);
  if (c.op === 'true') return kind === 'boolean' ? null : `op "true" needs a boolean fact; ${c.fact} is a ${kind}`;
  if (c.op === 'gte' || c.op === 'lte') return kind === 'number' ? null : `op "${c.op}" needs a number fact; ${c.fact} is a ${kind}`;
  if (c.op === 'in') {
    if (kind === 'boolean') return `op "in" does not apply to the boolean fact ${c.fact}`;
    return c.value.every(fits)
      ? null
      : `every value of "in" must be a ${kind === 'level' ? riskLevels.join(' | ') : 'number'} for ${c.fact}`;
  }
  return fits(c.value) ? null : `value for ${c.fact} must be a ${kind === 'level' ? riskLevels.join(' | ') : kind}`;
}

/** Zod schema of a condition; nesting is bounded by the JSON size, not by the schema. */
export const riskConditionSchema: z.ZodType<RiskCondition> = z.lazy(() =>
  z.union([
    factCondition,
    z.strictObject({ all: z.array(riskConditionSchema).min(1).max(50) }),
    z.strictObject({ any: z.array(riskConditionSchema).min(1).max(50) }),
    z.strictObject({ not: riskConditionSchema }),
  ]),
) as z.ZodType<RiskCondition>;

/** An indicator: fires when its condition holds and then adds `weight` (log-odds) to the score. */
export const riskIndicatorSchema = z.strictObject({
  /** Stable upper-snake code, e.g. SEAL_TAMPERED; hit rates and calibration are kept per code. */
  code: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'must be UPPER_SNAKE_CASE, 2-64 characters'),
  description: z.string().min(1).max(500),
  /** static: known at declaration (trader, route, goods); device: needs the devices' data. */
  source: z.enum(['static', 'device']),
  condition: riskConditionSchema,
  /** Log-odds added when fired; negative weights lower the risk (AEO, clean trip). */
  weight: finite.min(-20).max(20),
});
/** One indicator of a profile. */
export type RiskIndicator = z.infer<typeof riskIndicatorSchema>;

const share = finite.min(0).max(1);
const scorePoint = finite.min(0).max(100);

/** The risk profile schema. Invariants: unique codes, red > yellow > blue thresholds, lane rates summing to 1, forced-red codes among the indicators. */
export const riskProfileSchema = z
  .strictObject({
    /** 1, 2, 3, …: every edit or accepted calibration makes a new version; scores record it. */
    version: z.number().int().min(1),
    name: z.string().min(1).max(200),
    /** The version this one was made from, null for a first profile. */
    basedOn: z.number().int().min(1).nullable(),
    note: z.string().max(2000),
    /** Log-odds of a hit when no indicator fires. */
    intercept: finite.min(-20).max(20),
    indicators: z.array(riskIndicatorSchema).min(1).max(200),
    /** Lowest score (0..100) of each lane; below `blue` is green. */
    thresholds: z.strictObject({ red: scorePoint, yellow: scorePoint, blue: scorePoint }),
    /** Expected share of movements per lane (0..1 each, summing to 1), the analyst's target to monitor. */
    laneRates: z.strictObject({ red: share, yellow: share, blue: share, green: share }),
    /** Minimum share of movements selected at random, 0..1. */
    randomRate: share,
    /** The lane a random selection promotes a movement to (at least). */
    randomLane: z.enum(['red', 'yellow']),
    /** Indicator codes that force red whatever the score. */
    forcedRed: z.array(z.string()).max(200),
  })
  .superRefine((p, ctx) => {
    const codes = p.indicators.map((i) => i.code);
    codes.forEach(
      (c, i) => codes.indexOf(c) !== i && ctx.addIssue({ code: 'custom', path: ['indicators', i, 'code'], message: `duplicate code ${c}` }),
    );
    const t = p.thresholds;
    if (!(t.red > t.yellow && t.yellow > t.blue))
      ctx.addIssue({ code: 'custom', path: ['thresholds'], message: 'must satisfy red > yellow > blue' });
    const sum = p.laneRates.red + p.laneRates.yellow + p.laneRates.blue + p.laneRates.green;
    if (Math.abs(sum - 1) > 1e-6) ctx.addIssue({ code: 'custom', path: ['laneRates'], message: `must sum to 1 (is ${sum})` });
    p.forcedRed.forEach(
      (c, i) => !codes.includes(c) && ctx.addIssue({ code: 'custom', path: ['forcedRed', i], message: `unknown indicator ${c}` }),
    );
  });
/** A validated risk profile (plain JSON). */
export type RiskProfile = z.infer<typeof riskProfileSchema>;

/** One problem of a rejected profile: a dotted path ("indicators.3.weight") and a message. */
export interface ProfileIssue {
  path: string;
  message: string;
}

/**
 * Validates a profile from JSON. Returns every problem at once (the analyst fixes them in one
 * go); the server answers them as a 400 with code `invalid_risk_profile`.
 */
export function parseRiskProfile(value: unknown): { ok: true; profile: RiskProfile } | { ok: false; issues: ProfileIssue[] } {
  const r = riskProfileSchema.safeParse(value);
  if (r.success) return { ok: true, profile: r.data };
  return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path.join('.') || '(profile)', message: i.message })) };
}
