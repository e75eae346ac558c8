/**
 * What goes to partners, and when (DESIGN §8, NCTS routing): listens to the live stream and turns
 * a movement's start into `anticipated_arrival` for each partner whose country holds its office of
 * destination or of transit, then its border crossings, incidents and (as agreed) positions into
 * messages to those partners; a partner's copy arriving, or its control results, go back to the
 * origin. Every body is built by core's agreement functions with the partner's territory on this
 * installation's own country map, so nothing leaves beyond the agreement. Message ids are derived
 * from the fact (e.g. `incident/<id>/open`): a fact seen twice (several processes) is queued once.
 * Once a movement has left a partner's country (a border crossing out of it), that partner gets no
 * more of its readings, new incidents or other crossings until it comes back; when it arrives or
 * ends here, every partner it was announced to is told (`ended`).
 */
import {
  afterLeaving,
  anticipatedArrivalBody,
  borderCrossedBody,
  crossingScope,
  incidentBody,
  positionBody,
  type Agreement,
  type DomainEvent,
  type Incident,
  type LatLon,
  type Movement,
  type EndedBody,
  type Observation,
  type Office,
} from '@sealwatch/core';
import type { StreamMessage } from '../stream/stream-bus';
import type { FederationLink, FederationStore, Partner } from '../storage/federation-ports';
import type { MovementStore, OfficeStore } from '../storage/ports';
import type { FederationOutbox } from './outbox';

export interface RelayDeps {
  store: { federation: FederationStore; movements: MovementStore; offices: OfficeStore };
  outbox: Pick<FederationOutbox, 'send'>;
  /** This installation's country (never announced to itself). */
  country: string;
  countryAt: (p: LatLon) => string | null;
  log: { warn(o: object, m: string): void };
  /** This installation's keyed pseudonym of a vehicle registration for one partner (absent: none sent). */
  pseudonym?: (partner: string, vehicle: string) => Promise<string>;
}

/** Incidents copied from a partner carry this cause: `origin:<partner>:<incident id there>`. */
export const originCause = (partner: string, incident: string) => `origin:${partner}:${incident}`;
export const parseOriginCause = (cause: string) => {
  const m = /^origin:([^:]+):(.+)$/.exec(cause);
  return m ? { partner: m[1], incident: m[2] } : null;
};

