/**
 * What a risk analyst reads and tunes (standards §6, "monitor and review"): hit rates of recorded
 * inspections, KPIs per office and period, a calibration proposal fitted to the outcomes (never
 * activated by itself), and device-class advice on the administration's cost model.
 */
import {
  adviseDeviceClass,
  asMovementId,
  asOfficeCode,
  calibrateWeights,
  calibrationSamples,
  defaultDeviceCostModel,
  deriveRiskFacts,
  deviceCostModelSchema,
  DomainError,
  hitRates,
  kpiRowOf,
  proposeProfile,
  referenceLevels,
  scoreMovement,
  sortKpiRows,
  totalKpiAggregates,
  type DeviceCostModel,
  type KpiPeriod,
  type KpiRow,
  type PlannedTrip,
  type Timestamp,
} from '@sealwatch/core';
import type { StoredInspection, Store } from '../storage/ports';
import { administrationOfMovement, effectiveReference, INSTALLATION } from './risk-administration';
import type { RiskService } from './risk.service';
import { getTraderInfo } from './trader-info';

const costModelKey = (administration: string) =>
  administration === INSTALLATION ? 'risk.device_cost_model' : `risk.device_cost_model@${administration}`;

export class RiskAnalytics {
  constructor(private readonly deps: { store: Pick<Store, 'access' | 'movements' | 'offices' | 'risk' | 'settings'>; risk: RiskService }) {}

  /** Hit rates overall, per lane, per selection reason and per indicator; optionally of one profile version, of some offices' inspections. */
  async hitRates(filter: { profileVersion?: number }, offices?: ReadonlySet<string>) {
    const all = await this.deps.store.risk.listInspections(filter);
    // An administration's hit rates are of the inspections at its offices.
    const outcomes = offices ? all.filter((o) => offices.has(o.office)) : all;
    return { profileVersion: filter.profileVersion ?? null, ...hitRates(outcomes) };
  }

  /**
   * KPIs per office and UTC period of every movement's current decision, summed by the store in
   * one query per grouping; with no office, totals ('*') too. `from`/`to` bound the decision time.
   */
  async kpis(
    period: KpiPeriod,
    office?: string,
    window: { from?: Timestamp; to?: Timestamp } = {},
    within?: ReadonlySet<string>,
  ): Promise<KpiRow[]> {
    const { risk } = this.deps.store;
    let perOffice = await risk.kpiAggregates({ period, office: office ? asOfficeCode(office) : undefined, ...window });
    if (within) perOffice = perOffice.filter((a) => within.has(a.office));
    const rows = perOffice.map(kpiRowOf);
    if (!office) {
      // Outside a full scope the totals are those of the principal's own offices, not of every country's.
      const totals = within ? totalKpiAggregates(perOffice) : await risk.kpiAggregates({ period, allOffices: true, ...window });
      rows.push(...totals.map(kpiRowOf));
    }
    return sortKpiRows(rows);
  }

  /**
   * Fits the active profile's weights to the recorded inspections and proposes the next version
   * (not stored, not activated: the analyst reviews it and POSTs it as a profile).
   * `randomOnly` keeps only inspections selected at random, the sample free of selection bias.
   */
  async calibrate(options: { l2?: number; randomOnly?: boolean; minSupport?: number }, administration = INSTALLATION) {
    const active = await this.deps.risk.activeProfile(administration);
    // An administration fits its profile to the outcomes of the movements it scores, not to every administration's.
    const outcomes = await this.scoredBy(administration, await this.deps.store.risk.listInspections({}));
    const samples = calibrationSamples(outcomes, options.randomOnly ? { reasons: ['random'] } : {});
    if (!samples.length) {
      throw new DomainError(
        'insufficient_outcomes',
        options.randomOnly ? 'no inspection of a randomly selected movement is recorded yet' : 'no inspection outcome is recorded yet',
      );
    }
    const fit = calibrateWeights(active.profile, samples, { l2: options.l2 });
    const version = (await this.deps.store.risk.latestProfileVersion()) + 1;
    const proposal = proposeProfile(active.profile, fit, { minSupport: options.minSupport, version });
    return { proposal: proposal.profile, changes: proposal.changes, fit };
  }

  /** The inspections of movements scored under an administration's settings (the installation's: every one). */
  private async scoredBy(administration: string, outcomes: StoredInspection[]): Promise<StoredInspection[]> {
    if (administration === INSTALLATION) return outcomes;
    const byOffice = new Map<string, string>();
    const kept: StoredInspection[] = [];
    for (const o of outcomes) {
      const m = await this.deps.store.movements.get(asMovementId(o.movement));
      if (!m) continue;
      if (!byOffice.has(m.departureOffice)) byOffice.set(m.departureOffice, await administrationOfMovement(this.deps.store, m));
      if (byOffice.get(m.departureOffice) === administration) kept.push(o);
    }
    return kept;
  }

  /** An administration's device cost model (its own, else the installation's, else the illustrative default). */
  async costModel(administration = INSTALLATION): Promise<DeviceCostModel> {
    const text =
      (administration !== INSTALLATION ? await this.deps.store.settings.get(costModelKey(administration)) : null) ??
      (await this.deps.store.settings.get(costModelKey(INSTALLATION)));
    return text ? deviceCostModelSchema.parse(JSON.parse(text)) : defaultDeviceCostModel;
  }

  async setCostModel(model: DeviceCostModel, administration = INSTALLATION): Promise<DeviceCostModel> {
    const parsed = deviceCostModelSchema.parse(model);
    await this.deps.store.settings.set(costModelKey(administration), JSON.stringify(parsed));
    return parsed;
  }

  /**
   * Advice for a planned trip. The risk score is given, or else the static score under the active
   * profile (what is known before any device data: the trader's AEO status and history, and the
   * planned goods, origin and offices as the risk reference rates them).
   */
  async advise(
    input: PlannedTrip & {
      score?: number;
      trader?: string;
      hsChapter?: string;
      originCountry?: string;
      departureOffice?: string;
      destinationOffice?: string;
    },
    administration = INSTALLATION,
  ) {
    let score = input.score;
    if (score === undefined) {
      const { profile } = await this.deps.risk.activeProfile(administration);
      const info = input.trader ? await getTraderInfo(this.deps.store.settings, input.trader, administration) : null;
      // A planned trip has no movement yet: no id to leave out of the trader's history.
      const history = input.trader
        ? await this.deps.store.risk.traderHistory(input.trader, asMovementId(''))
        : { movements: 0, inspections: 0, irregularities: 0 };
      const facts = deriveRiskFacts({
        trader: { aeo: info?.aeo ?? false, ...history },
        // What the trader plans to declare, rated by the risk reference (low where it is silent).
        movement: {
          ...referenceLevels(
            {
              hsChapter: input.hsChapter ?? null,
              originCountry: input.originCountry ?? null,
              departureOffice: input.departureOffice ?? '',
              destinationOffice: input.destinationOffice ?? '',
            },
            await effectiveReference(this.deps.store, administration),
          ),
          routeMismatchM: null,
          routeOffShare: null,
        },
        alerts: [],
        trust: { signed: 0, vendor: 0, passive: 0 },
      });
      score = scoreMovement(facts, profile).baselineScore;
    }
    const trip = { distanceKm: input.distanceKm, durationH: input.durationH, readersOnRoute: input.readersOnRoute };
    return { score, trip, ...adviseDeviceClass(score, trip, await this.costModel(administration)) };
  }
}
