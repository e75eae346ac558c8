/**
 * The trip corpus of the transit detectors: honest trips that must raise nothing, and for each
 * detector a trip that must raise exactly its alert, at the right time. Built from seeded data on
 * the Northern Corridor (Mombasa → Nairobi → Malaba border → Kampala), so every run sees the
 * same trips. Each observation carries when it was received: a device's buffer uploaded after a
 * coverage gap arrives late and out of order, and the corpus is evaluated as a live monitor
 * would, at regular times, with only the data received by then (corpus.test.ts).
 *
 * Test support (not exported from the package index); the measured false-alert rate per 1,000 km
 * is reported in docs/transit.md.
 */
import { asDeviceId, asMovementId, asOfficeCode, toTimestamp, type Timestamp } from '../../ids';
import type { AlertType, Area, AuthorizedStop, Checkpoint, Device, DeviceKind, LatLon, Movement, Observation, Office } from '../../model';
import { buildRouteIndex, type RouteIndex } from '../route-index';
import { mulberry32 } from '../../random/seeded';
import { offsetPoint, routePoint } from '../test-builders';

/** Mombasa → Mariakani → Voi → Nairobi → Naivasha → Nakuru → Eldoret → Malaba → Jinja → Kampala, [lon, lat]. */
export const NORTHERN_CORRIDOR: number[][] = [
  [39.63, -4.03],
  [39.55, -3.97],
  [39.47, -3.86],
  [39.28, -3.77],
  [39.04, -3.73],
  [38.74, -3.55],
  [38.56, -3.39],
  [38.47, -2.99],
  [38.17, -2.69],
  [37.97, -2.42],
  [37.82, -2.28],
  [37.47, -2.08],
  [37.38, -2.02],
  [37.25, -1.82],
  [36.98, -1.46],
  [36.91, -1.33],
  [36.67, -1.09],
  [36.43, -0.72],
  [36.07, -0.3],
  [35.74, -0.05],
  [35.27, 0.52],
  [34.77, 0.61],
  [34.28, 0.64],
  [34.18, 0.69],
  [33.47, 0.61],
  [33.2, 0.44],
  [32.58, 0.35],
];
export const corridor: RouteIndex = buildRouteIndex(NORTHERN_CORRIDOR as never);
/** Metres along the corridor of the places the trips use. */
export const KM = { nairobi: 445_000, nakuru: 600_000, eldoret: 760_000, malaba: 905_000 } as const;

/** Start of every trip. */
export const T0 = Date.parse('2026-11-23T04:00:00.000Z');
const at = (s: number): Timestamp => toTimestamp(T0 + Math.round(s) * 1000);
const h = 3600;

const circle = (p: LatLon, radiusM: number): Area => ({ center: p, radiusM });
const office = (code: string, name: string, country: string, p: LatLon, radiusM: number): Office => ({
  code: asOfficeCode(code),
  name,
  country,
  area: circle(p, radiusM),
  createdAt: at(-86_400),
});
/** The offices of the corpus: departure, the Malaba border post (an office of transit), destination. */
export const offices: Office[] = [
  office('KEMBA100', 'Mombasa port', 'KE', routePoint(NORTHERN_CORRIDOR, 0), 2000),
  office('KEMAL300', 'Malaba border post', 'KE', routePoint(NORTHERN_CORRIDOR, KM.malaba), 1500),
  office('UGKLA200', 'Kampala inland port', 'UG', routePoint(NORTHERN_CORRIDOR, corridor.lengthM), 2000),
  office('KENBO200', 'Nairobi inland container depot', 'KE', { lat: -1.33, lon: 36.91 }, 2000),
];

/** One observation as the detectors read it, received at `receivedS` (default: when made). */
export interface CorpusObservation extends Observation {
  receivedS: number;
}

