/**
 * Device custody across parties: a device's owner (its provider) or the platform hands it to a
 * trader or a customs administration for a period; a party declares and starts movements only
 * with devices it holds; a device is on one movement at a time and a departure cannot be
 * backdated over another movement's period; offices are registered by their own country's
 * administration, of an office's size, inside that country. The platform organisation (the
 * installation's operator, who may grant custody itself) is not held to custody, but is held to
 * the one-movement and backdating rules like everyone.
 */
import {
  DomainError,
  assertCustody,
  assertDepartedFrom,
  assertGrantPeriod,
  assertOfficeArea,
  assertStartTime,
  holdsCustody,
  previousArmingEnd,
  standingConsentCovers,
  toTimestamp,
  type CustodyGrant,
  type Device,
  type DeviceId,
  type LatLon,
  type Movement,
  type MovementAction,
  type MovementId,
  type Office,
  type Principal,
  type Timestamp,
} from '@sealwatch/core';
import { Scopes } from '../access/scope';
import { LendingConsentService } from './lending-consent.service';
import type { Store } from '../storage/ports';

export interface CustodyBounds {
  /** How far back a departure may be recorded, in milliseconds. */
  startBackdateMaxMs: number;
  /** Largest office area radius, in metres. */
  officeMaxRadiusM: number;
}

interface Deps {
  store: Pick<Store, 'custody' | 'devices' | 'access' | 'offices' | 'observations' | 'movements'>;
  now: () => number;
  newId: () => string;
  bounds: CustodyBounds;
  /** The ISO 3166 country at a point (the server's map), or null outside every country. */
  countryAt: (p: LatLon) => string | null;
}

export interface GrantRequest {
  holder: string;
  from?: Timestamp;
  to?: Timestamp | null;
}

const isPlatform = (p: Principal) => p.organisation.kind === 'platform';

export class CustodyService {
  /** A trader's consent to lend its devices to an administration (lending-consent.service.ts). */
  readonly lending: LendingConsentService;

  constructor(private readonly deps: Deps) {
    this.lending = new LendingConsentService(deps);
  }

  /** The device if the principal may hand it over: the platform, or its owning provider (404 otherwise, like a hidden device). */
  private async ownedDevice(p: Principal, id: string) {
    const device = await this.deps.store.devices.get(id as DeviceId);
    if (!device || !(isPlatform(p) || (p.organisation.kind === 'device_provider' && device.owner === p.organisation.id))) {
      throw new DomainError('unknown_device', `no device with id ${id}`);
    }
    return device;
  }

  /** Hands a device to a trader or customs administration from `from` (default now) until `to` (default: until ended). */
  async grant(p: Principal, deviceId: string, r: GrantRequest): Promise<CustodyGrant> {
    const device = await this.ownedDevice(p, deviceId);
    const holder = await this.deps.store.access.getOrganisation(r.holder);
    if (!holder || (holder.kind !== 'trader' && holder.kind !== 'customs')) {
      throw new DomainError('unknown_organisation', `no trader or customs administration with id ${r.holder}`, { field: 'holder' });
    }
    const now = toTimestamp(this.deps.now());
    const from = r.from ?? now;
    assertGrantPeriod(from, r.to ?? null);
    const g: CustodyGrant = {
      id: this.deps.newId(),
      device: device.id,
      holder: holder.id,
      from,
      to: r.to ?? null,
      grantedBy: p.id,
      createdAt: now,
    };
    await this.deps.store.custody.addGrant(g);
    return g;
  }

  /** A device's custody grants, oldest first (its owner and the platform). */
  async grants(p: Principal, deviceId: string): Promise<CustodyGrant[]> {
    const device = await this.ownedDevice(p, deviceId);
    return this.deps.store.custody.grants(device.id);
  }

  /** Ends a grant at `to` (default now): the holder can no longer declare or start movements with the device. */
  async endGrant(p: Principal, deviceId: string, grantId: string, to?: Timestamp): Promise<CustodyGrant> {
    const device = await this.ownedDevice(p, deviceId);
    const g = await this.deps.store.custody.getGrant(grantId);
    if (!g || g.device !== device.id) throw new DomainError('unknown_custody_grant', `no custody grant ${grantId} for device ${device.id}`);
    if (g.to !== null) throw new DomainError('invalid_transition', `custody grant ${grantId} has already ended`, { to: g.to });
    const at = to ?? toTimestamp(this.deps.now());
    assertGrantPeriod(g.from, at);
    await this.deps.store.custody.endGrant(g.id, at);
    return { ...g, to: at };
  }

