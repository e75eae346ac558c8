/**
 * The federation inbox (POST /api/v1/federation/inbox, DESIGN §8). A message is checked in this
 * order: a JWS compact with an EdDSA signature and a kid `<administration>/<key id>`; the sender an
 * active partner (403); the key one of its pinned keys and the signature good (401); the payload a
 * message from that partner to us; already taken (200, nothing changes); within our own agreement
 * with the sender (403); about a movement we share with it (422). Then it is applied and answered
 * 202. Every refusal is quarantined with the raw message and audited; every message taken is audited.
 */
import { createHash } from 'node:crypto';
import type { QuarantineBudget } from '../ingest/quarantine-budget';
import { z } from 'zod';
import {
  afterLeaving,
  assertOfficeArea,
  asDeviceId,
  asEventId,
  asMovementId,
  asOfficeCode,
  controlResultCodes,
  crossingScope,
  endedStatuses,
  DomainError,
  exceedsAgreement,
  federationMessageTypes,
  incidentCodes,
  parseFederationKid,
  sharedFeedDevice,
  toTimestamp,
  type DomainEvent,
  type FederationMessage,
  type Incident,
  type IncidentId,
  type LatLon,
  type Movement,
  type MovementId,
  type Office,
  type Position,
  type RejectReason,
  type SealReading,
} from '@sealwatch/core';
import { parseCompactJws } from '../ingest/jws';
import type { AuditTrail } from '../audit/audit-trail';
import type { StreamBus } from '../stream/stream-bus';
import type { FederationStore, Partner } from '../storage/federation-ports';
import type { IncidentStore } from '../storage/incident-ports';
import type { DeviceStore, MovementStore, ObservationStore, OfficeStore, ProcessingStore, QuarantineStore } from '../storage/ports';
import { verifyFederationSignature } from './federation-keys';
import { federationEntry, touchPartner } from './outbox';
import { originCause } from './relay';
import { createOfficeSchema, isoTime } from '../http/schemas';

const messageSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.enum(federationMessageTypes),
  from: z.string().min(1),
  to: z.string().min(1),
  movement: z.string().min(1).max(200),
  time: isoTime,
  body: z.record(z.string(), z.unknown()),
});
const latLon = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });
// The same rules as an office registered here: a partner's message defines no office of another shape.
const office = createOfficeSchema;
const country = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code');
const bodies = {
  anticipated_arrival: z.object({
    reference: z.string().min(1),
    container: z.string().nullable(),
    seals: z.array(z.string()),
    departureOffice: office,
    destinationOffice: office,
    transitOffices: z.array(office),
    route: z.object({ type: z.literal('LineString'), coordinates: z.array(z.array(z.number())) }).nullable(),
    corridorWidthM: z.number(),
    startedAt: isoTime.nullable(),
    timeLimit: isoTime.nullable(),
    trader: z.string().nullable().optional(),
    goods: z.object({ hsChapter: z.string().nullable(), originCountry: z.string().nullable() }).optional(),
    driver: z.object({ vehicle: z.string().nullable() }).optional(),
    vehiclePseudonym: z.string().min(1).max(100).optional(),
  }),
  border_crossed: z.object({ time: isoTime, from: country, to: country, position: latLon.optional() }),
  position: z.object({
    time: isoTime,
    position: latLon
      .extend({
        accuracy: z.number().min(0).optional(),
        speed: z.number().min(0).optional(),
        heading: z.number().min(0).max(360).optional(),
        source: z.string().max(20).optional(),
      })
      .optional(),
    seal: z
      .object({ state: z.string().max(40) })
      .passthrough()
      .optional(),
    sensors: z.record(z.string().max(64), z.number()).optional(),
  }),
  incident: z.object({
    id: z.string().min(1),
    code: z.enum(incidentCodes),
    status: z.enum(['open', 'closed']),
    severity: z.enum(['critical', 'major', 'minor', 'warning']),
    openedAt: isoTime,
    position: latLon.optional(),
    container: z.string().nullable(),
    seals: z.array(z.string()),
  }),
  arrived: z.object({ time: isoTime }),
  control_results: z.object({
    result: z.enum(controlResultCodes),
    stateOfSeals: z.enum(['ok', 'not_ok']),
    comment: z.string().max(2000).optional(),
    time: isoTime,
  }),
  ended: z.object({ time: isoTime, status: z.enum(endedStatuses) }),
};