export class FederationRelay {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: RelayDeps) {}

  /** Feeds one stream message; handled in order, one at a time (order per movement). */
  take(message: StreamMessage): void {
    this.chain = this.chain.then(() => this.handle(message)).catch((e) => this.deps.log.warn({ err: e }, 'federation relay failed'));
  }

  /** Resolves when every message taken so far is handled (tests, shutdown). */
  idle(): Promise<void> {
    return this.chain;
  }

  private async handle(message: StreamMessage): Promise<void> {
    switch (message.kind) {
      case 'movement':
        return this.movementChanged(message.data);
      case 'event':
        return message.data.type === 'border_crossed' ? this.borderCrossed(message.data) : undefined;
      case 'incident':
        return this.incidentChanged(message.data);
      case 'observation':
        return this.observed(message.data);
      default:
        return undefined;
    }
  }

  private territory(partner: Partner) {
    return (p: LatLon) => this.deps.countryAt(p) === partner.country;
  }

  private async activePartner(administration: string): Promise<Partner | null> {
    const p = await this.deps.store.federation.getPartner(administration);
    return p && !p.endedAt ? p : null;
  }

  /** Our movements' links to partners that were announced them. */
  private async outLinks(movement: string): Promise<{ link: FederationLink; partner: Partner }[]> {
    const out: { link: FederationLink; partner: Partner }[] = [];
    for (const link of await this.deps.store.federation.linksOf(movement)) {
      if (link.direction !== 'out') continue;
      const partner = await this.activePartner(link.partner);
      if (partner) out.push({ link, partner });
    }
    return out;
  }

  private async movementChanged(m: Movement): Promise<void> {
    const links = await this.deps.store.federation.linksOf(m.id);
    const inbound = links.find((l) => l.direction === 'in');
    if (inbound) {
      // A partner's movement: only its arrival here goes back (control results go from their route).
      const partner = await this.activePartner(inbound.partner);
      if (partner && m.status === 'arrived' && m.arrivedAt)
        await this.deps.outbox.send(partner, 'arrived', `arrived/${inbound.originMovement}`, inbound.originMovement, { time: m.arrivedAt });
      return;
    }
    if (m.status === 'arrived' || m.status === 'ended') return this.ended(m, m.status);
    if (m.status !== 'in_transit') return;
    await this.announce(m, await this.deps.store.federation.listPartners());
  }

  /**
   * Our movement no longer runs: each partner it was announced to is told (`ended`), so its copy
   * ends there and its retention starts, whether or not it ever arrived or left there.
   */
  private async ended(m: Movement, status: EndedBody['status']): Promise<void> {
    const time = status === 'arrived' ? m.arrivedAt : m.endedAt;
    if (!time) return;
    for (const { partner } of await this.outLinks(m.id)) {
      const body: EndedBody = { time, status };
      await this.deps.outbox.send(partner, 'ended', `ended/${m.id}/${status}`, m.id, { ...body });
    }
  }

  /**
   * Announces to a partner registered now the movements already in transit towards its country,
   * so a partnership started mid-trip is not blind (their earlier readings are not sent again).
   * Returns how many were announced.
   */
  async announceInTransit(partner: Partner): Promise<number> {
    let announced = 0;
    let cursor: string | null | undefined;
    do {
      const page = await this.deps.store.movements.list({ status: 'in_transit' }, { limit: 200, cursor });
      for (const m of page.items) {
        if ((await this.deps.store.federation.linksOf(m.id)).some((l) => l.direction === 'in')) continue;
        announced += await this.announce(m, [partner]);
      }
      cursor = page.nextCursor;
    } while (cursor);
    return announced;
  }

  /** `anticipated_arrival` to each of these partners whose country holds the destination or a transit office. */
  private async announce(m: Movement, partners: Partner[]): Promise<number> {
    let announced = 0;
    const departure = await this.deps.store.offices.get(m.departureOffice);
    const destination = await this.deps.store.offices.get(m.destinationOffice);
    if (!departure || !destination) return 0;
    const transit: Office[] = [];
    for (const code of m.transitOffices ?? []) {
      const o = await this.deps.store.offices.get(code);
      if (o) transit.push(o);
    }
    const countries = new Set([destination, ...transit].map((o) => o.country));
    countries.delete(this.deps.country);
    if (!countries.size) return 0;
    for (const partner of partners) {
      if (partner.endedAt || !countries.has(partner.country)) continue;
      await this.deps.store.federation.link({
        partner: partner.administration,
        direction: 'out',
        originMovement: m.id,
        localMovement: m.id,
        controlResults: null,
        createdAt: m.startedAt ?? m.updatedAt,
      });
      const pseudonym = m.vehicle && this.deps.pseudonym ? await this.deps.pseudonym(partner.administration, m.vehicle) : null;
      const body = anticipatedArrivalBody(m, { departure, destination, transit }, partner.agreement, this.territory(partner), pseudonym);
      await this.deps.outbox.send(partner, 'anticipated_arrival', `anticipated_arrival/${m.id}`, m.id, { ...body });
      announced += 1;
    }
    return announced;
  }

  private async borderCrossed(e: DomainEvent): Promise<void> {
    if (!e.movement) return;
    const d = e.details as { from?: string; to?: string; position?: LatLon };
    if (!d.from || !d.to) return;
    for (const { partner, link } of await this.outLinks(e.movement)) {
      // Out of the partner's scope (it left its country), only a crossing back in concerns it.
      const scope = crossingScope(partner.country, { from: d.from, to: d.to });
      if (afterLeaving(e.time, link.leftAt) && scope !== 'entered') continue;
      if (scope === 'left') await this.deps.store.federation.setLeft(partner.administration, 'out', e.movement, e.time);
      if (scope === 'entered') await this.deps.store.federation.setLeft(partner.administration, 'out', e.movement, null);
      const body = borderCrossedBody(
        { time: e.time, from: d.from, to: d.to, position: d.position ?? null },
        partner.agreement,
        this.territory(partner),
      );
      await this.deps.outbox.send(partner, 'border_crossed', `border_crossed/${e.id}`, e.movement, { ...body });
    }
  }

  private async incidentChanged(i: Incident): Promise<void> {
    // Incidents copied from a partner are theirs to tell.
    if (parseOriginCause(i.cause)) return;
    for (const { partner, link } of await this.outLinks(i.movement)) {
      // An incident that opened after the movement left the partner's country is not its to see.
      if (afterLeaving(i.openedAt, link.leftAt)) continue;
      const body = incidentBody(i, partner.agreement, this.territory(partner));
      await this.deps.outbox.send(partner, 'incident', `incident/${i.id}/${i.status}`, i.movement, { ...body });
    }
  }

  private async observed(o: Observation): Promise<void> {
    const partners = (await this.deps.store.federation.listPartners()).filter((p) => !p.endedAt && sharesReadings(p.agreement));
    if (!partners.length) return;
    for (const m of await this.deps.store.movements.listOpenByDevice(o.device)) {
      if (m.status !== 'in_transit') continue;
      for (const { partner, link } of await this.outLinks(m.id)) {
        if (!sharesReadings(partner.agreement) || afterLeaving(o.time, link.leftAt)) continue;
        const body = positionBody(o, partner.agreement, this.territory(partner));
        if (body) await this.deps.outbox.send(partner, 'position', `position/${o.device}/${o.id}`, m.id, { ...body });
      }
    }
  }
}

const sharesReadings = (a: Agreement) => a.fields.some((f) => f === 'position' || f === 'seal' || f === 'sensors');