/** A trip of the corpus. */
export interface CorpusTrip {
  name: string;
  /** What it shows (for the report). */
  story: string;
  movement: Movement;
  devices: Device[];
  observations: CorpusObservation[];
  /** RFID: the movement's tag EPCs and the reader reports naming them. */
  tags: string[];
  tagReads: CorpusObservation[];
  /** Seconds after T0 to evaluate until (the last evaluation). */
  endS: number;
  /** Kilometres driven. */
  km: number;
  /** The alerts the trip must raise (none for an honest trip), each first seen at `atS` ± `toleranceS`. */
  expected: Array<{ type: AlertType; atS: number; toleranceS: number }>;
}

let seqs = 0;
/** A device's observation at `s` seconds (position optional), received at `receivedS`. */
function obs(device: string, s: number, p: LatLon | null, extra: Partial<Observation> = {}, receivedS = s): CorpusObservation {
  seqs++;
  return {
    id: seqs,
    device: asDeviceId(device),
    seq: seqs,
    time: at(s),
    receivedAt: at(receivedS),
    late: receivedS - s > 600,
    position: p ? { lat: p.lat, lon: p.lon, source: 'gnss', ...(extra.position ?? {}) } : null,
    seal: null,
    door: null,
    sensors: null,
    battery: null,
    reads: null,
    attributes: null,
    trust: 'signed',
    protocol: 'native',
    hash: `h${seqs}`,
    raw: '',
    ...extra,
    ...(p ? { position: { lat: p.lat, lon: p.lon, source: 'gnss' as const, ...(extra.position ?? {}) } } : {}),
    receivedS,
  };
}

/** A leg: the vehicle along the corridor from `fromM` to `toM` at `kmh`, a fix every `everyS`, with seeded jitter. */
interface Leg {
  fromM: number;
  toM: number;
  kmh: number;
}
/** A wait: standing at `atM` (metres along, `sideM` off the road) for `durationS`. */
interface Wait {
  atM: number;
  durationS: number;
  sideM?: number;
}

/** The fixes of a plan of legs and waits from `startS`; returns them and the time at the end. */
function plan(
  device: string,
  startS: number,
  steps: Array<Leg | Wait>,
  o: { everyS?: number; noiseM?: number; seed?: number; extra?: (s: number) => Partial<Observation> } = {},
): { obs: CorpusObservation[]; endS: number } {
  const every = o.everyS ?? 300,
    rnd = mulberry32(o.seed ?? 11),
    noise = o.noiseM ?? 15;
  const out: CorpusObservation[] = [];
  let s = startS;
  const jitter = (p: LatLon) => offsetPoint(p, rnd() * 360, rnd() * noise);
  for (const step of steps) {
    if ('kmh' in step) {
      const v = step.kmh / 3.6,
        lengthS = (step.toM - step.fromM) / v;
      for (let t = 0; t < lengthS; t += every)
        out.push(obs(device, s + t, jitter(routePoint(NORTHERN_CORRIDOR, step.fromM + v * t)), o.extra?.(s + t)));
      s += lengthS;
    } else {
      const p = routePoint(NORTHERN_CORRIDOR, step.atM, step.sideM ?? 0);
      for (let t = 0; t < step.durationS; t += every) out.push(obs(device, s + t, jitter(p), o.extra?.(s + t)));
      s += step.durationS;
    }
  }
  return { obs: out, endS: s };
}

const device = (id: string, kind: DeviceKind = 'e_lock', reportIntervalS = 300): Device => ({
  id: asDeviceId(id),
  class: kind === 'rfid_seal' ? 'passive' : 'active',
  kind,
  protocol: 'native',
  identifiers: {},
  reportIntervalS: kind === 'rfid_seal' ? null : reportIntervalS,
  key: { alg: 'HS256' },
  owner: null,
  createdAt: at(-86_400),
});

