/**
 * What the API shows of each domain object, and the response schemas for the OpenAPI
 * document. Secrets never leave: an HS256 device key is shown as its algorithm only.
 */
import { z } from 'zod';
import { worstSeal, type Device, type DeviceState, type Movement, type Observation } from '@sealwatch/core';
import { areaSchema, createMovementSchema, deviceKeySchema } from './schemas';
import type { RiskAssessment } from '../storage/ports';
import { withinPeriods } from '../access/scope';

/**
 * A device with its last known state. `cargo: false` (a device provider) keeps the health (last
 * seen, battery) and leaves out where the cargo is and the state of its seal: those belong to the
 * parties to the movement.
 */
export function deviceView(d: Device, state: DeviceState | null, options: { cargo: boolean } = { cargo: true }) {
  const key = d.key ? (d.key.alg === 'HS256' ? { alg: d.key.alg } : { alg: d.key.alg, jwk: d.key.jwk }) : null;
  if (!options.cargo) state = state && { ...state, position: null, seal: null };
  return {
    ...d,
    key,
    lastSeenAt: state?.lastReceivedAt ?? null,
    lastTime: state?.lastTime ?? null,
    lastSeq: state?.lastSeq ?? null,
    position: state?.position ?? null,
    seal: state?.seal ?? null,
    battery: state?.battery ?? null,
  };
}

/** An observation without its raw bytes (those are evidence, served on request only). */
export function observationView(o: Observation) {
  const { raw: _raw, ...rest } = o;
  return rest;
}

/** A movement's current risk in its item (DESIGN §6): the score, the lane, the indicators that fired and the profile version; null before any assessment. */
export function riskSummary(a: RiskAssessment | null | undefined) {
  if (!a) return null;
  const indicators = a.score.indicators.filter((r) => r.fired).map((r) => ({ code: r.code, contribution: r.contribution }));
  return { score: a.score.score, lane: a.decision.lane, indicators, profileVersion: a.profileVersion, reason: a.decision.reason };
}

/** The live picture of a movement from its devices' states: latest position, worst seal. */
export function movementView(m: Movement, states: DeviceState[], openAlerts: number, risk?: RiskAssessment | null) {
  // Only a fix made while the movement is under way is its position: before its start (or after its
  // end) the device was nobody's cargo, or another's, and declaring a movement must not reveal it.
  const armedPeriods = m.startedAt ? [{ from: m.startedAt, to: m.endedAt }] : [];
  const armed = (t: string) => withinPeriods(t, armedPeriods);
  const withPos = states
    .filter((s) => s.position && s.positionTime && armed(s.positionTime))
    .sort((a, b) => (a.positionTime! < b.positionTime! ? 1 : -1));
  const lowest = states.filter((s) => s.battery?.level !== undefined).sort((a, b) => a.battery!.level! - b.battery!.level!)[0];
  return {
    ...m,
    live: {
      position: withPos[0]?.position ?? null,
      positionTime: withPos[0]?.positionTime ?? null,
      seal: worstSeal(states.map((s) => s.seal)),
      battery: lowest?.battery ?? null,
      lastSeenAt:
        states
          .map((s) => s.lastReceivedAt)
          .filter(Boolean)
          .sort()
          .at(-1) ?? null,
      openAlerts,
    },
    risk: riskSummary(risk),
  };
}

const ts = z.string().describe('UTC timestamp, ISO 8601 with milliseconds');
const positionOut = z.object({
  lat: z.number(),
  lon: z.number(),
  accuracy: z.number().optional(),
  speed: z.number().optional(),
  heading: z.number().optional(),
  source: z.string().optional(),
});
const sealOut = z.object({ state: z.string().optional(), rope: z.string().optional(), lock: z.string().optional() });