export type InboxAnswer = { status: 200 | 202 } | { status: 400 | 401 | 403 | 422; reason: RejectReason; detail: string };

export interface InboxDeps {
  store: {
    federation: FederationStore;
    devices: DeviceStore;
    observations: ObservationStore;
    movements: MovementStore;
    offices: OfficeStore;
    incidents: IncidentStore;
    processing: ProcessingStore;
    quarantine: QuarantineStore;
  };
  audit: Pick<AuditTrail, 'record'>;
  bus: StreamBus;
  administration: string;
  countryAt: (p: LatLon) => string | null;
  /** Our own country: the territory our agreements' partner_territory means for what we receive. */
  country: string;
  /** The largest office area accepted (SEALWATCH_OFFICE_MAX_RADIUS_M), for offices a partner names that we do not know. */
  officeMaxRadiusM: number;
  /**
   * The budget of refusals kept per source address (the same as device ingest's): anyone can post
   * to the inbox without an account, so beyond it a refusal is counted, not stored.
   */
  quarantineBudget?: QuarantineBudget | null;
  now: () => number;
  newId: () => string;
  /** Records the arrival of our movement at the partner (the registry's lifecycle step). */
  arrive: (movement: MovementId, time: string) => Promise<void>;
  /** Observations were stored: the processor should read its log (it updates the feed's last known position). */
  onObservations?: () => void;
  /** A partner signed with a key not pinned: look at what it publishes now (its new keys wait for an admin). */
  onUnknownKey?: (partner: string) => void;
}

/** A copied movement's vehicle that is the sender's pseudonym, not a registration. */
export const PSEUDONYM_PREFIX = 'pseudonym:';
/** How far ahead of our clock a partner's reading may be dated (its clock and ours differ a little). */
const MAX_AHEAD_MS = 5 * 60_000;
/** A reading received this long after it was made is marked late, as a device's stored-and-forwarded one. */
const LATE_AFTER_MS = 10 * 60_000;

class Refused extends Error {
  constructor(
    readonly answer: Exclude<InboxAnswer, { status: 200 | 202 }>,
    readonly partner: string | null,
  ) {
    super(answer.detail);
  }
}
const refuse = (status: 400 | 401 | 403 | 422, reason: RejectReason, detail: string, partner: string | null = null) =>
  new Refused({ status, reason, detail }, partner);

export class FederationInbox {
  constructor(private readonly deps: InboxDeps) {}

  async receive(jws: string, remote: string | null): Promise<InboxAnswer> {
    try {
      const { message, partner } = await this.open(jws);
      const now = this.deps.now();
      if (await this.deps.store.federation.wasReceived(partner.administration, message.id)) return { status: 200 };
      const inside = (p: LatLon) => this.deps.countryAt(p) === this.deps.country;
      const beyond = exceedsAgreement(message.type, message.body, partner.agreement, inside);
      if (beyond) throw refuse(403, 'beyond_agreement', beyond, partner.administration);
      const note = await this.apply(message, partner, jws).catch((e: unknown) => {
        // A step of ours the message cannot take (its time before the movement's last step …) is
        // a refusal like any other: quarantined and audited, never a 500 the sender retries for ever.
        if (e instanceof DomainError) throw refuse(422, 'invalid_payload', e.message, partner.administration);
        throw e;
      });
      const taken = await this.deps.store.federation.receive({
        partner: partner.administration,
        id: message.id,
        type: message.type,
        movement: message.movement,
        receivedAt: toTimestamp(now),
      });
      if (!taken) return { status: 200 };
      await this.deps.audit.record([
        federationEntry(message, partner.administration, 'received', now, {
          fields: Object.keys(message.body),
          ...(note ? { note } : {}),
        }),
      ]);
      await touchPartner(this.deps.store.federation, partner.administration, now);
      return { status: 202 };
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      await this.quarantine(jws, remote, e);
      return e.answer;
    }
  }

