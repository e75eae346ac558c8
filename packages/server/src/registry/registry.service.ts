/**
 * The registry: offices, devices and movements, with the checks a customs officer expects
 * (known offices and devices, valid container numbers) and the movement lifecycle.
 */
import {
  applyMovementAction,
  assertMayRecordStep,
  asEventId,
  asMovementId,
  assertAreaRings,
  DomainError,
  isValidContainerNumber,
  toTimestamp,
  type Device,
  type DeviceId,
  type DeviceKey,
  type DomainEvent,
  type Movement,
  type MovementAction,
  type MovementCountries,
  type MovementId,
  type Office,
  type OfficeCode,
  type Principal,
  type Timestamp,
} from '@sealwatch/core';
import type { CustodyService } from '../custody/custody.service';
import type { Scopes } from '../access/scope';
import type { Store } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import { checkDeviceKey } from './device-key';
import type { DeviceKeyService } from '../keys/device-keys.service';

export type NewOffice = Omit<Office, 'createdAt'>;
/** What an office's edit may change: never its code (movements and records name it) nor its creation time. */
export type OfficePatch = Partial<Pick<Office, 'name' | 'country' | 'area'>>;
/** A device to register with its first key (full material: it goes to the key list, not the device record). */
export type NewDevice = Omit<Device, 'createdAt' | 'key'> & { key: DeviceKey | null };
export type NewMovement = Omit<Movement, 'id' | 'status' | 'createdAt' | 'startedAt' | 'arrivedAt' | 'endedAt' | 'updatedAt'>;

export class RegistryService {
  constructor(
    private readonly deps: {
      store: Pick<Store, 'devices' | 'movements' | 'offices' | 'processing'>;
      bus: StreamBus;
      now: () => number;
      newId: () => string;
      onDeviceChanged: (id: string) => void;
      /** The device key lifecycle: a registered device's key becomes its first key (secrets sealed). */
      keys: DeviceKeyService;
      /** Who holds which device, and which movement each is on. */
      custody: CustodyService;
      /** Whether a movement is in a principal's scope (what a refusal may name). */
      scopes: Pick<Scopes, 'canSeeId'>;
      /** After a lifecycle step is stored and published (the risk assessment on arrival hooks in here). */
      onMovementChanged?: (movement: Movement, action: MovementAction) => Promise<void>;
    },
  ) {}

  /**
   * Registers an office; `actor` (the API caller) is held to its country and the area bounds. A code
   * that movements already name with no office behind it (an office deleted before offices named by
   * movements were kept, or a partner's office an announcement named) is registered by the platform
   * only: registering it would hand those movements to the administration of the country given.
   */
  async createOffice(input: NewOffice, actor: Principal): Promise<Office> {
    this.deps.custody.assertOfficeAllowed(actor, input);
    if (actor.organisation.kind !== 'platform' && !(await this.deps.store.offices.get(input.code))) {
      await this.assertOfficeUnused(input, actor, 'register');
    }
    const office: Office = { ...input, createdAt: toTimestamp(this.deps.now()) };
    await this.deps.store.offices.create(office);
    return office;
  }

