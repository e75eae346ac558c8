/**
 * A pure model of one truck's trip along a route: where the device is, how fast it goes, what its
 * seal, sensors and battery say at a given wall-clock time. No clock inside: time is an argument,
 * and all noise comes from a PRNG seeded by the trip's seed and that time, so the same plan and
 * time always give the same state.
 *
 * Time runs `speedup` times faster on the road than on the wall clock: a 20-hour drive with
 * speedup 72 takes about 17 minutes. Reported speeds are the truck's road speed, not the
 * accelerated one. Incidents are scheduled in wall seconds after departure, so a demo can
 * promise "a tamper within the first minute" whatever the speed-up.
 */
import { pointAlongLine, lineLengthM, type LineCoordinates, type Position, type SealReading, mulberry32 } from '@sealwatch/core';

/** A change of seal or door state, `atS` wall seconds after departure; it lasts until the next one. */
export interface Incident {
  atS: number;
  seal?: SealReading;
  door?: 'open' | 'closed';
}

export interface TripPlan {
  route: LineCoordinates;
  /** Wall-clock departure, epoch milliseconds. */
  departureMs: number;
  /** Simulated seconds per wall-clock second (1 = real time). */
  speedup: number;
  /** Average road speed while driving, km/h. */
  speedKmh: number;
  seed: number;
  incidents?: Incident[];
  /** Planned stops: `atM` metres from the start, `dwellS` simulated seconds standing there. */
  stops?: { atM: number; dwellS: number }[];
  /** Seal state at departure; default armed: closed, rope inserted, locked. */
  seal?: SealReading;
  /** Battery at departure (%), and its drain per simulated hour (%). */
  batteryStart?: number;
  batteryDrainPerHour?: number;
  climate?: { temperatureC: number; humidity: number };
}

export interface TripState {
  /** Wall seconds since departure (0 before it). */
  elapsedS: number;
  /** Simulated seconds on the road since departure. */
  simElapsedS: number;
  distanceM: number;
  /** 0..1 of the route length. */
  progress: number;
  stopped: boolean;
  arrived: boolean;
  position: Required<Position>;
  seal: SealReading;
  door: 'open' | 'closed';
  sensors: { temperature: number; humidity: number; shock: number; light: number };
  battery: { level: number; voltage: number };
}

export interface Trip {
  plan: TripPlan;
  lengthM: number;
  /** Simulated seconds from departure to arrival, stops included. */
  simDurationS: number;
  /** Wall-clock seconds from departure to arrival. */
  durationS: number;
  stateAt(wallMs: number): TripState;
}

/** The seeded generator lives in core (tests there use it too); re-exported for the simulator's users. */
export { mulberry32 };

/** A 32-bit seed from any strings or numbers (FNV-1a over their text). */
export function hashSeed(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h >>> 0;
}