  private async open(jws: string): Promise<{ message: FederationMessage; partner: Partner }> {
    const parsed = parseCompactJws(jws);
    if (!parsed.ok) throw refuse(400, parsed.reason, parsed.detail);
    const { header, payloadBytes, signingInput, signature } = parsed.jws;
    if (header.alg !== 'EdDSA') throw refuse(401, 'algorithm_not_allowed', 'federation messages are signed with EdDSA');
    const kid = parseFederationKid(header.kid);
    if (!kid) throw refuse(401, 'invalid_header', 'kid must be <administration>/<key id>');
    const partner = await this.deps.store.federation.getPartner(kid.administration);
    if (!partner || partner.endedAt) throw refuse(403, 'unknown_partner', `${kid.administration} is not a partner`, kid.administration);
    const key = partner.keys.find((k) => k.kid === kid.keyId);
    if (!key) {
      this.deps.onUnknownKey?.(partner.administration);
      throw refuse(401, 'unknown_key', `key ${kid.keyId} of ${kid.administration} is not pinned`, partner.administration);
    }
    if (!verifyFederationSignature(key, signingInput, signature))
      throw refuse(401, 'bad_signature', 'the signature does not verify', partner.administration);
    let payload: unknown;
    try {
      payload = JSON.parse(payloadBytes.toString('utf8'));
    } catch {
      throw refuse(400, 'invalid_payload', 'the payload is not JSON', partner.administration);
    }
    const m = messageSchema.safeParse(payload);
    if (!m.success)
      throw refuse(400, 'invalid_payload', `${m.error.issues[0]?.path.join('.')}: ${m.error.issues[0]?.message}`, partner.administration);
    if (m.data.from !== partner.administration)
      throw refuse(401, 'kid_mismatch', `from ${m.data.from} but signed by ${partner.administration}`, partner.administration);
    if (m.data.to !== this.deps.administration)
      throw refuse(403, 'unknown_partner', `addressed to ${m.data.to}, not ${this.deps.administration}`, partner.administration);
    const body = bodies[m.data.type].safeParse(m.data.body);
    if (!body.success)
      throw refuse(
        400,
        'invalid_payload',
        `body.${body.error.issues[0]?.path.join('.')}: ${body.error.issues[0]?.message}`,
        partner.administration,
      );
    return { message: m.data, partner };
  }

  /** The copy here of the sender's movement (`in`), or our movement the sender was announced (`out`); 422 when neither. */
  private async localMovement(partner: Partner, m: FederationMessage, direction: 'in' | 'out'): Promise<Movement> {
    const link = await this.deps.store.federation.getLink(partner.administration, direction, m.movement);
    const movement = link && (await this.deps.store.movements.get(asMovementId(link.localMovement)));
    if (!movement)
      throw refuse(422, 'unknown_movement', `movement ${m.movement} is not shared with ${partner.administration}`, partner.administration);
    return movement;
  }