function movement(name: string, devices: Device[], o: Partial<Movement> & { limitS?: number } = {}): Movement {
  const { limitS, ...rest } = o;
  return {
    id: asMovementId(`CORPUS-${name}`),
    reference: `CORPUS-${name}`,
    container: null,
    vehicle: null,
    trader: null,
    devices: devices.map((d) => d.id),
    seals: [],
    departureOffice: asOfficeCode('KEMBA100'),
    destinationOffice: asOfficeCode('UGKLA200'),
    transitOffices: [asOfficeCode('KEMAL300')],
    route: { type: 'LineString', coordinates: NORTHERN_CORRIDOR } as Movement['route'],
    corridorWidthM: 2000,
    authorizedStops: [],
    timeLimit: limitS === undefined ? null : at(limitS),
    sensorThresholds: [],
    checkpoints: [],
    status: 'in_transit',
    createdAt: at(-3600),
    startedAt: at(0),
    arrivedAt: null,
    endedAt: null,
    updatedAt: at(0),
    ...rest,
  };
}

const stopAt = (name: string, atM: number, maxDwellMinutes: number, radiusM = 800): AuthorizedStop => ({
  name,
  area: circle(routePoint(NORTHERN_CORRIDOR, atM), radiusM),
  maxDwellMinutes,
});

function trip(
  name: string,
  story: string,
  devs: Device[],
  m: Partial<Movement> & { limitS?: number },
  obsList: CorpusObservation[],
  endS: number,
  km: number,
  expected: CorpusTrip['expected'] = [],
  rfid: { tags: string[]; tagReads: CorpusObservation[] } = { tags: [], tagReads: [] },
): CorpusTrip {
  return { name, story, movement: movement(name, devs, m), devices: devs, observations: obsList, endS, km, expected, ...rfid };
}

/**
 * The time limit of a trip that is one leg of the whole corridor (the movement goes on to Kampala
 * after the data ends at `lastM`): the rest of the road at 50 km/h, the border queue budget, and
 * three hours to spare.
 */
function limitFor(endS: number, lastM: number, budgetS = 0): number {
  return endS + (corridor.lengthM - lastM) / (50 / 3.6) + (lastM < KM.malaba ? 3 * h : 0) + budgetS + 3 * h;
}