export const officeOut = z.object({ code: z.string(), name: z.string(), country: z.string(), area: areaSchema, createdAt: ts });
export const deviceOut = z.object({
  id: z.string(),
  class: z.string(),
  kind: z.string(),
  protocol: z.string(),
  identifiers: z.record(z.string(), z.string()),
  reportIntervalS: z.number().nullable(),
  key: deviceKeySchema.or(z.object({ alg: z.literal('HS256') })).nullable(),
  owner: z.string().nullable(),
  createdAt: ts,
  location: z.object({ lat: z.number(), lon: z.number(), accuracy: z.number().optional() }).optional(),
  band: z.string().optional(),
  lastSeenAt: ts.nullable(),
  lastTime: ts.nullable(),
  lastSeq: z.number().nullable(),
  position: positionOut.nullable(),
  seal: sealOut.nullable(),
  battery: z.object({ level: z.number().optional(), voltage: z.number().optional() }).nullable(),
});
const controlResultsOut = z.object({
  result: z.enum(['A1', 'A2', 'A3', 'A4', 'A5', 'B1']),
  stateOfSeals: z.enum(['ok', 'not_ok']),
  comment: z.string().optional(),
  time: z.string(),
});
export const movementOut = createMovementSchema.safeExtend({
  id: z.string(),
  status: z.enum(['declared', 'in_transit', 'arrived', 'ended', 'held']),
  createdAt: ts,
  startedAt: ts.nullable(),
  arrivedAt: ts.nullable(),
  endedAt: ts.nullable(),
  updatedAt: ts,
  live: z
    .object({
      position: positionOut.nullable(),
      positionTime: ts.nullable(),
      seal: sealOut.nullable(),
      battery: z.object({ level: z.number().optional() }).nullable(),
      lastSeenAt: ts.nullable(),
      openAlerts: z.number(),
    })
    .optional(),
  risk: z
    .object({
      score: z.number().describe('0..100'),
      lane: z.enum(['red', 'yellow', 'blue', 'green']),
      profileVersion: z.number(),
      indicators: z
        .array(z.object({ code: z.string(), contribution: z.number() }))
        .describe('the indicators that fired, with their log-odds'),
      reason: z.enum(['forced', 'score', 'random', 'override']),
    })
    .nullable()
    .optional()
    .describe('the current risk assessment; null before the first (on arrival or on request)'),
  origin: z
    .object({
      partner: z.string(),
      movement: z.string(),
      leftAt: z
        .string()
        .optional()
        .describe('when it left this country, as the partner said (a border crossing out): nothing made after is taken here'),
    })
    .optional()
    .describe("a partner administration's movement copied here (docs/federation.md): read-only except arrive and control results"),
  controlResults: controlResultsOut.optional().describe('on a partner movement: the control results recorded here'),
  sharedWith: z
    .array(z.object({ partner: z.string(), controlResults: controlResultsOut.nullable() }))
    .optional()
    .describe('on a movement of ours: the partner administrations it was announced to, with their control results'),
});
export const observationOut = z.object({
  id: z.number(),
  device: z.string(),
  seq: z.number().nullable(),
  time: ts,
  receivedAt: ts,
  late: z.boolean(),
  position: positionOut.nullable(),
  seal: sealOut.nullable(),
  door: z.string().nullable(),
  sensors: z.record(z.string(), z.number()).nullable(),
  battery: z.object({ level: z.number().optional(), voltage: z.number().optional() }).nullable(),
  reads: z.array(z.record(z.string(), z.unknown())).nullable(),
  attributes: z.record(z.string(), z.unknown()).nullable(),
  trust: z.enum(['signed', 'hmac', 'unverified', 'federated']),
  protocol: z.string(),
  hash: z.string(),
});
export const eventOut = z.object({
  id: z.string(),
  type: z.string(),
  movement: z.string().nullable(),
  device: z.string().nullable(),
  time: ts,
  details: z.record(z.string(), z.unknown()),
  observation: z.number().nullable(),
  createdAt: ts,
});
export const alertOut = z.object({
  id: z.string(),
  type: z.string(),
  severity: z.enum(['critical', 'major', 'minor', 'warning']),
  status: z.enum(['open', 'acknowledged', 'assigned', 'resolved']),
  movement: z.string().nullable(),
  device: z.string().nullable(),
  time: ts,
  lastTime: ts,
  count: z.number(),
  details: z.record(z.string(), z.unknown()),
  assignee: z.string().nullable(),
  outcome: z.enum(['confirmed', 'false_alarm']).nullable(),
  comment: z.string().nullable(),
  history: z.array(z.record(z.string(), z.unknown())),
  createdAt: ts,
  updatedAt: ts,
  revision: z.number().describe('1 when opened, one more per change'),
});
export const quarantineOut = z.object({
  id: z.number(),
  receivedAt: ts,
  transport: z.string(),
  remote: z.string().nullable(),
  reason: z.string(),
  detail: z.string(),
  device: z.string().nullable(),
  seq: z.number().nullable(),
  raw: z.string().describe('raw bytes, base64'),
});
export const ingestOut = z.object({
  results: z.array(
    z.object({
      device: z.string().nullable(),
      seq: z.number().nullable(),
      status: z.enum(['accepted', 'duplicate', 'rejected']),
      reason: z.string().optional(),
      detail: z.string().optional(),
    }),
  ),
});
export const pageOf = (item: z.ZodType) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