  /** Applies a message; a note when what it carried was not (all) stored, for the audit entry. */
  private async apply(m: FederationMessage, partner: Partner, jws: string): Promise<string | null | void> {
    const at = toTimestamp(this.deps.now());
    switch (m.type) {
      case 'anticipated_arrival':
        return this.announce(m, partner);
      case 'border_crossed': {
        let note: string | null = null;
        const local = await this.localMovement(partner, m, 'in');
        const b = bodies.border_crossed.parse(m.body);
        const time = this.notAhead(b.time, partner);
        const link = await this.deps.store.federation.getLink(partner.administration, 'in', m.movement);
        // Out of our territory, only a crossing back in is ours to hear of (the sender's own rule).
        const scope = crossingScope(this.deps.country, b);
        if (afterLeaving(time, link?.leftAt ?? null) && scope !== 'entered')
          throw refuse(
            403,
            'beyond_agreement',
            `a crossing ${b.from}→${b.to} after the movement left ${this.deps.country}`,
            partner.administration,
          );
        // Leaving our territory ends the movement here (a transit country): retention counts from
        // then, and nothing made after it is taken until it comes back.
        if (scope === 'left') {
          await this.deps.store.federation.setLeft(partner.administration, 'in', m.movement, time);
          // The sender confirms a crossing a fix or two after it: what it sent from beyond goes.
          const dropped = await this.deps.store.federation.dropCopyReadingsFrom(sharedFeedDevice(partner.administration, m.movement), time);
          if (dropped) note = `${dropped} readings made after the movement left ${this.deps.country} deleted`;
        }
        if (scope === 'entered') await this.deps.store.federation.setLeft(partner.administration, 'in', m.movement, null);
        await this.event(local.id, 'border_crossed', b.time, {
          from: b.from,
          to: b.to,
          position: b.position ?? null,
          origin: partner.administration,
        });
        return note;
      }
      case 'position':
        return this.reading(m, partner, await this.localMovement(partner, m, 'in'), jws);
      case 'incident':
        return this.incident(m, partner, await this.localMovement(partner, m, 'in'), at);
      case 'arrived': {
        const ours = await this.localMovement(partner, m, 'out');
        if (ours.status === 'in_transit') await this.deps.arrive(ours.id, bodies.arrived.parse(m.body).time);
        return;
      }
      case 'control_results': {
        await this.localMovement(partner, m, 'out');
        const r = bodies.control_results.parse(m.body);
        this.notAhead(r.time, partner);
        await this.deps.store.federation.setControlResults(partner.administration, 'out', m.movement, r);
        return;
      }
      case 'ended': {
        const local = await this.localMovement(partner, m, 'in');
        const b = bodies.ended.parse(m.body);
        const time = this.notAhead(b.time, partner);
        // An end before the copy started would purge it at once (or is a mistake): refused.
        if (local.startedAt && time < local.startedAt)
          throw refuse(400, 'invalid_payload', `ended at ${time}, before it started (${local.startedAt})`, partner.administration);
        // Its arrival at the origin tells nothing new to a copy that arrived here.
        if (b.status === 'arrived' && local.status !== 'in_transit') return;
        await this.endCopy(local, time, { origin: partner.administration, status: b.status });
        return;
      }
    }
  }

  /**
   * Ends a partner's movement copied here (its origin said it ended, or the partnership ended
   * here): status `ended` from in transit or arrived, at `time`; its retention counts from then.
   * A copy already ended is left as it is.
   */
  async endCopy(local: Movement, time: string, details: Record<string, unknown>): Promise<boolean> {
    if (local.status === 'ended') return false;
    const now = toTimestamp(this.deps.now());
    const ended: Movement = { ...local, status: 'ended', endedAt: toTimestamp(time), updatedAt: now };
    await this.deps.store.movements.update(ended);
    await this.event(local.id, 'movement_ended', ended.endedAt!, details);
    this.deps.bus.publish({ kind: 'movement', data: ended });
    return true;
  }

  /** Ends every copy of the partner's movements still under way here (the partnership ended here); how many. */
  async endCopiesOf(partner: string, reason: string): Promise<number> {
    const at = toTimestamp(this.deps.now());
    let ended = 0;
    for (const link of await this.deps.store.federation.copies()) {
      if (link.partner !== partner) continue;
      const local = await this.deps.store.movements.get(asMovementId(link.localMovement));
      if (local?.status === 'in_transit' && (await this.endCopy(local, at, { origin: partner, reason }))) ended += 1;
    }
    return ended;
  }