/** The honest trips: each must raise no alert at any evaluation. */
export function honestTrips(): CorpusTrip[] {
  const trips: CorpusTrip[] = [];
  const lock = device('LOCK-H');

  {
    // Jitter of 25 m on every fix, a few town multipath outliers 300–450 m off, one of them reported three times.
    const { obs: o, endS } = plan('LOCK-H', 0, [{ fromM: 0, toM: 300_000, kmh: 70 }], { noiseM: 25, everyS: 60, seed: 3 });
    for (const [k, off] of [
      [40, 300],
      [95, 450],
      [180, 380],
    ] as const)
      o[k] = { ...o[k], position: { ...offsetPoint(o[k].position!, 90, off), source: 'gnss' } };
    // A receiver holding one poor fix for three reports while the truck drives on 3.5 km.
    const held = { ...offsetPoint(o[250].position!, 200, 400), accuracy: 150, source: 'gnss' as const };
    for (const k of [250, 251, 252]) o[k] = { ...o[k], position: held };
    trips.push(
      trip(
        'jitter',
        'GPS jitter of 25 m and multipath outliers up to 450 m, one held for three reports',
        [lock],
        { limitS: limitFor(endS, 300_000) },
        o,
        endS,
        300,
      ),
    );
  }
  {
    // Two hours of stop-and-go in Nairobi traffic at 4–6 km/h.
    const { obs: o, endS } = plan(
      'LOCK-H',
      0,
      [
        { fromM: 380_000, toM: KM.nairobi - 10_000, kmh: 65 },
        { fromM: KM.nairobi - 10_000, toM: KM.nairobi, kmh: 5 },
        { fromM: KM.nairobi, toM: KM.nairobi + 60_000, kmh: 60 },
      ],
      { everyS: 120 },
    );
    trips.push(trip('crawl', 'a 2-hour crawl in traffic at 5 km/h', [lock], { limitS: limitFor(endS, KM.nairobi + 60_000) }, o, endS, 135));
  }
  {
    // A 20-minute fuel stop at a roadside station, 40 m off the road (the limit is 30 minutes).
    const { obs: o, endS } = plan(
      'LOCK-H',
      0,
      [
        { fromM: 100_000, toM: 200_000, kmh: 70 },
        { atM: 200_000, sideM: 40, durationS: 20 * 60 },
        { fromM: 200_000, toM: 300_000, kmh: 70 },
      ],
      { everyS: 60 },
    );
    trips.push(
      trip('fuel-stop', 'a 20-minute fuel stop (stop limit 30 minutes)', [lock], { limitS: limitFor(endS, 300_000) }, o, endS, 200),
    );
  }
  {
    // A 50-minute stop at the Mariakani weighbridge, an authorised stop allowing 60.
    const { obs: o, endS } = plan('LOCK-H', 0, [
      { fromM: 0, toM: 40_000, kmh: 50 },
      { atM: 40_000, durationS: 50 * 60 },
      { fromM: 40_000, toM: 200_000, kmh: 70 },
    ]);
    trips.push(
      trip(
        'authorised-stop',
        'a 50-minute stop at an authorised weighbridge (60 allowed)',
        [lock],
        { limitS: limitFor(endS, 200_000), authorizedStops: [stopAt('Mariakani weighbridge', 40_000, 60)] },
        o,
        endS,
        200,
      ),
    );
  }
  {
    // Four hours in the queue inside the Malaba border post's area, crawling 1 km, then on to Kampala.
    const { obs: o, endS } = plan('LOCK-H', 0, [
      { fromM: KM.malaba - 120_000, toM: KM.malaba - 800, kmh: 60 },
      { atM: KM.malaba - 800, durationS: 2 * h },
      { atM: KM.malaba - 200, durationS: 2 * h },
      { fromM: KM.malaba, toM: corridor.lengthM, kmh: 55 },
    ]);
    trips.push(
      trip(
        'border-queue',
        'four hours queueing inside the Malaba border post (an office of transit)',
        [lock],
        { limitS: endS + 2 * h, startedAt: at(0) },
        o,
        endS,
        Math.round((corridor.lengthM - KM.malaba + 120_000) / 1000),
      ),
    );
  }
  {
    // A 14-minute coverage gap between Voi and Mtito Andei; the buffer arrives at its end, newest first.
    const { obs: all, endS } = plan('LOCK-H', 0, [{ fromM: 150_000, toM: 350_000, kmh: 75 }], { everyS: 60 });
    const gapFrom = 3600,
      gapTo = gapFrom + 14 * 60;
    const live = all.filter((x) => x.receivedS < gapFrom || x.receivedS >= gapTo);
    const buffered = all
      .filter((x) => x.receivedS >= gapFrom && x.receivedS < gapTo)
      .reverse()
      .map((x) => ({ ...x, receivedS: gapTo + 30, receivedAt: at(gapTo + 30) }));
    trips.push(
      trip(
        'coverage-gap',
        'a 14-minute coverage gap, the device buffer uploaded late and newest first',
        [lock],
        { limitS: limitFor(endS, 350_000) },
        [...live, ...buffered],
        endS,
        200,
      ),
    );
  }
  {
    // An e-lock draining from 90 % to 55 % over a 14-hour trip: well above what the rest of the trip needs.
    const { obs: o, endS } = plan('LOCK-H', 0, [{ fromM: 0, toM: KM.eldoret, kmh: 55 }], {
      extra: (s) => ({ battery: { level: Math.round((90 - (s / h) * 2.5) * 10) / 10 } }),
    });
    trips.push(
      trip(
        'battery-drain',
        'a slow battery drain, 2.5 % an hour',
        [lock],
        { limitS: limitFor(endS, KM.eldoret) },
        o,
        endS,
        KM.eldoret / 1000,
      ),
    );
  }
  {
    // Night rest of 9 hours at the authorised Nakuru truck park (10 hours allowed).
    const { obs: o, endS } = plan('LOCK-H', 0, [
      { fromM: KM.nairobi, toM: KM.nakuru, kmh: 60 },
      { atM: KM.nakuru, sideM: 150, durationS: 9 * h },
      { fromM: KM.nakuru, toM: KM.malaba - 2000, kmh: 60 },
    ]);
    trips.push(
      trip(
        'night-rest',
        'a 9-hour night rest at an authorised truck park',
        [lock],
        { limitS: limitFor(endS, KM.malaba - 2000, 10 * h), authorizedStops: [stopAt('Nakuru truck park', KM.nakuru, 600)] },
        o,
        endS,
        (KM.malaba - 2000 - KM.nairobi) / 1000,
      ),
    );
  }
  {
    // Mombasa → Kampala in three days: two night rests, a border queue, a fuel stop; limit four days.
    const { obs: o, endS } = plan(
      'LOCK-H',
      0,
      [
        { fromM: 0, toM: 40_000, kmh: 40 },
        { fromM: 40_000, toM: KM.nairobi - 5000, kmh: 65 },
        { atM: KM.nairobi - 5000, sideM: 200, durationS: 10 * h },
        { fromM: KM.nairobi - 5000, toM: KM.eldoret, kmh: 55 },
        { atM: KM.eldoret, sideM: 30, durationS: 25 * 60 },
        { fromM: KM.eldoret, toM: KM.malaba - 800, kmh: 55 },
        { atM: KM.malaba - 800, durationS: 11 * h },
        { fromM: KM.malaba - 800, toM: corridor.lengthM, kmh: 50 },
      ],
      { noiseM: 20, seed: 5 },
    );
    trips.push(
      trip(
        'multi-day',
        'Mombasa to Kampala in three days: a night rest, a fuel stop, a night in the border queue',
        [lock],
        { limitS: 4 * 24 * h, authorizedStops: [stopAt('Athi River truck park', KM.nairobi - 5000, 12 * 60)] },
        o,
        endS,
        corridor.lengthM / 1000,
      ),
    );
  }
  {
    // The Northern Corridor case: 18 hours on the road to Malaba with a 1-hour authorised stop at
    // Nairobi, arriving a day before the time limit.
    const { obs: o, endS } = plan(
      'LOCK-H',
      0,
      [
        { fromM: 0, toM: KM.nairobi, kmh: 52 },
        { atM: KM.nairobi, durationS: 55 * 60 },
        { fromM: KM.nairobi, toM: KM.malaba - 300, kmh: 52 },
      ],
      { everyS: 300 },
    );
    trips.push(
      trip(
        'northern-corridor',
        '18 hours to Malaba with a 1-hour authorised stop at Nairobi, a day early',
        [lock],
        {
          limitS: endS + 24 * h,
          destinationOffice: asOfficeCode('KEMAL300'),
          transitOffices: [],
          authorizedStops: [stopAt('Nairobi ICD', KM.nairobi, 60)],
        },
        o,
        endS,
        KM.malaba / 1000,
      ),
    );
  }
  return trips;
}