/** A standard normal deviate from two uniform draws (Box–Muller). */
export function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** The speed-up that makes a drive of `lengthM` at `speedKmh` (plus `dwellS` of stops) last `wallS`. */
export function speedupForDuration(lengthM: number, speedKmh: number, wallS: number, dwellS = 0): number {
  return (lengthM / (speedKmh / 3.6) + dwellS) / wallS;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const M_PER_DEG = 111_320;

/** Prepares a trip; `stateAt` is then cheap enough to call for thousands of devices a second. */
export function planTrip(plan: TripPlan): Trip {
  if (!(plan.speedup > 0) || !(plan.speedKmh > 0)) throw new Error('speedup and speedKmh must be positive');
  const lengthM = lineLengthM(plan.route);
  const v = plan.speedKmh / 3.6;
  const stops = (plan.stops ?? []).filter((s) => s.atM > 0 && s.atM < lengthM && s.dwellS > 0).sort((a, b) => a.atM - b.atM);
  const simDurationS = lengthM / v + stops.reduce((s, x) => s + x.dwellS, 0);
  const incidents = [...(plan.incidents ?? [])].sort((a, b) => a.atS - b.atS);
  const initialSeal: SealReading = plan.seal ?? { state: 'closed', rope: 'inserted', lock: 'locked' };

  /** Distance driven after `t` simulated seconds, and whether the truck stands at a stop. */
  const travelled = (t: number): { at: number; stopped: boolean } => {
    let from = 0;
    for (const s of stops) {
      const reach = (s.atM - from) / v;
      if (t < reach) return { at: from + t * v, stopped: false };
      t -= reach;
      if (t < s.dwellS) return { at: s.atM, stopped: true };
      t -= s.dwellS;
      from = s.atM;
    }
    return { at: Math.min(lengthM, from + t * v), stopped: false };
  };

  const stateAt = (wallMs: number): TripState => {
    const elapsedS = Math.max(0, (wallMs - plan.departureMs) / 1000);
    const simElapsedS = Math.min(elapsedS * plan.speedup, simDurationS);
    const arrived = elapsedS * plan.speedup >= simDurationS;
    // Before the departure the truck stands at the start (a training run may arm the seal and check it first).
    const { at, stopped } = arrived || wallMs < plan.departureMs ? { at: arrived ? lengthM : 0, stopped: true } : travelled(simElapsedS);
    const p = pointAlongLine(plan.route, at);
    const rand = mulberry32(hashSeed(plan.seed, Math.round(wallMs)));

    // GNSS error: about 4 m (1 sigma) on each axis, reported accuracy 4-12 m.
    const errM = 4;
    const lat = p.lat + (gaussian(rand) * errM) / M_PER_DEG;
    const lon = p.lon + (gaussian(rand) * errM) / (M_PER_DEG * Math.cos((p.lat * Math.PI) / 180));
    const moving = !stopped;
    const speed = moving ? Math.max(5, plan.speedKmh + gaussian(rand) * 4) : 0;
    const heading = (p.headingDeg + (moving ? gaussian(rand) * 2 : 0) + 360) % 360;

    let seal = { ...initialSeal };
    let door: 'open' | 'closed' = 'closed';
    for (const inc of incidents) {
      if (inc.atS > elapsedS) break;
      if (inc.seal) seal = { ...seal, ...inc.seal };
      if (inc.door) door = inc.door;
    }

    // A day's temperature swing by local solar time at the truck (UTC hour + longitude / 15).
    const simNowMs = plan.departureMs + simElapsedS * 1000;
    const solarHour = (new Date(simNowMs).getUTCHours() + new Date(simNowMs).getUTCMinutes() / 60 + p.lon / 15 + 24) % 24;
    const swing = Math.sin((2 * Math.PI * (solarHour - 9)) / 24);
    const climate = plan.climate ?? { temperatureC: 20, humidity: 60 };
    const level = Math.max(1, (plan.batteryStart ?? 96) - (plan.batteryDrainPerHour ?? 0.6) * (simElapsedS / 3600));

    return {
      elapsedS,
      simElapsedS,
      distanceM: at,
      progress: lengthM > 0 ? at / lengthM : 1,
      stopped,
      arrived,
      position: {
        lat: round(lat, 6),
        lon: round(lon, 6),
        accuracy: Math.round(4 + Math.abs(gaussian(rand)) * 4),
        speed: round(speed, 1),
        heading: Math.round(heading) % 360,
        source: 'gnss',
      },
      seal,
      door,
      sensors: {
        temperature: round(climate.temperatureC + 5 * swing + gaussian(rand) * 0.3, 1),
        humidity: Math.round(Math.min(100, Math.max(5, climate.humidity - 12 * swing + gaussian(rand)))),
        shock: round(Math.abs(gaussian(rand)) * (moving ? 0.08 : 0.01), 2),
        light: door === 'open' ? Math.round(150 + rand() * 100) : 0,
      },
      battery: { level: round(level, 1), voltage: round(3.4 + (0.8 * level) / 100, 2) },
    };
  };

  return { plan, lengthM, simDurationS, durationS: simDurationS / plan.speedup, stateAt };
}