  /** The sender's movement copied here, read-only, with its offices; fields the body lacks stay absent (null here). */
  private async announce(m: FederationMessage, partner: Partner): Promise<void> {
    if (await this.deps.store.federation.getLink(partner.administration, 'in', m.movement)) return;
    const b = bodies.anticipated_arrival.parse(m.body);
    await this.assertPartnersMovement(b, partner);
    const now = toTimestamp(this.deps.now());
    const unknown = [];
    for (const o of [b.departureOffice, b.destinationOffice, ...b.transitOffices])
      if (!(await this.deps.store.offices.get(asOfficeCode(o.code)))) unknown.push(this.partnerOffice(o, partner));
    for (const o of unknown) await this.deps.store.offices.create({ ...o, code: asOfficeCode(o.code), createdAt: now });
    // The partner's readings of this movement are stored under a feed device of its own, so our
    // track and transit detectors read them like any device's (class semi_active without an
    // interval: what the partner forwards is no heartbeat, so its silence raises no signal_lost).
    const feed = asDeviceId(sharedFeedDevice(partner.administration, m.movement));
    if (!(await this.deps.store.devices.get(feed)))
      await this.deps.store.devices.create({
        id: feed,
        class: 'semi_active',
        kind: 'tracker',
        protocol: 'federation',
        identifiers: {},
        reportIntervalS: null,
        key: null,
        owner: null,
        createdAt: now,
      });
    const movement: Movement = {
      id: asMovementId(this.deps.newId()),
      reference: b.reference,
      container: b.container,
      // The registration when the agreement shares it, else the sender's pseudonym of it (marked so).
      vehicle: b.driver?.vehicle ?? (b.vehiclePseudonym ? `${PSEUDONYM_PREFIX}${b.vehiclePseudonym}` : null),
      trader: b.trader ?? null,
      devices: [feed],
      seals: b.seals,
      departureOffice: asOfficeCode(b.departureOffice.code),
      destinationOffice: asOfficeCode(b.destinationOffice.code),
      transitOffices: b.transitOffices.map((o) => asOfficeCode(o.code)),
      route: b.route,
      corridorWidthM: b.corridorWidthM,
      authorizedStops: [],
      timeLimit: b.timeLimit ? toTimestamp(b.timeLimit) : null,
      sensorThresholds: [],
      checkpoints: [],
      hsChapter: b.goods?.hsChapter ?? null,
      originCountry: b.goods?.originCountry ?? null,
      status: 'in_transit',
      createdAt: now,
      startedAt: b.startedAt ? toTimestamp(b.startedAt) : now,
      arrivedAt: null,
      endedAt: null,
      updatedAt: now,
    };
    await this.deps.store.movements.create(movement);
    await this.deps.store.federation.link({
      partner: partner.administration,
      direction: 'in',
      originMovement: m.movement,
      localMovement: movement.id,
      controlResults: null,
      createdAt: now,
    });
    await this.event(movement.id, 'movement_started', movement.startedAt!, {
      reference: movement.reference,
      status: movement.status,
      origin: partner.administration,
    });
    this.deps.bus.publish({ kind: 'movement', data: movement });
  }

