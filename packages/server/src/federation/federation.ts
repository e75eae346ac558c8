/**
 * Federation between administrations, put together: identity (the well-known document and the
 * signing key), partners, the inbox, the outbox and the relay that feeds it from the live stream.
 * Also what movements and incidents show of it: `origin` on a partner's movement copied here, the
 * control results on ours, and the rule that a copied movement is read-only except its arrival.
 */
import {
  DomainError,
  toTimestamp,
  type Agreement,
  type CopyRetention,
  type ControlResults,
  type Incident,
  type Movement,
  type MovementId,
} from '@sealwatch/core';
import type { ServerKeyRing } from '../audit/server-key';
import type { FederationLink, FederationStore, Partner } from '../storage/federation-ports';
import { publishedKeys } from './federation-keys';
import { PSEUDONYM_PREFIX, type FederationInbox } from './inbox';
import type { FederationOutbox } from './outbox';
import type { PartnerService } from './partners';
import { parseOriginCause, type FederationRelay } from './relay';

export interface FederationIdentity {
  administration: string;
  name: string;
  country: string;
  publicUrl: string;
}

export class Federation {
  constructor(
    readonly identity: FederationIdentity,
    private readonly deps: {
      store: { federation: FederationStore };
      keyRing: () => Promise<ServerKeyRing>;
      now: () => number;
      partners: PartnerService;
      inbox: FederationInbox;
      outbox: FederationOutbox;
      relay: FederationRelay;
    },
  ) {}

  get partners() {
    return this.deps.partners;
  }
  get inbox() {
    return this.deps.inbox;
  }
  get outbox() {
    return this.deps.outbox;
  }
  get relay() {
    return this.deps.relay;
  }

  /**
   * Registers a partner (PartnerService.register) and announces to it the movements already in
   * transit towards its country: a partnership started mid-trip is not blind.
   */
  async registerPartner(url: string, agreement: Agreement, retention: CopyRetention = {}): Promise<Partner> {
    const partner = await this.deps.partners.register(url, agreement, retention);
    await this.deps.relay.announceInTransit(partner);
    return partner;
  }

  /**
   * Ends a partnership here (DELETE): nothing more is sent to it or taken from it, and the copies
   * of its movements still under way here end now, so their retention runs (no `ended` of theirs
   * can reach us any more). Our messages waiting for it stay in the outbox, unsent.
   */
  async endPartner(administration: string): Promise<Partner> {
    const ended = await this.deps.partners.end(administration);
    await this.deps.inbox.endCopiesOf(administration, 'partnership_ended');
    return ended;
  }

  /** GET /.well-known/sealwatch-federation. */
  async wellKnown() {
    const ring = await this.deps.keyRing();
    return {
      administration: this.identity.administration,
      name: this.identity.name,
      country: this.identity.country,
      jwks: { keys: publishedKeys(ring, this.deps.now()).map((k) => ({ ...k, alg: 'EdDSA', use: 'sig' })) },
      inbox: `${this.identity.publicUrl}/api/v1/federation/inbox`,
    };
  }

  /** A partner as the API shows it, with its outbox backlog. */
  async partnerView(p: Partner) {
    const backlog = (await this.deps.store.federation.backlog())[p.administration] ?? 0;
    return { ...p, backlog };
  }

  /** The partner and its movement id when `movement` is a partner's movement copied here. */
  async originOf(movement: string): Promise<{ partner: string; movement: string } | null> {
    const link = (await this.deps.store.federation.linksOf(movement)).find((l) => l.direction === 'in');
    return link ? { partner: link.partner, movement: link.originMovement } : null;
  }

  /**
   * What a movement view adds: `origin` on a copy (and the optional fields our agreement left out
   * removed, so they are absent rather than blank), `federation` (partners, control results) on ours.
   */
  async decorate<V extends Record<string, unknown> & { id: string }>(view: V): Promise<V> {
    const links = await this.deps.store.federation.linksOf(view.id);
    if (!links.length) return view;
    const inbound = links.find((l) => l.direction === 'in');
    if (inbound) {
      const partner = await this.deps.store.federation.getPartner(inbound.partner);
      const fields = partner?.agreement.fields ?? [];
      const origin = { partner: inbound.partner, movement: inbound.originMovement, ...(inbound.leftAt ? { leftAt: inbound.leftAt } : {}) };
      const out: Record<string, unknown> = { ...view, origin };
      if (!fields.includes('trader')) delete out.trader;
      // Without driver agreed, only the sender's pseudonym of the vehicle may be here, never a registration.
      if (!fields.includes('driver') && !String(out.vehicle ?? '').startsWith(PSEUDONYM_PREFIX)) delete out.vehicle;
      if (!fields.includes('goods')) {
        delete out.hsChapter;
        delete out.originCountry;
      }
      if (inbound.controlResults) out.controlResults = inbound.controlResults;
      return out as V;
    }
    return { ...view, sharedWith: links.map((l: FederationLink) => ({ partner: l.partner, controlResults: l.controlResults })) };
  }

  /** `origin` of an incident copied from a partner. */
  incidentOrigin(i: Pick<Incident, 'cause'>): { partner: string; incident: string } | null {
    return parseOriginCause(i.cause);
  }

  /** A partner's movement copied here may only arrive (federated_movement_read_only). */
  async assertMayChange(movement: string, action: string): Promise<void> {
    if (action === 'arrive') {
      // A copy that left our territory is out of our scope: it arrives somewhere else, not here.
      const link = (await this.deps.store.federation.linksOf(movement)).find((l) => l.direction === 'in');
      if (link?.leftAt)
        throw new DomainError(
          'federated_movement_read_only',
          `movement ${movement} of ${link.partner} left this country at ${link.leftAt}: its arrival is not recorded here`,
          { origin: { partner: link.partner, movement: link.originMovement }, leftAt: link.leftAt },
        );
      return;
    }
    const origin = await this.originOf(movement);
    if (origin)
      throw new DomainError(
        'federated_movement_read_only',
        `movement ${movement} belongs to ${origin.partner}: only its arrival is recorded here`,
        {
          origin,
        },
      );
  }

  /** Records NCTS control results on a partner's movement copied here, and sends them to its origin. */
  async recordControlResults(m: Movement, results: Omit<ControlResults, 'time'> & { time?: string }): Promise<ControlResults> {
    const link = (await this.deps.store.federation.linksOf(m.id as MovementId)).find((l) => l.direction === 'in');
    if (!link)
      throw new DomainError(
        'federated_movement_read_only',
        `movement ${m.id} is not a partner's movement: its control results are recorded in its own declaration`,
      );
    const recorded: ControlResults = { ...results, time: results.time ?? toTimestamp(this.deps.now()) };
    await this.deps.store.federation.setControlResults(link.partner, 'in', link.originMovement, recorded);
    const partner = await this.deps.store.federation.getPartner(link.partner);
    if (partner && !partner.endedAt)
      await this.deps.outbox.send(
        partner,
        'control_results',
        `control_results/${link.originMovement}/${recorded.time}`,
        link.originMovement,
        {
          ...recorded,
        },
      );
    return recorded;
  }
}