  /**
   * Changes an office's name, country or area. The caller must own it (assertOfficeOwner) and the
   * result follows the rules of a new office. Its area and country are what movements not yet ended
   * rely on (arrival, unlock, which administration records a step): while any names it, only the
   * name may change (office_in_use).
   */
  async updateOffice(code: OfficeCode, patch: OfficePatch, actor: Principal): Promise<Office> {
    const office = await this.ownedOffice(code, actor);
    const next: Office = {
      ...office,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.country !== undefined ? { country: patch.country } : {}),
      ...(patch.area !== undefined ? { area: patch.area } : {}),
    };
    this.deps.custody.assertOfficeAllowed(actor, next);
    // The country decides whose jurisdiction every movement naming the office is in, ended ones
    // included: it never changes under any of them. The area matters to movements under way only.
    if (next.country !== office.country) await this.assertOfficeUnused(office, actor, 'recountry');
    else if (JSON.stringify(next.area) !== JSON.stringify(office.area)) await this.assertOfficeUnused(office, actor, 'move');
    if (!(await this.deps.store.offices.update(next))) throw new DomainError('unknown_office', `no office with code ${code}`);
    return next;
  }

  /**
   * Deletes an office its caller owns that no movement names, ended ones included (office_in_use):
   * a movement's jurisdiction is read from its offices' countries, and a deleted code could be
   * registered again in another country, moving the movement's records to that administration.
   * An office movements have used is kept (renamed if it closes), as a customs office list keeps it.
   */
  async deleteOffice(code: OfficeCode, actor: Principal): Promise<Office> {
    const office = await this.ownedOffice(code, actor);
    await this.assertOfficeUnused(office, actor, 'delete');
    if (!(await this.deps.store.offices.delete(code))) throw new DomainError('unknown_office', `no office with code ${code}`);
    return office;
  }

  private async ownedOffice(code: OfficeCode, actor: Principal): Promise<Office> {
    const office = await this.deps.store.offices.get(code);
    if (!office) throw new DomainError('unknown_office', `no office with code ${code}`);
    this.deps.custody.assertOfficeOwner(actor, office);
    return office;
  }

  /**
   * office_in_use naming how many movements rely on it, and the references of those the caller may
   * see: for its area, those not yet ended; for its country, its existence or its code, every one.
   */
  private async assertOfficeUnused(
    office: Pick<Office, 'code'>,
    actor: Principal,
    change: 'move' | 'recountry' | 'delete' | 'register',
  ): Promise<void> {
    const which = change === 'move' ? 'open' : 'all';
    const using = await this.deps.store.offices.movementsUsing(office.code, 50, which);
    if (!using.length) return;
    const visible: string[] = [];
    for (const m of using) if (await this.deps.scopes.canSeeId(actor, m.id)) visible.push(m.reference);
    const what = {
      move: 'movements not yet ended name it: its area cannot change',
      recountry: 'movements name it, ended ones included: its country cannot change',
      delete: 'movements name it, ended ones included: it cannot be deleted',
      register: 'movements already name this code: only the platform registers it',
    }[change];
    throw new DomainError('office_in_use', `office ${office.code}: ${what}`, {
      office: office.code,
      movements: using.length >= 50 ? '50 or more' : using.length,
      references: visible,
    });
  }

  async createDevice(input: NewDevice): Promise<Device> {
    const { key, ...rest } = input;
    if (key) checkDeviceKey(key);
    // The record holds no key material: the key list does (device_keys), and sets the record's public `key`.
    const device: Device = { ...rest, key: null, createdAt: toTimestamp(this.deps.now()) };
    await this.assertNamesFree(device);
    await this.deps.store.devices.create(device);
    if (key) {
      const { key: first } = await this.deps.keys.provision(device, { key }, device.createdAt);
      device.key = first.alg === 'HS256' ? { alg: 'HS256' } : ({ alg: first.alg, jwk: first.jwk } as DeviceKey);
    }
    this.deps.onDeviceChanged(device.id);
    return device;
  }

  /**
   * Vendor frames and trade documents name a device by its id, IMEI, EPC or seal number, and the
   * first device answering to that name gets the data: two devices answering to one name would let
   * whoever registers second divert another party's device (its positions and seal states) to a
   * record it owns. Each name therefore belongs to one device (409 device_identifier_taken, which
   * names the field, not the other device). Names are compared without case: network servers and
   * readers write hex DevEUIs and EPCs in either case, and a twin differing only in case took
   * another provider's LoRaWAN seal over in an adversarial pass.
   */
  private async assertNamesFree(d: Pick<Device, 'id' | 'identifiers'>): Promise<void> {
    const { devices } = this.deps.store;
    // A taken id is device_exists (the store says so), whatever names it carries.
    if (await devices.get(d.id as DeviceId)) return;
    const twin = await devices.findByIdentifier('id', d.id);
    if (twin) throw new DomainError('device_exists', `a device whose id differs from ${d.id} only in case already exists`, { id: d.id });
    const ids = d.identifiers ?? {};
    const checks: Array<[field: string, kind: 'id' | 'imei' | 'epc' | 'sealNumber', value: string | undefined]> = [
      ['id', 'imei', d.id],
      ['identifiers.imei', 'imei', ids.imei],
      // A device whose id is its own IMEI (as approving a pending device registers it) is fine.
      ['identifiers.imei', 'id', ids.imei?.toLowerCase() === d.id.toLowerCase() ? undefined : ids.imei],
      ['identifiers.epc', 'epc', ids.epc],
      ['identifiers.sealNumber', 'sealNumber', ids.sealNumber],
    ];
    for (const [field, kind, value] of checks) {
      if (value !== undefined && (await devices.findByIdentifier(kind, value)))
        throw new DomainError('device_identifier_taken', `${field} already names another registered device`, { field });
    }
  }

  /**
   * Declares a movement: its devices must be in the custody of `actor`'s organisation or of the
   * trader (device_not_in_custody) and on no other movement not ended (device_on_movement).
   */
  async createMovement(input: NewMovement, actor: Principal): Promise<Movement> {
    const { store } = this.deps;
    if (input.container !== null && !isValidContainerNumber(input.container)) {
      throw new DomainError(
        'invalid_container_number',
        `${input.container} is not a valid ISO 6346 container number (owner code, category, serial, check digit)`,
        { container: input.container },
      );
    }
    for (const [i, stop] of input.authorizedStops.entries()) assertAreaRings(stop.area, `authorizedStops[${i}].area`);
    const offices: Office[] = [];
    for (const field of ['departureOffice', 'destinationOffice'] as const) {
      const code = input[field];
      const office = await store.offices.get(code);
      if (!office) throw new DomainError('unknown_office', `no office with code ${code}`, { office: code, field });
      offices.push(office);
    }
    for (const code of input.transitOffices ?? []) {
      if (!(await store.offices.get(code)))
        throw new DomainError('unknown_office', `no office with code ${code}`, { office: code, field: 'transitOffices' });
    }
    for (const id of input.devices) {
      if (!(await store.devices.get(id)))
        throw new DomainError('unknown_device', `no device with id ${id}`, { device: id, field: 'devices' });
    }
    await this.deps.custody.assertMayDeclare(actor, input, offices[0]);
    const now = toTimestamp(this.deps.now());
    const movement: Movement = {
      ...input,
      id: asMovementId(this.deps.newId()),
      status: 'declared',
      createdAt: now,
      startedAt: null,
      arrivedAt: null,
      endedAt: null,
      updatedAt: now,
    };
    await this.deps.custody.declare(actor, movement, (p, id) => this.deps.scopes.canSeeId(p, id));
    await this.record(movement, 'movement_declared', now);
    return movement;
  }

  /**
   * start / arrive / end, with the optional time the officer recorded. Each step is its office's
   * administration's (not_departure_administration, not_destination_administration for `actor`).
   * A start arms the devices from that time (backdated_start, device_not_in_custody for `actor`);
   * an end releases them; the step and the armings are stored in one transaction.
   */
  async changeMovement(id: MovementId, action: MovementAction, time: Timestamp | undefined, actor: Principal | null): Promise<Movement> {
    const current = await this.deps.store.movements.get(id);
    if (!current) throw new DomainError('unknown_movement', `no movement with id ${id}`);
    if (actor) assertMayRecordStep(actor, action, await this.countriesOf(current));
    const { movement, event, time: at } = applyMovementAction(current, action, toTimestamp(this.deps.now()), time);
    if (action === 'start') await this.deps.custody.assertStart(actor, movement, at);
    await this.deps.custody.recordStep(movement, action, at);
    await this.record(movement, event, at);
    await this.deps.onMovementChanged?.(movement, action);
    return movement;
  }

  private async countriesOf(m: Movement): Promise<MovementCountries> {
    const [departure, destination] = await Promise.all([m.departureOffice, m.destinationOffice].map((c) => this.deps.store.offices.get(c)));
    return { departure: departure?.country ?? null, destination: destination?.country ?? null };
  }

  private async record(movement: Movement, type: DomainEvent['type'], time: Timestamp): Promise<void> {
    const event: DomainEvent = {
      id: asEventId(this.deps.newId()),
      type,
      movement: movement.id,
      device: null,
      time,
      details: { reference: movement.reference, status: movement.status },
      observation: null,
      createdAt: toTimestamp(this.deps.now()),
    };
    await this.deps.store.processing.record([event], []);
    this.deps.bus.publish({ kind: 'event', data: event });
    this.deps.bus.publish({ kind: 'movement', data: movement });
  }
}