  /**
   * A partner's reading of its movement, stored as an observation of the copy's feed device with
   * trust `federated`, the signed message as its raw bytes and its origin in its attributes.
   */
  private async reading(m: FederationMessage, partner: Partner, local: Movement, jws: string): Promise<string | null> {
    const b = bodies.position.parse(m.body);
    const time = this.timeOf(b.time, partner);
    const now = this.deps.now();
    if (Date.parse(time) > now + MAX_AHEAD_MS)
      throw refuse(422, 'clock_skew', `a reading dated ${time} is ahead of this installation's clock`, partner.administration);
    const feed = local.devices[0];
    const link = await this.deps.store.federation.getLink(partner.administration, 'in', m.movement);
    // Made after the movement left our territory: beyond what we agreed to receive.
    if (afterLeaving(time, link?.leftAt ?? null))
      throw refuse(
        403,
        'beyond_agreement',
        `a reading made at ${time}, after the movement left ${this.deps.country}`,
        partner.administration,
      );
    // A copy purged under retention takes no more readings (a late one would outlive the agreement),
    // nor does a copy that ended take one made after its end (outside its period, shown to nobody).
    if (!feed || link?.purgedAt) return 'not stored: the copy was purged';
    if (local.status === 'ended' && local.endedAt && time > local.endedAt) return 'not stored: made after the copy ended';
    // Nor does a class purged already come back with a late reading (and the signed message, which carries it, is not kept).
    const gone = new Set(link?.purgedClasses ?? []);
    const position = gone.has('position') ? null : ((b.position as Position | undefined) ?? null);
    const seal = gone.has('seal') ? null : ((b.seal as SealReading | undefined) ?? null);
    const sensors = gone.has('sensors') ? null : (b.sensors ?? null);
    if (!position && !seal && !sensors) return 'not stored: its classes were purged';
    const stripped = (b.position && !position) || (b.seal && !seal) || (b.sensors && !sensors);
    const [outcome] = await this.deps.store.observations.append([
      {
        device: feed,
        seq: null,
        time,
        receivedAt: toTimestamp(now),
        late: now - Date.parse(time) > LATE_AFTER_MS,
        position,
        seal,
        door: null,
        sensors,
        battery: null,
        reads: null,
        attributes: { origin: { partner: partner.administration, movement: m.movement, message: m.id } },
        trust: 'federated',
        protocol: 'federation',
        hash: createHash('sha256').update(jws).digest('base64url'),
        raw: stripped ? '' : jws,
      },
    ]);
    if (outcome.status === 'inserted') this.deps.onObservations?.();
    return stripped ? 'stored without its purged classes' : null;
  }

  /** A time the partner gives, canonical, not ahead of our clock by more than its drift (422 clock_skew). */
  private notAhead(t: string, partner: Partner) {
    const time = this.timeOf(t, partner);
    if (Date.parse(time) > this.deps.now() + MAX_AHEAD_MS)
      throw refuse(422, 'clock_skew', `${time} is ahead of this installation's clock`, partner.administration);
    return time;
  }

  /** A time the partner gives, canonical; an unreadable one refuses the message (400). */
  private timeOf(t: string, partner: Partner) {
    const ms = Date.parse(t);
    if (Number.isNaN(ms)) throw refuse(400, 'invalid_payload', `not a time: ${t.slice(0, 40)}`, partner.administration);
    // As for a device's own messages: no reading of a movement under customs control predates 2000.
    if (ms < Date.UTC(2000, 0, 1)) throw refuse(400, 'invalid_payload', `a time before 2000: ${t.slice(0, 40)}`, partner.administration);
    return toTimestamp(ms);
  }

  /** The origin's incident as an incident here (`cause` origin:<partner>:<id>), opened or closed as the origin says. */
  private async incident(m: FederationMessage, partner: Partner, local: Movement, at: string): Promise<void> {
    const b = bodies.incident.parse(m.body);
    const cause = originCause(partner.administration, b.id);
    const existing = (await this.deps.store.incidents.openOf(local.id)).find((i) => i.cause === cause);
    // One opened after the movement left our territory is not ours to hear of (closing one we have is).
    const link = await this.deps.store.federation.getLink(partner.administration, 'in', m.movement);
    if (!existing && afterLeaving(this.timeOf(b.openedAt, partner), link?.leftAt ?? null))
      throw refuse(
        403,
        'beyond_agreement',
        `an incident opened at ${b.openedAt}, after the movement left ${this.deps.country}`,
        partner.administration,
      );
    const ts = toTimestamp(at);
    let next: Incident;
    if (existing) {
      if (b.status === 'open') return;
      next = {
        ...existing,
        status: 'closed',
        closedAt: ts,
        history: [...existing.history, { action: 'closed', at: ts, by: `partner:${partner.administration}` }],
        updatedAt: ts,
        revision: existing.revision + 1,
      };
    } else {
      if (b.status === 'closed') return;
      next = {
        id: this.deps.newId() as IncidentId,
        code: b.code as Incident['code'],
        status: 'open',
        movement: local.id,
        cause,
        severity: b.severity,
        openedAt: toTimestamp(b.openedAt),
        lastTime: toTimestamp(b.openedAt),
        position: b.position ?? null,
        container: b.container,
        seals: b.seals,
        devices: [],
        alerts: [],
        types: [],
        acknowledgedAt: null,
        assignee: null,
        outcome: null,
        closedAt: null,
        history: [{ action: 'opened', at: toTimestamp(b.openedAt), by: null }],
        createdAt: ts,
        updatedAt: ts,
        revision: 1,
      };
    }
    await this.deps.store.incidents.save(next);
    this.deps.bus.publish({ kind: 'incident', data: next });
  }