  /**
   * Throws unless the principal may declare a movement from `departure` with these devices:
   * a customs administration of one country declares only departures from its offices
   * (outside_jurisdiction), and every device must be held by the principal's organisation or the
   * movement's trader now (device_not_in_custody).
   */
  async assertMayDeclare(p: Principal, m: { devices: readonly DeviceId[]; trader: string | null }, departure: Office): Promise<void> {
    if (p.organisation.kind === 'customs' && p.organisation.country && departure.country !== p.organisation.country) {
      throw new DomainError(
        'outside_jurisdiction',
        `office ${departure.code} is in ${departure.country}; ${p.organisation.id} declares movements departing from ${p.organisation.country}`,
        { office: departure.code, field: 'departureOffice' },
      );
    }
    await this.assertHeld(p, m, toTimestamp(this.deps.now()));
  }

  /**
   * The devices the principal may declare a movement with now, by id: held by its organisation or
   * by `trader` (when that names a trader organisation), and on no movement that has not ended.
   * The platform holds every device. Each with who holds it, so a form can say whose it is.
   */
  async declarableDevices(p: Principal, trader: string | null): Promise<Array<{ device: Device; holder: string; consented: boolean }>> {
    const at = toTimestamp(this.deps.now());
    const traderOrg = trader ? await this.deps.store.access.getOrganisation(trader) : null;
    const holders = [p.organisation.id, ...(traderOrg?.kind === 'trader' ? [traderOrg.id] : [])];
    // A trader's device is lent only with its consent: given beforehand, or asked by the declaration.
    const standing = traderOrg?.kind === 'trader' ? await this.deps.store.custody.standingConsents(traderOrg.id, p.organisation.id) : [];
    const out: Array<{ device: Device; holder: string; consented: boolean }> = [];
    let cursor: string | null = null;
    do {
      const page = await this.deps.store.devices.list({ limit: 1000, cursor });
      for (const device of page.items) {
        if ((await this.deps.store.custody.armings(device.id)).some((a) => !a.released)) continue;
        if (isPlatform(p)) {
          out.push({ device, holder: p.organisation.id, consented: true });
          continue;
        }
        const grants = await this.deps.store.custody.grants(device.id);
        const by = holders.find((h) => holdsCustody(grants, h, at));
        if (!by) continue;
        const consented = by === p.organisation.id || standing.some((c) => standingConsentCovers(c, by, p.organisation.id, device.id, at));
        out.push({ device, holder: by, consented });
      }
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  private async assertHeld(p: Principal, m: { devices: readonly DeviceId[]; trader: string | null }, at: Timestamp): Promise<void> {
    if (isPlatform(p)) return;
    // The trader's custody counts only when the trader named is a trader organisation: naming
    // another administration, or an organisation that does not exist, as the "trader" must not
    // lend its devices to the declarant (found by the adversarial pass of 2026-12-07).
    const trader = m.trader ? await this.deps.store.access.getOrganisation(m.trader) : null;
    const holders = [p.organisation.id, trader?.kind === 'trader' ? trader.id : null];
    for (const d of m.devices) assertCustody(d, await this.deps.store.custody.grants(d), holders, at);
  }

  /**
   * Claims the movement's devices and stores it, in one transaction (device_on_movement, 409, when
   * a device is on a movement not ended). Outside the principal's scope that other movement is not
   * named: a party learns that the device is taken, not whose cargo it seals.
   */
  async declare(p: Principal, movement: Movement, seesMovement: (p: Principal, id: MovementId) => Promise<boolean>): Promise<void> {
    try {
      await this.deps.store.custody.declare(movement);
      // The trader's devices are asked for once the declaration holds them (not before: a refused
      // declaration asks nothing). A crash in between is healed at the start, which asks again.
      await this.lending.requestFor(p, movement);
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'device_on_movement')) throw e;
      const other = e.details?.movement as MovementId | undefined;
      if (other && (await seesMovement(p, other))) throw e;
      const device = e.details?.device;
      throw new DomainError(
        'device_on_movement',
        `device ${String(device ?? '')} is on another movement, which has not ended`.replace('device  is', 'a device is'),
        { ...(device ? { device } : {}), field: 'devices' },
      );
    }
  }

  /** Stores a lifecycle step; a start arms the movement's devices from `at`, an end releases them at `at`, in the same transaction. */
  recordStep(movement: Movement, action: MovementAction, at: Timestamp): Promise<void> {
    const change = action === 'start' ? { arm: at } : action === 'end' ? { release: at } : null;
    return this.deps.store.custody.recordStep(movement, change);
  }

