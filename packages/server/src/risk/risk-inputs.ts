/**
 * Gathers the plain inputs of core's `deriveRiskFacts` for one movement from the store: the
 * trader's record (AEO status and compliance history), the movement's alerts, the trust of its
 * devices' observations and how the observed track compares with the declared route.
 */
import {
  buildRouteIndex,
  countTrust,
  deriveRiskFacts,
  referenceLevels,
  type AlertRecord,
  type Movement,
  type Observation,
  type RiskFacts,
  type Timestamp,
  type TraderRecord,
} from '@sealwatch/core';
import type { Store } from '../storage/ports';

/** The stores a movement's risk facts are read from. */
export type RiskInputPorts = Pick<Store, 'access' | 'alerts' | 'devices' | 'events' | 'observations' | 'offices' | 'risk' | 'settings'>;
import { effectiveReference, INSTALLATION } from './risk-administration';
import { getTraderInfo } from './trader-info';

/** Observations read per device at most: enough for weeks of 1-minute reports. */
const MAX_OBSERVATIONS_PER_DEVICE = 50_000;

/**
 * The facts of a movement as of `until` (its arrival, or now), with the trader record they came
 * from, read from the risk settings of `administration` (the trader record and the reference).
 */
export async function gatherRiskFacts(
  store: RiskInputPorts,
  m: Movement,
  until: Timestamp,
  administration = INSTALLATION,
): Promise<{ facts: RiskFacts; trader: TraderRecord }> {
  const trader = await traderRecord(store, m, administration);
  const alerts = await alertRecords(store, m);
  const { trust, offShare, positioned } = await trackFacts(store, m, until);
  const deviations = await store.events.list({ movement: m.id, type: 'route_deviation' }, { limit: 1000 });
  // Confirmed deviation episodes, not single fixes: one GNSS outlier must not count as a route mismatch.
  const mismatch = Math.max(0, ...deviations.items.map((e) => Number((e.details as { maxDistanceM?: unknown }).maxDistanceM) || 0));
  // Route, origin and goods levels from the analysts' risk reference; low where it is silent.
  const levels = referenceLevels(
    {
      hsChapter: m.hsChapter ?? null,
      originCountry: m.originCountry ?? null,
      departureOffice: m.departureOffice,
      destinationOffice: m.destinationOffice,
    },
    await effectiveReference(store, administration),
  );
  const facts = deriveRiskFacts({
    trader,
    movement: {
      ...levels,
      routeMismatchM: positioned || mismatch > 0 ? mismatch : null,
      routeOffShare: positioned ? offShare : null,
    },
    alerts,
    trust,
  });
  return { facts, trader };
}

async function traderRecord(store: RiskInputPorts, m: Movement, administration: string): Promise<TraderRecord> {
  if (!m.trader) return { aeo: false, movements: 0, inspections: 0, irregularities: 0 };
  const info = await getTraderInfo(store.settings, m.trader, administration);
  const history = await store.risk.traderHistory(m.trader, m.id);
  return { aeo: info?.aeo ?? false, ...history };
}

/** Every alert of the movement; those resolved as false alarms are dropped by deriveRiskFacts. */
async function alertRecords(store: RiskInputPorts, m: Movement): Promise<AlertRecord[]> {
  const out: AlertRecord[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await store.alerts.list({ movement: m.id }, { limit: 1000, cursor });
    for (const a of page.items) out.push({ type: a.type, count: a.count, outcome: a.outcome });
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Trust counts of the devices' observations during the trip, and the share of positions outside the corridor. */
async function trackFacts(store: RiskInputPorts, m: Movement, until: Timestamp) {
  const route = m.route && m.route.coordinates.length >= 2 ? buildRouteIndex(m.route.coordinates as never) : null;
  const counted: { trust: Observation['trust']; deviceClass: 'passive' | 'semi_active' | 'active' }[] = [];
  let positioned = 0,
    outside = 0;
  for (const id of m.devices) {
    const device = await store.devices.get(id);
    if (!device) continue;
    let cursor: string | null | undefined;
    let read = 0;
    do {
      const page = await store.observations.listByDevice(
        id,
        { from: m.startedAt ?? m.createdAt, to: until, order: 'asc' },
        { limit: 1000, cursor },
      );
      for (const o of page.items) {
        counted.push({ trust: o.trust, deviceClass: device.class });
        if (o.position && route) {
          positioned++;
          if (route.nearest(o.position).distanceM > m.corridorWidthM) outside++;
        } else if (o.position) positioned++;
      }
      read += page.items.length;
      cursor = page.nextCursor;
    } while (cursor && read < MAX_OBSERVATIONS_PER_DEVICE);
  }
  return { trust: countTrust(counted), offShare: route && positioned ? outside / positioned : 0, positioned: positioned > 0 };
}