  private async event(movement: MovementId, type: DomainEvent['type'], time: string, details: Record<string, unknown>): Promise<void> {
    const event: DomainEvent = {
      id: asEventId(this.deps.newId()),
      type,
      movement,
      device: null,
      time: toTimestamp(time),
      details,
      observation: null,
      createdAt: toTimestamp(this.deps.now()),
    };
    await this.deps.store.processing.record([event], []);
    this.deps.bus.publish({ kind: 'event', data: event });
  }

  /**
   * A partner announces only its own movements bound for us: departing from an office of its
   * country, with the destination or a transit office in ours. Otherwise it could place movements
   * in other administrations' lists and take their references (adversarial pass of 2026-12-07).
   * An office we know is judged by our record of it, not by what the message says it is.
   */
  /**
   * An office the partner names and we do not know, checked before anything is stored: our own
   * country's offices are ours to register (a partner naming one we lack is refused, so it can
   * neither define one nor squat its code), and any other must be of an office's size and inside
   * the country it claims, as one registered here must be.
   */
  private partnerOffice<O extends { code: string; country: string; area: Office['area'] }>(o: O, partner: Partner): O {
    const bad = (detail: string) => refuse(422, 'invalid_payload', `office ${o.code}: ${detail}`, partner.administration);
    if (o.country === this.deps.country) throw bad(`no office of ${this.deps.country} has this code here`);
    try {
      assertOfficeArea(o, this.deps.officeMaxRadiusM, this.deps.countryAt);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'office_outside_country') throw bad(`its area is not in ${o.country}`);
      throw bad(e instanceof Error ? e.message : 'its area is not of an office');
    }
    return o;
  }

  private async assertPartnersMovement(
    b: {
      departureOffice: { code: string; country: string };
      destinationOffice: { code: string; country: string };
      transitOffices: { code: string; country: string }[];
    },
    partner: Partner,
  ): Promise<void> {
    const countryOf = async (o: { code: string; country: string }) =>
      (await this.deps.store.offices.get(asOfficeCode(o.code)))?.country ?? o.country;
    if ((await countryOf(b.departureOffice)) !== partner.country)
      throw refuse(
        403,
        'beyond_agreement',
        `the movement departs from ${b.departureOffice.code}, not from an office of ${partner.country}`,
        partner.administration,
      );
    const ours = [];
    for (const o of [b.destinationOffice, ...b.transitOffices]) if ((await countryOf(o)) === this.deps.country) ours.push(o.code);
    if (ours.length === 0)
      throw refuse(
        403,
        'beyond_agreement',
        `the movement has no destination or transit office in ${this.deps.country}`,
        partner.administration,
      );
  }

  private async quarantine(jws: string, remote: string | null, e: Refused): Promise<void> {
    const now = this.deps.now();
    if ((this.deps.quarantineBudget?.judge(remote, null, Buffer.byteLength(jws)) ?? 'keep') === 'count') return;
    const [id] = await this.deps.store.quarantine.add([
      {
        receivedAt: toTimestamp(now),
        transport: 'federation',
        remote,
        reason: e.answer.reason,
        detail: e.answer.detail,
        device: null,
        seq: null,
        raw: Buffer.from(jws, 'utf8').toString('base64'),
      },
    ]);
    const partner = e.partner ?? 'unknown';
    await this.deps.audit.record([
      federationEntry(
        { id: `quarantine:${id}`, type: 'refused', movement: `partner:${partner}` },
        partner,
        `refused:${e.answer.reason}`,
        now,
        {
          quarantineId: id,
          status: e.answer.status,
        },
      ),
    ]);
  }
}