/** For each detector a trip that must raise exactly its alert (first seen at the given time). */
export function faultyTrips(): CorpusTrip[] {
  const trips: CorpusTrip[] = [];
  const lock = device('LOCK-F');
  {
    // A 12-km detour 8 km off the corridor (2 km wide), from 1 h on.
    const a = plan('LOCK-F', 0, [{ fromM: 100_000, toM: 170_000, kmh: 70 }], { everyS: 60 });
    // Off to the side at 13 m/s, 8 km out, and back, while 12 km go by along the road.
    const detour: CorpusObservation[] = [];
    for (let t = 60; t < 40 * 60; t += 60)
      detour.push(obs('LOCK-F', a.endS + t, routePoint(NORTHERN_CORRIDOR, 170_000 + t * 5, Math.min(8000, 13 * t, 13 * (2400 - t)))));
    const b = plan('LOCK-F', a.endS + 40 * 60, [{ fromM: 182_000, toM: 250_000, kmh: 70 }], { everyS: 60 });
    trips.push(
      trip(
        'route-deviation',
        'a 40-minute detour 8 km off the corridor',
        [lock],
        { limitS: limitFor(b.endS, 250_000) },
        [...a.obs, ...detour, ...b.obs],
        b.endS,
        150,
        [{ type: 'route_deviation', atS: a.endS + 120, toleranceS: 180 }],
      ),
    );
  }
  {
    // 45 minutes stopped in the bush, 300 m off the road, with no authorised stop.
    const { obs: o, endS } = plan(
      'LOCK-F',
      0,
      [
        { fromM: 100_000, toM: 170_000, kmh: 70 },
        { atM: 170_000, sideM: 300, durationS: 45 * 60 },
        { fromM: 170_000, toM: 250_000, kmh: 70 },
      ],
      { everyS: 60 },
    );
    trips.push(
      trip('unauthorized-stop', 'a 45-minute stop in the bush (limit 30)', [lock], { limitS: limitFor(endS, 250_000) }, o, endS, 150, [
        { type: 'unauthorized_stop', atS: (170_000 - 100_000) / (70 / 3.6), toleranceS: 120 },
      ]),
    );
  }
  {
    // A truck limping to Nairobi (445 km, 12 hours allowed) at 30 km/h. The warning comes when
    // the rest of the road (the next 3 hours at the observed 30 km/h, the rest at the planned
    // 50 km/h) plus the one-hour margin reaches the limit: t + 3 h + (445 km − 30 t − 90 km) / 50 + 1 h = 12 h.
    const limitS = 12 * h,
      v = 30 / 3.6,
      planned = 50 / 3.6;
    const { obs: o, endS } = plan('LOCK-F', 0, [{ fromM: 0, toM: KM.nairobi - 500, kmh: 30 }]);
    const atRiskS = (limitS - h - 3 * h - (KM.nairobi - v * 3 * h) / planned) / (1 - v / planned);
    trips.push(
      trip(
        'transit-overdue',
        'a truck at 30 km/h that cannot make its 12-hour limit',
        [lock],
        {
          limitS,
          destinationOffice: asOfficeCode('KENBO200'),
          transitOffices: [],
          route: { type: 'LineString', coordinates: NORTHERN_CORRIDOR.slice(0, 16) } as Movement['route'],
        },
        o,
        endS,
        KM.nairobi / 1000,
        [{ type: 'transit_overdue', atS: atRiskS, toleranceS: 300 }],
      ),
    );
  }
  {
    // The lock goes silent for 2 hours (no buffer), then reports again.
    const a = plan('LOCK-F', 0, [{ fromM: 100_000, toM: 170_000, kmh: 70 }]);
    const b = plan('LOCK-F', a.endS + 2 * h, [{ fromM: 310_000, toM: 380_000, kmh: 70 }]);
    const last = a.obs[a.obs.length - 1].receivedS;
    trips.push(
      trip(
        'signal-lost',
        'two hours of silence, nothing buffered',
        [lock],
        { limitS: limitFor(b.endS, 380_000) },
        [...a.obs, ...b.obs],
        b.endS,
        140,
        [{ type: 'signal_lost', atS: last, toleranceS: 1 }],
      ),
    );
  }
  {
    // An e-lock at 9 % losing 1.5 % an hour with 20 hours of road ahead.
    const { obs: o, endS } = plan('LOCK-F', 0, [{ fromM: 0, toM: 300_000, kmh: 60 }], {
      extra: (s) => ({ battery: { level: Math.round((9 - (s / h) * 1.5) * 10) / 10 } }),
    });
    trips.push(
      trip('battery-insufficient', 'a lock at 9 % that will not last to Kampala', [lock], { limitS: 3 * 24 * h }, o, endS, 300, [
        { type: 'battery_insufficient', atS: 0, toleranceS: 2 * h },
      ]),
    );
  }
  {
    // A reefer above 8 °C for 40 minutes from 2 h on.
    const sensor = device('REEFER-F', 'container_sensor');
    const { obs: o, endS } = plan('REEFER-F', 0, [{ fromM: 0, toM: 250_000, kmh: 60 }], {
      extra: (s) => ({ sensors: { temperature: s >= 2 * h && s < 2 * h + 40 * 60 ? 11 : 4 } }),
    });
    trips.push(
      trip(
        'sensor-out-of-range',
        'a reefer at 11 °C for 40 minutes (limit 8)',
        [sensor],
        { limitS: limitFor(endS, 250_000), sensorThresholds: [{ sensor: 'temperature', max: 8 }] },
        o,
        endS,
        250,
        [{ type: 'sensor_out_of_range', atS: 2 * h, toleranceS: 300 }],
      ),
    );
  }
  {
    // One fix thrown 25 km off and back (spoofing), at 1 h.
    const { obs: o, endS } = plan('LOCK-F', 0, [{ fromM: 0, toM: 200_000, kmh: 70 }], { everyS: 60 });
    o[60] = { ...o[60], position: { ...offsetPoint(o[60].position!, 0, 25_000), source: 'gnss' } };
    trips.push(
      trip('gnss-anomaly', 'one fix thrown 25 km off and back', [lock], { limitS: limitFor(endS, 200_000) }, o, endS, 200, [
        { type: 'gnss_anomaly', atS: 3600, toleranceS: 1 },
      ]),
    );
  }
  {
    // A copy of the lock reporting from Mombasa port while the real one drives on: alternating reports.
    const { obs: o, endS } = plan('LOCK-F', 0, [{ fromM: 0, toM: 200_000, kmh: 70 }], { everyS: 300 });
    const port = routePoint(NORTHERN_CORRIDOR, 0);
    const clone = [0, 1, 2, 3, 4, 5].map((k) => obs('LOCK-F', 2 * h + k * 600 + 150, port));
    trips.push(
      trip(
        'device-cloned',
        'the lock reports alternately from the road and from the port',
        [lock],
        { limitS: limitFor(endS, 200_000) },
        [...o, ...clone],
        endS,
        200,
        [{ type: 'device_cloned', atS: 2 * h + 150, toleranceS: 3 * 600 }],
      ),
    );
  }
  {
    // An RFID seal read at the second checkpoint reader but never at the first.
    const epc = '3074257bf7194e4000001a85';
    const tag = device('TAG-F', 'rfid_seal');
    const reader = (id: string, s: number, m: number) =>
      obs(id, s, routePoint(NORTHERN_CORRIDOR, m), { reads: [{ epc, time: at(s) }] as never, position: { source: 'reader' } as never });
    const checkpoints: Checkpoint[] = [
      { readerId: 'RDR-MARIAKANI', order: 1, name: 'Mariakani' },
      { readerId: 'RDR-VOI', order: 2, name: 'Voi' },
    ];
    const reads = [reader('RDR-VOI', 3 * h, 150_000)].map((r) => ({ ...r, position: { ...r.position!, source: 'reader' as const } }));
    trips.push(
      trip(
        'checkpoint-missed',
        'a seal read at Voi but never at Mariakani',
        [tag],
        { limitS: 12 * h, checkpoints },
        [],
        4 * h,
        150,
        [{ type: 'checkpoint_missed', atS: 3 * h, toleranceS: 1 }],
        { tags: [epc], tagReads: reads },
      ),
    );
  }
  return trips;
}
