/**
 * DCSA Track & Trace for movements (DESIGN §8, docs/exchange.md). T&T 2.2 EquipmentEvents: the
 * container gated out at the office of departure when the movement starts (GTOT) and gated in at
 * the office of destination when it arrives (GTIN), with the customs seals (sealSource CUS). T&T
 * 2.2 has no IoT events: door opened/closed (DRO/DRC) and location (LOC) follow the DCSA IoT 1.0 /
 * T&T 3.0 drafts, built to their documented fields (no schema of them is in reference/).
 */
import type { DomainEvent, LatLon, Movement, Observation } from '../model';

/** T&T 2.2's seal types (no electronic type exists): keyless padlock, bolt, wire. */
export type DcsaSealType = 'KLP' | 'BLT' | 'WIR';

export interface DcsaSeal {
  sealNumber: string;
  sealSource: 'CUS';
  sealType: DcsaSealType;
}

/** Where an office is, as T&T 2.2's `location`: its name and the centre of its area (strings, 7 decimals). */
export interface DcsaPlace {
  name: string;
  position: LatLon;
}

export type DcsaEquipmentEvent = {
  eventID: string;
  eventCreatedDateTime: string;
  eventType: 'EQUIPMENT';
  eventClassifierCode: 'ACT';
  eventDateTime: string;
  equipmentEventTypeCode: 'GTOT' | 'GTIN';
  equipmentReference: string;
  emptyIndicatorCode: 'LADEN';
  eventLocation: { locationName: string; latitude?: string; longitude?: string };
  seals: DcsaSeal[];
};

export interface DcsaMovementInput {
  movement: Pick<Movement, 'container' | 'seals' | 'departureOffice' | 'destinationOffice'>;
  events: Pick<DomainEvent, 'id' | 'type' | 'time' | 'createdAt'>[];
  /** The offices of the movement by code (absent: the event carries the code as its location name only). */
  offices: Record<string, DcsaPlace | undefined>;
  /** The seal type of each seal number (from its device's kind); absent seals are bolts (ISO 17712). */
  sealTypes: Record<string, DcsaSealType>;
}

/** T&T 2.2 limits `sealNumber` to 15 characters and `equipmentReference` to 15. */
const MAX_SEAL = 15;
const MAX_EQUIPMENT = 15;

const place = (code: string, offices: DcsaMovementInput['offices']): DcsaEquipmentEvent['eventLocation'] => {
  const o = offices[code];
  // latitude ≤ 10 and longitude ≤ 11 characters in 2.2: 7 decimals fit (-89.1234567, -179.1234567).
  return o
    ? { locationName: o.name.slice(0, 100), latitude: o.position.lat.toFixed(7), longitude: o.position.lon.toFixed(7) }
    : { locationName: code.slice(0, 100) };
};

/**
 * The T&T 2.2 EquipmentEvents of one movement: GTOT for `movement_started`, GTIN for
 * `movement_arrived`, in the order of its events. None when the movement has no container (a
 * vehicle alone has no equipment reference) or its container is longer than 2.2 allows. Seals
 * longer than 15 characters cannot be carried by 2.2 and are left out (docs/exchange.md).
 */
export function dcsaEquipmentEvents(input: DcsaMovementInput): DcsaEquipmentEvent[] {
  const { movement: m } = input;
  if (!m.container || m.container.length > MAX_EQUIPMENT) return [];
  const seals: DcsaSeal[] = m.seals
    .filter((s) => s.length <= MAX_SEAL)
    .map((s) => ({ sealNumber: s, sealSource: 'CUS', sealType: input.sealTypes[s] ?? 'BLT' }));
  const out: DcsaEquipmentEvent[] = [];
  for (const e of input.events) {
    const code = e.type === 'movement_started' ? 'GTOT' : e.type === 'movement_arrived' ? 'GTIN' : null;
    if (!code) continue;
    out.push({
      eventID: e.id,
      eventCreatedDateTime: e.createdAt,
      eventType: 'EQUIPMENT',
      eventClassifierCode: 'ACT',
      eventDateTime: e.time,
      equipmentEventTypeCode: code,
      equipmentReference: m.container,
      emptyIndicatorCode: 'LADEN',
      eventLocation: place(code === 'GTOT' ? m.departureOffice : m.destinationOffice, input.offices),
      seals,
    });
  }
  return out;
}

/** The seal type T&T 2.2 can name for a seal device's kind: an e-lock is a padlock; other seals are bolts. */
export const dcsaSealType = (kind: string | undefined): DcsaSealType => (kind === 'e_lock' ? 'KLP' : 'BLT');

/** A DCSA IoT 1.0 / T&T 3.0 draft IoT event: the door opened or closed, or where the container is. */
export type DcsaIotEvent = {
  eventID: string;
  eventCreatedDateTime: string;
  eventType: 'IOT';
  eventClassifierCode: 'ACT';
  eventDateTime: string;
  /** DETC (detected): the only IoT event type code of the drafts. */
  iotEventTypeCode: 'DETC';
  iotEventCode: 'DRO' | 'DRC' | 'LOC';
  equipmentReference: string;
  geoLocation?: { latitude: string; longitude: string };
};

/**
 * The draft IoT events of one movement's container from its devices' observations (in time
 * order): DRO/DRC when a reported door state changes (the first report of a state counts as a
 * change), LOC for every position fix. `idOf` names each event from its observation and code.
 */
export function dcsaIotEvents(
  container: string,
  observations: Pick<Observation, 'id' | 'device' | 'time' | 'receivedAt' | 'position' | 'door'>[],
  idOf: (observation: number, code: 'DRO' | 'DRC' | 'LOC') => string,
): DcsaIotEvent[] {
  const out: DcsaIotEvent[] = [];
  const door = new Map<string, string>();
  for (const o of observations) {
    const geoLocation = o.position ? { latitude: o.position.lat.toFixed(7), longitude: o.position.lon.toFixed(7) } : undefined;
    const base = {
      eventCreatedDateTime: o.receivedAt,
      eventType: 'IOT' as const,
      eventClassifierCode: 'ACT' as const,
      eventDateTime: o.time,
      iotEventTypeCode: 'DETC' as const,
      equipmentReference: container,
      ...(geoLocation ? { geoLocation } : {}),
    };
    if (o.door && door.get(o.device) !== o.door) {
      door.set(o.device, o.door);
      const code = o.door === 'open' ? 'DRO' : 'DRC';
      out.push({ eventID: idOf(o.id, code), ...base, iotEventCode: code });
    }
    if (geoLocation) out.push({ eventID: idOf(o.id, 'LOC'), ...base, iotEventCode: 'LOC' });
  }
  return out;
}