  /**
   * Throws unless a departure recorded at `at` is allowed: within the backdating window, not
   * before any device's previous movement ended (backdated_start), and with every device held
   * at that time (device_not_in_custody).
   */
  async assertStart(p: Principal | null, m: Movement, at: Timestamp): Promise<void> {
    const now = toTimestamp(this.deps.now());
    for (const d of m.devices) {
      const armings = await this.deps.store.custody.armings(d);
      const previousEnd = previousArmingEnd(armings, m.id);
      try {
        assertStartTime({ device: d, at, now, previousEnd, maxBackdateMs: this.deps.bounds.startBackdateMaxMs });
      } catch (err) {
        if (p && err instanceof DomainError && err.details?.previousEnd) {
          await this.assertPreviousVisible(p, d, at, armings.find((a) => a.movement !== m.id && a.to === previousEnd)?.movement);
        }
        throw err;
      }
    }
    // A departure recorded before the declaration must agree with where the devices were. The
    // platform (the demo, the simulator, the installation's operator) is trusted to record history.
    if (p && !isPlatform(p) && at < m.createdAt) {
      const office = await this.deps.store.offices.get(m.departureOffice);
      for (const d of office ? m.devices : []) {
        assertDepartedFrom({
          device: d,
          at,
          office: office!,
          firstFix: await this.firstFix(d, at, m.createdAt),
          lastFix: await this.lastFix(d, at),
        });
      }
    }
    if (p) await this.assertHeld(p, m, at);
    if (p) await this.lending.assertConsented(p, m, at);
  }

  /**
   * When the previous movement is outside the caller's scope (another administration's cargo),
   * its end time is not theirs to learn: the refusal says only that the start reaches before the
   * device's previous movement ended.
   */
  private async assertPreviousVisible(p: Principal, device: DeviceId, at: Timestamp, previous: MovementId | undefined): Promise<void> {
    const prev = previous ? await this.deps.store.movements.get(previous) : null;
    if (prev && (await new Scopes(this.deps.store).canSee(p, prev))) return;
    throw new DomainError(
      'backdated_start',
      `device ${device} was on another movement after ${at}: a departure cannot be recorded before that movement ended`,
      { device, time: at },
    );
  }

  /** The device's first position reported for a time in [from, to), or null. */
  private async firstFix(device: DeviceId, from: Timestamp, to: Timestamp): Promise<(LatLon & { time: Timestamp }) | null> {
    let cursor: string | null = null;
    do {
      const page = await this.deps.store.observations.listByDevice(device, { from, to, order: 'asc' }, { limit: 200, cursor });
      const hit = page.items.find((o) => o.position);
      if (hit) return { lat: hit.position!.lat, lon: hit.position!.lon, time: hit.time };
      cursor = page.nextCursor;
    } while (cursor);
    return null;
  }

  /** The device's last position reported for a time at or before `at`, or null. */
  private async lastFix(device: DeviceId, at: Timestamp): Promise<(LatLon & { time: Timestamp }) | null> {
    let cursor: string | null = null;
    do {
      const page = await this.deps.store.observations.listByDevice(device, { to: at, order: 'desc' }, { limit: 200, cursor });
      const hit = page.items.find((o) => o.position);
      if (hit) return { lat: hit.position!.lat, lon: hit.position!.lon, time: hit.time };
      cursor = page.nextCursor;
    } while (cursor);
    return null;
  }

  /** The movement a device is on (claimed or armed, not ended), or null. */
  async currentMovement(device: DeviceId): Promise<MovementId | null> {
    return (await this.deps.store.custody.armings(device)).find((a) => !a.released)?.movement ?? null;
  }

  /**
   * Throws unless the principal may register this office: its area of an office's size
   * (office_area_too_large), inside its country (office_outside_country), and, for a customs
   * administration of one country, an office of that country (outside_jurisdiction).
   */
  assertOfficeAllowed(p: Principal, office: Pick<Office, 'code' | 'country' | 'area'>): void {
    if (p.organisation.kind === 'customs' && p.organisation.country && office.country !== p.organisation.country) {
      throw new DomainError(
        'outside_jurisdiction',
        `${p.organisation.id} registers offices in ${p.organisation.country}, not ${office.country}`,
        { field: 'country' },
      );
    }
    assertOfficeArea(office, this.deps.bounds.officeMaxRadiusM, this.deps.countryAt);
  }

  /**
   * Who may edit or delete a registered office: the platform, or the customs administration of the
   * office's country (an office belongs to its administration's country); outside_jurisdiction otherwise.
   */
  assertOfficeOwner(p: Principal, office: Pick<Office, 'code' | 'country'>): void {
    if (isPlatform(p)) return;
    if (p.organisation.kind === 'customs' && p.organisation.country === office.country) return;
    throw new DomainError('outside_jurisdiction', `office ${office.code} belongs to the administration of ${office.country}`, {
      office: office.code,
    });
  }

  /** True when the office's area is of an office's size and inside its country (a remote unlock relies on it). */
  isOfficeAreaSound(office: Pick<Office, 'code' | 'country' | 'area'>): boolean {
    try {
      assertOfficeArea(office, this.deps.bounds.officeMaxRadiusM, this.deps.countryAt);
      return true;
    } catch {
      return false;
    }
  }
}
