/**
 * The demo fleet: one truck per corridor, each with its device, cargo and scripted incidents, and
 * the pure builders of what the demo sends (device registration, movement, message payload).
 */
import type { DeviceClass, DeviceKind, SealReading, SigningAlg } from '@sealwatch/core';
import type { NewDevice, NewMovement } from './client';
import { findCorridor, locateOnRoute, type Corridor } from './corridors';
import { compactUtc, containerNumber, imei, sealNumber } from './cargo-identifiers';
import { hashSeed, mulberry32, type Incident, type TripPlan, type TripState } from './trip';
import { demoParty } from './demo-parties';

export interface DemoVehicle {
  corridor: string;
  device: string;
  class: DeviceClass;
  kind: DeviceKind;
  alg: SigningAlg;
  /** Type allocation code of the device's cellular modem, for a realistic IMEI. */
  tac: string;
  /** Seal state when armed at departure. */
  seal: SealReading;
  /** Scripted seal events, seconds after the demo goes live (not after departure). */
  incidents: Incident[];
  speedKmh: number;
  /** How long before the demo's start its first trip departed, hours: the history shown at once. */
  departedHoursAgo: number;
  containerOwner: string;
  sealPrefix: string;
  /** The trader organisation's id: its users see this movement in the trader portal. */
  trader: string;
  vehicle: string;
}

export const demoVehicles: DemoVehicle[] = [
  {
    corridor: 'MSA-KLA',
    device: 'KE-ELOCK-0001',
    class: 'active',
    kind: 'e_lock',
    alg: 'EdDSA',
    tac: '86107303',
    seal: { state: 'closed', rope: 'inserted', lock: 'locked' },
    // The lock reports tampering (someone working the shackle) within the first minute, then holds.
    incidents: [
      { atS: 25, seal: { state: 'tampered' } },
      { atS: 50, seal: { state: 'closed' } },
    ],
    speedKmh: 55,
    departedHoursAgo: 5,
    containerOwner: 'MSCU',
    sealPrefix: 'KRA',
    trader: demoParty.aeoTrader,
    vehicle: 'KDA 512Q / ZE 4431',
  },
  {
    corridor: 'RTM-MIL',
    device: 'NL-ESEAL-0001',
    class: 'active',
    kind: 'e_seal',
    alg: 'ES256',
    tac: '35332211',
    seal: { state: 'closed', rope: 'inserted' },
    incidents: [],
    speedKmh: 70,
    departedHoursAgo: 6,
    containerOwner: 'HLXU',
    sealPrefix: 'NLD',
    trader: demoParty.aeoTrader,
    vehicle: 'BX-512-Z / OR-61-PL',
  },
  {
    corridor: 'DAR-KGL',
    device: 'TZ-ESEAL-0001',
    class: 'active',
    kind: 'e_seal',
    alg: 'HS256',
    tac: '86681704',
    seal: { state: 'closed', rope: 'inserted' },
    // The rope is cut and the seal opens about two minutes in, and stays so.
    incidents: [{ atS: 120, seal: { state: 'open', rope: 'cut' } }],
    speedKmh: 55,
    departedHoursAgo: 4,
    containerOwner: 'CMAU',
    sealPrefix: 'TRA',
    trader: demoParty.trader,
    vehicle: 'T 482 DKS / T 913 DKT',
  },
];

/** Registration of the vehicle's device, owned by the demo device provider; `key` is the public part of its demo key. */
export function buildDemoDevice(v: DemoVehicle, key: NewDevice['key'], reportIntervalS: number): NewDevice {
  const n = hashSeed(v.device);
  return {
    id: v.device,
    class: v.class,
    kind: v.kind,
    protocol: 'native',
    identifiers: { imei: imei(v.tac, n), sealNumber: sealNumber(`${v.sealPrefix}E`, n) },
    reportIntervalS,
    key,
    owner: demoParty.deviceProvider,
  };
}

/** A fresh movement for the vehicle departing at `nowMs`; cargo numbers vary with the seed and time. */
export function buildDemoMovement(v: DemoVehicle, seed: string, nowMs: number): NewMovement {
  const corridor = findCorridor(v.corridor);
  const rand = mulberry32(hashSeed(seed, v.device, nowMs));
  const serial = () => Math.floor(rand() * 10_000_000);
  return {
    reference: `DEMO-${corridor.id}-${compactUtc(nowMs)}`,
    container: containerNumber(v.containerOwner, serial()),
    devices: [v.device],
    seals: [sealNumber(`${v.sealPrefix}E`, hashSeed(v.device)), sealNumber(v.sealPrefix, serial())],
    departureOffice: corridor.departureOffice,
    destinationOffice: corridor.destinationOffice,
    route: corridor.route,
    corridorWidthM: 2000,
    authorizedStops: corridor.authorizedStops,
    timeLimit: new Date(nowMs + corridor.transitHours * 3_600_000).toISOString(),
    trader: v.trader,
    vehicle: v.vehicle,
  };
}

/**
 * Planned stops on the way: half of each authorised stop's maximum dwell (at most 45 minutes of
 * road time), so the truck stands inside the stop area well within what is allowed.
 */
export function plannedStops(corridor: Corridor): NonNullable<TripPlan['stops']> {
  return corridor.authorizedStops.map((s) => {
    const center = 'center' in s.area ? s.area.center : { lat: s.area.coordinates[0][0][1], lon: s.area.coordinates[0][0][0] };
    return { atM: locateOnRoute(corridor.route.coordinates, center).alongM, dwellS: Math.min(45, s.maxDwellMinutes / 2) * 60 };
  });
}

/** The native protocol v1 payload for one reading (DESIGN §5). */
export function buildPayload(device: string, seq: number, timeMs: number, s: TripState): { device: string } & Record<string, unknown> {
  return {
    device,
    seq,
    time: new Date(timeMs).toISOString(),
    position: s.position,
    seal: s.seal,
    door: s.door,
    sensors: s.sensors,
    battery: s.battery,
  };
}
