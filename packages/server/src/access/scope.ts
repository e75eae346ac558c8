/**
 * Applies the policy's data scopes to stored data: list filters, and checks on single items.
 * A hidden item answers 404 like a missing one, so a party cannot probe for others' movements.
 */
import {
  DomainError,
  canSeeMovement,
  deviceScope,
  movementScope,
  type Alert,
  type Device,
  type DeviceId,
  type Movement,
  type MovementId,
  type OfficeCode,
  type Principal,
  type Timestamp,
} from '@sealwatch/core';
import type { MovementVisibility, Store } from '../storage/ports';
import { encodeCursor } from '../storage/cursor';

/** A time span a device was on a movement in scope: from its start to its end (null: not ended yet). */
export interface DevicePeriod {
  from: string;
  to: string | null;
}

/** True if the ISO time falls in one of the periods. */
export const withinPeriods = (time: string, periods: readonly DevicePeriod[]): boolean =>
  periods.some((p) => time >= p.from && (p.to === null || time <= p.to));

export class Scopes {
  constructor(private readonly store: Pick<Store, 'devices' | 'movements' | 'offices'>) {}

  private async officeCountries(): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    let cursor: string | null = null;
    do {
      const page = await this.store.offices.list({ limit: 1000, cursor });
      for (const o of page.items) map.set(o.code, o.country);
      cursor = page.nextCursor;
    } while (cursor);
    return map;
  }

  /** The filter for this principal's movement and alert lists: everything, nothing, or a visibility. */
  async movementVisibility(p: Principal): Promise<MovementVisibility | 'all' | 'none'> {
    const scope = movementScope(p);
    switch (scope.kind) {
      case 'all':
      case 'none':
        return scope.kind;
      case 'trader':
        return { trader: scope.trader };
      case 'jurisdiction': {
        const countries = await this.officeCountries();
        return { offices: [...countries].filter(([, c]) => c === scope.country).map(([code]) => code) };
      }
    }
  }

  async canSee(p: Principal, m: Movement): Promise<boolean> {
    const scope = movementScope(p);
    if (scope.kind !== 'jurisdiction') return canSeeMovement(scope, m, () => null);
    const countries = await this.officeCountries();
    return canSeeMovement(scope, m, (code: OfficeCode) => countries.get(code) ?? null);
  }

  /** The movement if it exists and is in scope; unknown_movement (404) otherwise. */
  async movement(p: Principal, id: MovementId | string): Promise<Movement> {
    const m = await this.store.movements.get(id as MovementId);
    if (!m || !(await this.canSee(p, m))) throw new DomainError('unknown_movement', `no movement with id ${id}`);
    return m;
  }

  /** The alert if it exists and is in scope: through its movement; alerts outside movements need the full scope. */
  async alert(p: Principal, alert: Alert | null, id: string): Promise<Alert> {
    const visible = alert && (alert.movement ? await this.canSeeId(p, alert.movement) : movementScope(p).kind === 'all');
    if (!alert || !visible) throw new DomainError('unknown_alert', `no alert with id ${id}`);
    return alert;
  }

  /** True if the movement exists and is in the principal's scope. */
  async canSeeId(p: Principal, id: MovementId): Promise<boolean> {
    const m = await this.store.movements.get(id);
    return !!m && (await this.canSee(p, m));
  }

  /** The device if it exists and is in scope (a provider: its own); unknown_device (404) otherwise. */
  async device(p: Principal, id: DeviceId | string): Promise<Device> {
    const d = await this.store.devices.get(id as DeviceId);
    const scope = deviceScope(p);
    if (!d || scope.kind === 'none' || (scope.kind === 'owner' && d.owner !== scope.owner))
      throw new DomainError('unknown_device', `no device with id ${id}`);
    return d;
  }

  /**
   * A device whose keys this principal may change: the platform's, or its owner's (the provider, or
   * the organisation that registered it). Another party that sees the device, an administration's
   * administrator included, must not put a key on it and then sign readings in its name (found by
   * the adversarial pass of 2026-12-07): for it the device is not there to change (404).
   */
  async ownedDevice(p: Principal, id: DeviceId | string): Promise<Device> {
    const d = await this.device(p, id);
    if (p.organisation.kind !== 'platform' && d.owner !== p.organisation.id)
      throw new DomainError('unknown_device', `no device with id ${id}`);
    return d;
  }

  /** A page of the devices in scope, by id. A provider's list is filtered while paging. */
  async devices(p: Principal, page: { limit: number; cursor?: string | null }): Promise<{ items: Device[]; nextCursor: string | null }> {
    const scope = deviceScope(p);
    if (scope.kind === 'all') return this.store.devices.list(page);
    if (scope.kind === 'none') return { items: [], nextCursor: null };
    const items: Device[] = [];
    let cursor = page.cursor ?? null;
    do {
      const batch = await this.store.devices.list({ limit: 1000, cursor });
      for (const d of batch.items) {
        if (d.owner !== scope.owner) continue;
        items.push(d);
        if (items.length === page.limit) return { items, nextCursor: encodeCursor([d.id]) };
      }
      cursor = batch.nextCursor;
    } while (cursor);
    return { items, nextCursor: null };
  }

  /** Every movement in scope (optionally only those of one device), all pages. */
  async movementsInScope(p: Principal, device?: DeviceId): Promise<Movement[]> {
    const visibility = await this.movementVisibility(p);
    if (visibility === 'none') return [];
    const out: Movement[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.store.movements.list(
        { ...(device ? { device } : {}), ...(visibility === 'all' ? {} : { visibleTo: visibility }) },
        { limit: 1000, cursor },
      );
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  /**
   * When a device's data (positions, seal readings, refusals naming it) is this principal's: `all`
   * for a full scope; otherwise the periods the device was on a started movement in scope, from its
   * start to its end. A customs administration sees a device while it carries its country's cargo,
   * not where the device was before or after for other administrations or traders.
   */
  async devicePeriods(p: Principal, device: DeviceId | string): Promise<'all' | DevicePeriod[]> {
    const scope = movementScope(p);
    if (scope.kind === 'all') return 'all';
    if (scope.kind === 'none') return [];
    return (await this.movementsInScope(p, device as DeviceId))
      .filter((m) => m.startedAt !== null)
      .map((m) => ({ from: m.startedAt!, to: m.endedAt }))
      .sort((a, b) => a.from.localeCompare(b.from));
  }

  /**
   * The devices whose live state (seal, battery) this principal may see now: `all` for a full
   * scope, else the devices of its movements that have not ended, each with the start of that
   * movement (null while declared), before which a position is not the principal's to see.
   */
  async liveDevices(p: Principal): Promise<'all' | Map<string, Timestamp | null>> {
    const scope = movementScope(p);
    if (scope.kind === 'all') return 'all';
    const live = new Map<string, Timestamp | null>();
    if (scope.kind === 'none') return live;
    for (const m of await this.movementsInScope(p)) {
      if (m.status === 'ended') continue;
      for (const d of m.devices) live.set(d, m.startedAt);
    }
    return live;
  }

  /**
   * Whether an audit entry or a refusal naming these subjects (device, movement, `alert:<id>`, …) at
   * `time` concerns this principal: a movement in scope, or a device during one of its periods.
   * Pass one `cache` for a page of entries: each subject is looked up once.
   */
  async subjectsVisible(p: Principal, subjects: readonly string[], time: string, cache: SubjectCache = new Map()): Promise<boolean> {
    if (movementScope(p).kind === 'all') return true;
    for (const subject of subjects) {
      if (subject.includes(':')) continue;
      let found = cache.get(subject);
      if (!found) {
        found = this.subjectScope(p, subject);
        cache.set(subject, found);
      }
      const scope = await found;
      if (scope === true || (Array.isArray(scope) && withinPeriods(time, scope))) return true;
    }
    return false;
  }

  /**
   * The subjects of an entry this principal may read (typed references such as `alert:<id>` kept),
   * or null when none of its movements or devices is in scope. An entry about a movement in scope
   * and one outside it (a trader's export of several movements) shows the first, not the second.
   */
  async visibleSubjects(
    p: Principal,
    subjects: readonly string[],
    time: string,
    cache: SubjectCache = new Map(),
  ): Promise<string[] | null> {
    if (movementScope(p).kind === 'all') return [...subjects];
    const out: string[] = [];
    let any = false;
    for (const subject of subjects) {
      if (subject.includes(':')) {
        out.push(subject);
        continue;
      }
      if (await this.subjectsVisible(p, [subject], time, cache)) {
        out.push(subject);
        any = true;
      }
    }
    return any ? out : null;
  }

  private async subjectScope(p: Principal, subject: string): Promise<SubjectScope> {
    const m = await this.store.movements.get(subject as MovementId);
    if (m) return this.canSee(p, m);
    if (!(await this.store.devices.get(subject as DeviceId))) return false;
    const periods = await this.devicePeriods(p, subject);
    return periods === 'all' ? true : periods;
  }
}

/** A subject seen by a principal: a movement in scope or not, or a device's periods in scope. */
type SubjectScope = boolean | DevicePeriod[];
/** Subjects already looked up, for one page of entries. */
export type SubjectCache = Map<string, Promise<SubjectScope>>;
