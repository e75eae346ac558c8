/**
 * What each audited fact becomes in the trail. Entries hold hashes and facts, never secrets or
 * whole payloads (those stay in the observation store and the quarantine, tied by hash).
 */
import { createHash } from 'node:crypto';
import { canonicalJson, toTimestamp, type Alert, type DomainEvent, type Incident, type NewAuditEntry } from '@sealwatch/core';

const compact = (subjects: (string | null | undefined)[]) => [...new Set(subjects.filter((s): s is string => !!s))];

/** A device message answered accepted or duplicate (same ref: a resend is recorded once). */
export function messageEntry(m: {
  device: string;
  seq: number | null;
  hash: string;
  trust: string;
  protocol: string;
  transport: string;
  receivedAt: string;
}): NewAuditEntry {
  return {
    kind: 'device_message',
    ref: `msg:${m.device}:${m.seq ?? '-'}:${m.hash}`,
    time: toTimestamp(m.receivedAt),
    actor: `device:${m.device}`,
    subjects: [m.device],
    action: 'accepted',
    data: { seq: m.seq, payloadHash: m.hash, trust: m.trust, protocol: m.protocol, transport: m.transport },
  };
}

/** A rejected input, by its quarantine id and the hash of its raw bytes. */
export function rejectionEntry(r: {
  quarantineId: number;
  device: string | null;
  reason: string;
  raw: Buffer;
  transport: string;
  receivedAt: string;
}): NewAuditEntry {
  return {
    kind: 'device_message',
    ref: `quarantine:${r.quarantineId}`,
    time: toTimestamp(r.receivedAt),
    actor: r.device ? `device:${r.device}` : 'unknown',
    subjects: compact([r.device]),
    action: `rejected:${r.reason}`,
    data: { quarantineId: r.quarantineId, rawSha256: createHash('sha256').update(r.raw).digest('hex'), transport: r.transport },
  };
}

/**
 * One revision of an alert, recorded before the store writes it. The ref carries a digest of the
 * content: if a concurrent writer wins that revision (the store refuses ours with alert_changed),
 * the winner's content still gets its own entry; ours stays as an attempted change.
 */
export function alertEntry(a: Alert): NewAuditEntry {
  const lastChange = a.history.at(-1);
  const data = {
    alert: a.id,
    revision: a.revision,
    type: a.type,
    severity: a.severity,
    status: a.status,
    time: a.time,
    lastTime: a.lastTime,
    count: a.count,
    details: a.details,
    assignee: a.assignee,
    outcome: a.outcome,
    comment: a.comment,
  };
  const digest = createHash('sha256').update(canonicalJson(data)).digest('hex').slice(0, 16);
  return {
    kind: 'alert',
    ref: `alert:${a.id}:${a.revision}:${digest}`,
    time: a.updatedAt,
    actor: lastChange?.by ? `user:${lastChange.by}` : 'system',
    subjects: compact([a.movement, a.device, `alert:${a.id}`]),
    action: `alert_${lastChange?.action ?? 'opened'}`,
    data,
  };
}

/** One revision of an incident (grouping, acknowledgement, assignment, notes, closing), recorded before the store writes it, as alerts. */
export function incidentEntry(i: Incident): NewAuditEntry {
  const lastChange = i.history.at(-1);
  const data = {
    incident: i.id,
    revision: i.revision,
    code: i.code,
    status: i.status,
    severity: i.severity,
    openedAt: i.openedAt,
    lastTime: i.lastTime,
    alerts: i.alerts,
    seals: i.seals,
    container: i.container,
    assignee: i.assignee,
    outcome: i.outcome,
    change: lastChange ?? null,
  };
  const digest = createHash('sha256').update(canonicalJson(data)).digest('hex').slice(0, 16);
  return {
    kind: 'alert',
    ref: `incident:${i.id}:${i.revision}:${digest}`,
    time: i.updatedAt,
    actor: lastChange?.by ? `user:${lastChange.by}` : 'system',
    subjects: compact([i.movement, ...i.devices, `incident:${i.id}`]),
    action: `incident_${lastChange?.action ?? 'opened'}`,
    data,
  };
}

/** A detected event. */
export function eventEntry(e: DomainEvent): NewAuditEntry {
  return {
    kind: 'event',
    ref: `event:${e.id}`,
    time: e.createdAt,
    actor: 'system',
    subjects: compact([e.movement, e.device]),
    action: e.type,
    data: { event: e.id, time: e.time, details: e.details, observation: e.observation },
  };
}

/** A change made through the API by an authenticated actor. */
export function actionEntry(a: {
  id: string;
  actor: string;
  operation: string;
  method: string;
  path: string;
  subjects: string[];
  body: unknown;
  status: number;
  at: number;
}): NewAuditEntry {
  const secrets: string[] = [];
  const redacted = a.body === undefined ? undefined : withoutSecrets(a.body, '', secrets);
  const body = redacted === undefined ? null : createHash('sha256').update(JSON.stringify(redacted)).digest('hex');
  return {
    kind: 'user_action',
    ref: `action:${a.id}`,
    time: toTimestamp(a.at),
    actor: a.actor,
    subjects: compact(a.subjects),
    action: a.operation,
    data: { method: a.method, path: a.path, bodySha256: body, status: a.status, ...(secrets.length ? { secretsGiven: secrets } : {}) },
  };
}

/**
 * Members whose value is a secret (a password, a JT701's six-character unlock password, a TOTP
 * code, an HS256 secret or content key, a private JWK): a hash of a short secret is found by trying
 * them all, so the trail records that one was given (its path), never its value or a hash of it.
 */
const SECRET_MEMBERS = new Set(['password', 'secret', 'signatureToken', 'totp', 'contentKey', 'privateJwk', 'd', 'k']);

/** A copy of `v` with every secret member's value replaced; their paths are pushed to `found`. */
function withoutSecrets(v: unknown, path: string, found: string[]): unknown {
  if (Array.isArray(v)) return v.map((x, i) => withoutSecrets(x, `${path}[${i}]`, found));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v)) {
    const at = path ? `${path}.${key}` : key;
    if (SECRET_MEMBERS.has(key) && value !== undefined && value !== null) {
      found.push(at);
      out[key] = '(secret)';
    } else out[key] = withoutSecrets(value, at, found);
  }
  return out;
}

/**
 * An exchange document in or out (NCTS, EPCIS, DCSA, EDIFACT: docs/exchange.md): its standard,
 * direction and SHA-256 of the exact bytes, so a party can later prove what it sent or was sent.
 */
export function documentEntry(d: {
  id: string;
  actor: string;
  direction: 'in' | 'out';
  /** e.g. `CC029C`, `CC182C`, `EPCISDocument`, `EPCISQueryDocument`, `DCSA-TNT-2.2`, `IFTSTA`. */
  document: string;
  bytes: string;
  subjects: string[];
  status: number;
  at: number;
}): NewAuditEntry {
  return {
    kind: 'user_action',
    ref: `document:${d.id}`,
    time: toTimestamp(d.at),
    actor: d.actor,
    subjects: compact(d.subjects),
    action: `exchange.${d.direction}:${d.document}`,
    data: { sha256: createHash('sha256').update(d.bytes).digest('hex'), bytes: Buffer.byteLength(d.bytes), status: d.status },
  };
}
