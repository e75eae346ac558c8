/**
 * Lending consent: an administration uses a trader's devices only with the trader's consent.
 * Declaring a movement with devices that only its trader holds raises a request to that trader;
 * the trader confirms or refuses it, or consents beforehand for an administration and a period
 * (a standing consent, for named devices or all it holds). Until the devices are consented the
 * movement cannot start (lending_not_confirmed, lending_refused); a refusal before the start also
 * frees the trader's devices from the declaration. The platform is not held to it (as to custody).
 */
import {
  DomainError,
  assertConsentPeriod,
  assertLendingConsented,
  lentDevices,
  standingConsentCovers,
  toTimestamp,
  type CustodyGrant,
  type DeviceId,
  type LendingConsent,
  type LendingConsentStatus,
  type Movement,
  type MovementId,
  type Principal,
  type Timestamp,
} from '@sealwatch/core';
import type { Page, PageRequest, Store } from '../storage/ports';

interface Deps {
  store: Pick<Store, 'custody' | 'access' | 'movements'>;
  now: () => number;
  newId: () => string;
}

export interface StandingConsentRequest {
  administration: string;
  devices?: readonly string[] | null;
  from?: Timestamp;
  to?: Timestamp | null;
}

const isPlatform = (p: Principal) => p.organisation.kind === 'platform';
/** Who reads every consent: the platform and auditors. */
const readsAll = (p: Principal) => isPlatform(p) || p.organisation.kind === 'auditor';

export class LendingConsentService {
  constructor(private readonly deps: Deps) {}

  /** The devices of `m` the actor would use only through its trader's custody at `at`. */
  private async lent(actor: string, m: Pick<Movement, 'devices' | 'trader'>, at: Timestamp): Promise<DeviceId[]> {
    if (!m.trader) return [];
    const grants = new Map<DeviceId, CustodyGrant[]>();
    for (const d of m.devices) grants.set(d, await this.deps.store.custody.grants(d));
    return lentDevices(m.devices, grants, actor, m.trader, at);
  }

  /**
   * After a declaration: the request to the movement's trader for the devices it lends that no
   * standing consent covers now, or null when none is needed (the platform, own devices, consented).
   */
  async requestFor(p: Principal, m: Movement): Promise<LendingConsent | null> {
    if (isPlatform(p) || !m.trader) return null;
    const now = toTimestamp(this.deps.now());
    const lent = await this.lent(p.organisation.id, m, now);
    const standing = await this.deps.store.custody.standingConsents(m.trader, p.organisation.id);
    const uncovered = lent.filter((d) => !standing.some((c) => standingConsentCovers(c, m.trader!, p.organisation.id, d, now)));
    if (uncovered.length === 0) return null;
    return this.deps.store.custody.addConsent({
      id: this.deps.newId(),
      trader: m.trader,
      administration: p.organisation.id,
      movement: m.id,
      devices: uncovered,
      status: 'requested',
      from: now,
      to: null,
      createdAt: now,
      createdBy: p.id,
      decidedAt: null,
      decidedBy: null,
    });
  }

  /**
   * Before a start recorded at `at`: throws lending_not_confirmed (raising the request if the
   * declaration did not) or lending_refused unless every device the trader lends is consented now.
   */
  async assertConsented(p: Principal, m: Movement, at: Timestamp): Promise<void> {
    if (isPlatform(p) || !m.trader) return;
    const lent = await this.lent(p.organisation.id, m, at);
    if (lent.length === 0) return;
    const now = toTimestamp(this.deps.now());
    const args = {
      movement: m.id,
      trader: m.trader,
      administration: p.organisation.id,
      lent,
      standing: await this.deps.store.custody.standingConsents(m.trader, p.organisation.id),
      at: now,
    };
    const request = await this.deps.store.custody.consentForMovement(m.id);
    try {
      assertLendingConsented({ ...args, request });
    } catch (e) {
      if (!request && e instanceof DomainError && e.code === 'lending_not_confirmed') {
        const raised = await this.requestFor(p, m);
        if (raised) assertLendingConsented({ ...args, request: raised });
      }
      throw e;
    }
  }

