/**
 * Device-class advice for a planned movement: passive, semi-active or active (DESIGN §2), ranked
 * by expected cost = rental + reading infrastructure + P(inspection) × inspection cost. Better
 * evidence lowers the chance of an examination, but only a risky movement has much to save, so a
 * low-risk trader is advised the cheap passive seal (the WCO SSD study places passive RFID at
 * low-risk shipments, standards §1.1) and is shown what it saves against the dearest option.
 * Pure arithmetic on a cost model the administration sets.
 */
import { z } from 'zod';
import type { DeviceClass } from '../model';

const money = z.number().finite().min(0);
const classCostSchema = z.strictObject({
  /** Per movement: a disposable seal, or the arming and fitting of a rented one. */
  perTrip: money,
  /** Per started day of rental (including the data plan of an active device). */
  perDay: money,
  /** Per reader on the route: the share of reader and gateway infrastructure of one read. */
  perRead: money,
  /** Per hour of live monitoring (monitoring-centre share). */
  perHour: money,
  /** Share (0..1) of the risk-driven examination probability that this class's clean trip removes, at full reader coverage. */
  assurance: z.number().min(0).max(1),
  /** Readers the route needs for this class to prove anything (departure and destination: 2). */
  minReaders: z.number().int().min(0),
  /** Route kilometres one reader covers for full assurance; null when the class needs no readers. */
  kmPerReader: z.number().positive().nullable(),
});
/** Costs and assurance of one device class (amounts in the model's currency). */
export type DeviceClassCost = z.infer<typeof classCostSchema>;

/** Schema of a cost model, editable by the administration. Amounts in one currency. */
export const deviceCostModelSchema = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code'),
  classes: z.strictObject({ passive: classCostSchema, semi_active: classCostSchema, active: classCostSchema }),
  /** One physical examination: officers' time, handling and the trader's delay. */
  inspectionCost: money,
  /** The profile's minimum random selection rate: no device avoids it. */
  randomRate: z.number().min(0).max(1),
});
/** A cost model: per-class costs, the examination cost and the random rate. */
export type DeviceCostModel = z.infer<typeof deviceCostModelSchema>;

/**
 * Illustrative defaults, in USD, of the order of magnitude of published e-seal and e-lock
 * services; they are not any administration's tariff. An administration sets its own: seal and
 * rental prices from its SSD service contracts, reader costs from its infrastructure budget, and
 * the examination cost from its time-release studies.
 */
export const defaultDeviceCostModel: DeviceCostModel = {
  currency: 'USD',
  classes: {
    passive: { perTrip: 3, perDay: 0, perRead: 0.5, perHour: 0, assurance: 0.35, minReaders: 2, kmPerReader: 150 },
    semi_active: { perTrip: 15, perDay: 2, perRead: 0.5, perHour: 0, assurance: 0.6, minReaders: 2, kmPerReader: 150 },
    active: { perTrip: 10, perDay: 25, perRead: 0, perHour: 0.5, assurance: 0.85, minReaders: 0, kmPerReader: null },
  },
  inspectionCost: 300,
  randomRate: 0.02,
};

/** A planned trip: route length (km), expected duration (hours) and fixed readers on the route, offices included. */
export interface PlannedTrip {
  distanceKm: number;
  durationH: number;
  readersOnRoute: number;
}

/** One device class, costed. Amounts in the model's currency; probabilities 0..1. */
export interface DeviceOption {
  deviceClass: DeviceClass;
  /** False when the route has too few readers for this class; such options are ranked last. */
  feasible: boolean;
  rental: number;
  infrastructure: number;
  inspectionProbability: number;
  expectedInspectionCost: number;
  expectedCost: number;
  /** Expected cost of the most expensive feasible option minus this one's (≥ 0). */
  savingVsMostExpensive: number;
}

const classes: DeviceClass[] = ['passive', 'semi_active', 'active'];
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Ranks the device classes for a movement of risk score `riskScore` (0..100). The chance of an
 * examination without device evidence is taken as the score as a share, at least the random
 * rate; a class's clean trip removes its `assurance` share of that, scaled down where readers are
 * sparser than `kmPerReader`, and never below the random rate. Cheapest expected cost first; ties
 * go to the cheaper device. `recommended` is the first feasible option.
 */
export function adviseDeviceClass(
  riskScore: number,
  trip: PlannedTrip,
  model: DeviceCostModel = defaultDeviceCostModel,
): {
  recommended: DeviceClass | null;
  inspectionProbabilityWithout: number;
  options: DeviceOption[];
} {
  const p0 = Math.max(model.randomRate, Math.min(1, Math.max(0, riskScore) / 100));
  const days = Math.max(1, Math.ceil(Math.max(0, trip.durationH) / 24));
  const readers = Math.max(0, Math.floor(trip.readersOnRoute));
  const options = classes.map((deviceClass): DeviceOption => {
    const c = model.classes[deviceClass];
    const coverage = c.kmPerReader === null || trip.distanceKm <= 0 ? 1 : Math.min(1, (readers * c.kmPerReader) / trip.distanceKm);
    const inspectionProbability = Math.max(model.randomRate, p0 * (1 - c.assurance * coverage));
    const rental = c.perTrip + c.perDay * days;
    const infrastructure = c.perRead * readers + c.perHour * Math.max(0, trip.durationH);
    const expectedInspectionCost = inspectionProbability * model.inspectionCost;
    return {
      deviceClass,
      feasible: readers >= c.minReaders,
      rental: round2(rental),
      infrastructure: round2(infrastructure),
      inspectionProbability: Math.round(inspectionProbability * 10_000) / 10_000,
      expectedInspectionCost: round2(expectedInspectionCost),
      expectedCost: round2(rental + infrastructure + expectedInspectionCost),
      savingVsMostExpensive: 0,
    };
  });
  const feasible = options.filter((o) => o.feasible);
  const dearest = Math.max(0, ...feasible.map((o) => o.expectedCost));
  for (const o of feasible) o.savingVsMostExpensive = round2(dearest - o.expectedCost);
  options.sort((a, b) => Number(b.feasible) - Number(a.feasible) || a.expectedCost - b.expectedCost || a.rental - b.rental);
  return { recommended: feasible.length ? options[0].deviceClass : null, inspectionProbabilityWithout: p0, options };
}
