/**
 * What a risk analyst reads and tunes (standards §6, "monitor and review"): hit rates of recorded
 * inspections, KPIs per office and period, a calibration proposal fitted to the outcomes (never
 * activated by itself), and device-class advice on the administration's cost model.
 */
import {
  adviseDeviceClass, asMovementId, asOfficeCode, calibrateWeights, calibrationSamples, computeKpis, defaultDeviceCostModel, deriveRiskFacts,
  deviceCostModelSchema, DomainError, hitRates, proposeProfile, scoreMovement,
  type ClearanceRecord, type DeviceCostModel, type KpiPeriod, type PlannedTrip,
} from '@sealwatch/core';
import type { Store } from '../storage/ports';
import type { RiskService } from './risk.service';
import { getTraderInfo } from './trader-info';

const COST_MODEL_KEY = 'risk.device_cost_model';

export class RiskAnalytics {
  constructor(private readonly deps: { store: Store; risk: RiskService }) {}

  /** Hit rates overall, per lane, per selection reason and per indicator; optionally of one profile version. */
  async hitRates(filter: { profileVersion?: number }) {
    const outcomes = await this.deps.store.risk.listInspections(filter);
    return { profileVersion: filter.profileVersion ?? null, ...hitRates(outcomes) };
  }

  /** KPIs per office and period of every movement's current decision; with no office, totals ('*') too. */
  async kpis(period: KpiPeriod, office?: string): Promise<ReturnType<typeof computeKpis>> {
    const { store } = this.deps;
    const assessments = await store.risk.listLatestAssessments({ office: office ? asOfficeCode(office) : undefined });
    const inspections = new Map((await store.risk.listInspections({})).map((i) => [i.movement, i.result]));
    const records: ClearanceRecord[] = [];
    for (const a of assessments) {
      const m = await store.movements.get(a.movement);
      // Released = end of customs control; clearance time runs from the arrival that triggered the decision.
      const from = m?.arrivedAt ?? null, to = m?.endedAt ?? null;
      records.push({
        office: a.office, decidedAt: a.decidedAt, lane: a.decision.lane, baselineLane: a.decision.baselineLane,
        result: inspections.get(a.movement) ?? null,
        clearanceTimeS: from && to ? Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000) : null,
      });
    }
    return computeKpis(records, period, { totals: !office });
  }

  /**
   * Fits the active profile's weights to the recorded inspections and proposes the next version
   * (not stored, not activated: the analyst reviews it and POSTs it as a profile).
   * `randomOnly` keeps only inspections selected at random, the sample free of selection bias.
   */
  async calibrate(options: { l2?: number; randomOnly?: boolean; minSupport?: number }) {
    const active = await this.deps.risk.activeProfile();
    const outcomes = await this.deps.store.risk.listInspections({});
    const samples = calibrationSamples(outcomes, options.randomOnly ? { reasons: ['random'] } : {});
    if (!samples.length) {
      throw new DomainError('insufficient_outcomes', options.randomOnly ? 'no inspection of a randomly selected movement is recorded yet' : 'no inspection outcome is recorded yet');
    }
    const fit = calibrateWeights(active.profile, samples, { l2: options.l2 });
    const version = (await this.deps.store.risk.latestProfileVersion()) + 1;
    const proposal = proposeProfile(active.profile, fit, { minSupport: options.minSupport, version });
    return { proposal: proposal.profile, changes: proposal.changes, fit };
  }

  /** The administration's device cost model (the illustrative default until one is set). */
  async costModel(): Promise<DeviceCostModel> {
    const text = await this.deps.store.settings.get(COST_MODEL_KEY);
    return text ? deviceCostModelSchema.parse(JSON.parse(text)) : defaultDeviceCostModel;
  }

  async setCostModel(model: DeviceCostModel): Promise<DeviceCostModel> {
    const parsed = deviceCostModelSchema.parse(model);
    await this.deps.store.settings.set(COST_MODEL_KEY, JSON.stringify(parsed));
    return parsed;
  }

  /**
   * Advice for a planned trip. The risk score is given, or else the trader's static score under
   * the active profile (what is known before any device data: AEO status and history).
   */
  async advise(input: PlannedTrip & { score?: number; trader?: string }) {
    let score = input.score;
    if (score === undefined) {
      const { profile } = await this.deps.risk.activeProfile();
      const info = input.trader ? await getTraderInfo(this.deps.store.settings, input.trader) : null;
      // A planned trip has no movement yet: no id to leave out of the trader's history.
      const history = input.trader ? await this.deps.store.risk.traderHistory(input.trader, asMovementId('')) : { movements: 0, inspections: 0, irregularities: 0 };
      const facts = deriveRiskFacts({
        trader: { aeo: info?.aeo ?? false, ...history },
        movement: { routeRisk: 'low', originRisk: 'low', hsChapter: null, routeMismatchM: null, routeOffShare: null },
        alerts: [], trust: { signed: 0, vendor: 0, passive: 0 },
      });
      score = scoreMovement(facts, profile).baselineScore;
    }
    const trip = { distanceKm: input.distanceKm, durationH: input.durationH, readersOnRoute: input.readersOnRoute };
    return { score, trip, ...adviseDeviceClass(score, trip, await this.costModel()) };
  }
}