  /** A trader consents beforehand: its devices (named, or all it holds) lent to an administration from `from` until `to`. */
  async createStanding(p: Principal, r: StandingConsentRequest): Promise<LendingConsent> {
    if (p.organisation.kind !== 'trader') {
      throw new DomainError('not_lending_trader', 'only a trader organisation consents to lend the devices it holds');
    }
    const administration = await this.deps.store.access.getOrganisation(r.administration);
    if (!administration || administration.kind !== 'customs') {
      throw new DomainError('unknown_organisation', `no customs administration with id ${r.administration}`, { field: 'administration' });
    }
    const now = toTimestamp(this.deps.now());
    const devices = r.devices ? ([...new Set(r.devices)] as DeviceId[]) : null;
    for (const d of devices ?? []) {
      const grants = await this.deps.store.custody.grants(d);
      if (!grants.some((g) => g.holder === p.organisation.id && g.from <= now && (g.to === null || now < g.to))) {
        throw new DomainError('device_not_in_custody', `device ${d} is not in the custody of ${p.organisation.id}`, {
          device: d,
          field: 'devices',
        });
      }
    }
    const from = r.from ?? now;
    assertConsentPeriod(from, r.to ?? null);
    return this.deps.store.custody.addConsent({
      id: this.deps.newId(),
      trader: p.organisation.id,
      administration: administration.id,
      movement: null,
      devices,
      status: 'confirmed',
      from,
      to: r.to ?? null,
      createdAt: now,
      createdBy: p.id,
      decidedAt: now,
      decidedBy: p.id,
    });
  }

  /** The consents the principal is party to (the platform and auditors: all), by id. */
  list(p: Principal, filter: { status?: LendingConsentStatus; movement?: MovementId }, page: PageRequest): Promise<Page<LendingConsent>> {
    return this.deps.store.custody.listConsents({ ...filter, ...(readsAll(p) ? {} : { party: p.organisation.id }) }, page);
  }

  /** One consent the principal is party to (404 otherwise). */
  async get(p: Principal, id: string): Promise<LendingConsent> {
    const c = await this.deps.store.custody.getConsent(id);
    if (!c || !(readsAll(p) || c.trader === p.organisation.id || c.administration === p.organisation.id)) {
      throw new DomainError('unknown_lending_consent', `no lending consent ${id}`);
    }
    return c;
  }

  /** A consent the principal decides: its trader's only (not_lending_trader for the administration or the platform). */
  private async own(p: Principal, id: string): Promise<LendingConsent> {
    const c = await this.get(p, id);
    if (c.trader !== p.organisation.id) {
      throw new DomainError('not_lending_trader', `only trader ${c.trader} decides on lending its devices`, { consent: id });
    }
    return c;
  }

  private async decide(
    p: Principal,
    c: LendingConsent,
    from: readonly LendingConsentStatus[],
    to: LendingConsentStatus,
    validTo?: Timestamp,
  ): Promise<LendingConsent> {
    const now = toTimestamp(this.deps.now());
    if (!(await this.deps.store.custody.decideConsent(c.id, from, to, now, p.id, validTo))) {
      const current = (await this.deps.store.custody.getConsent(c.id))?.status ?? c.status;
      throw new DomainError('invalid_transition', `lending consent ${c.id} is ${current}; it cannot become ${to}`, { status: current });
    }
    return (await this.deps.store.custody.getConsent(c.id))!;
  }

  /** The trader confirms a declaration's request: the movement may start with its devices. */
  async confirm(p: Principal, id: string): Promise<LendingConsent> {
    const c = await this.own(p, id);
    if (c.movement === null)
      throw new DomainError('invalid_transition', `lending consent ${id} is standing, not a request`, { status: c.status });
    return this.decide(p, c, ['requested'], 'confirmed');
  }

  /**
   * The trader refuses a declaration's request (also after confirming, while the movement has not
   * started): the movement cannot start with its devices, and they are free for other movements.
   */
  async refuse(p: Principal, id: string): Promise<LendingConsent> {
    const c = await this.own(p, id);
    if (c.movement === null)
      throw new DomainError('invalid_transition', `lending consent ${id} is standing, not a request`, { status: c.status });
    const m = await this.deps.store.movements.get(c.movement);
    if (m && m.status !== 'declared') {
      throw new DomainError('invalid_transition', `movement ${m.id} has started: its devices are released when it ends`, {
        status: c.status,
      });
    }
    const refused = await this.decide(p, c, ['requested', 'confirmed'], 'refused');
    await this.deps.store.custody.withdrawClaims(c.movement, c.devices ?? []);
    return refused;
  }

  /** The trader withdraws a standing consent from now: declarations after it need a request again. */
  async withdraw(p: Principal, id: string): Promise<LendingConsent> {
    const c = await this.own(p, id);
    if (c.movement !== null)
      throw new DomainError('invalid_transition', `lending consent ${id} is a request: refuse it instead`, { status: c.status });
    const now = toTimestamp(this.deps.now());
    return this.decide(p, c, ['confirmed'], 'withdrawn', c.to !== null && c.to < now ? c.to : now);
  }
}
