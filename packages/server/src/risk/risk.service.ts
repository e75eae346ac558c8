/**
 * Risk management of movements: scores a movement with the active profile, selects its
 * lane (a seeded draw, so every decision can be replayed), lets an officer re-route it with a
 * reason, and records what an inspection found. Profiles are versioned and never changed.
 * Every decision goes into the audit trail before it is answered.
 */
import { createHash } from 'node:crypto';
import {
  applyOverride,
  asMovementId,
  defaultRiskProfile,
  DomainError,
  mulberry32,
  parseRiskProfile,
  recordInspection,
  scoreMovement,
  selectLane,
  toTimestamp,
  type InspectionResult,
  type Lane,
  type Movement,
  type MovementId,
  type NewAuditEntry,
} from '@sealwatch/core';
import type { AuditTrail } from '../audit/audit-trail';
import { Mutex } from '../processing/mutex';
import type { RiskAssessment, StoredInspection, StoredRiskProfile, Store } from '../storage/ports';
import { administrationOfMovement, INSTALLATION } from './risk-administration';
import { gatherRiskFacts, type RiskInputPorts } from './risk-inputs';

/** The seed of a movement's lane draw under a profile version: the same movement and version always draw the same number, so re-assessing cannot dodge a random selection. */
export function laneSeed(movement: string, profileVersion: number): number {
  return createHash('sha256').update(`${movement}#${profileVersion}`).digest().readUInt32BE(0);
}

export interface RiskServiceDeps {
  store: Pick<Store, 'movements'> & RiskInputPorts;
  audit: AuditTrail | null;
  now: () => number;
  newId: () => string;
}

export class RiskService {
  // Revisions of one process never interleave (an override is based on the latest revision).
  private readonly lock = new Mutex();

  constructor(private readonly deps: RiskServiceDeps) {}

  /** First start: stores the default profile as version 1 and activates it (a no-op afterwards). */
  async start(): Promise<void> {
    await this.deps.store.risk.seedProfile({
      version: 1,
      profile: defaultRiskProfile,
      createdAt: toTimestamp(this.deps.now()),
      createdBy: 'system',
    });
  }

  /** The profile version active for an administration (its own choice, else the installation's), whole. */
  async activeProfile(administration = INSTALLATION): Promise<StoredRiskProfile> {
    const active =
      (administration !== INSTALLATION ? await this.deps.store.risk.activeProfile(administration) : null) ??
      (await this.deps.store.risk.activeProfile());
    const stored = active && (await this.deps.store.risk.getProfile(active.version));
    if (!stored) throw new DomainError('unknown_risk_profile', 'no active risk profile');
    return stored;
  }

  /**
   * Scores the movement with the profile active for its administration (its office of
   * departure's country's) and decides its lane; a new revision.
   */
  assess(id: MovementId, cause: 'arrival' | 'request', by = 'system'): Promise<RiskAssessment> {
    return this.lock.run(async () => {
      const m = await this.movement(id);
      const administration = await administrationOfMovement(this.deps.store, m);
      const { version, profile } = await this.activeProfile(administration);
      const now = toTimestamp(this.deps.now());
      const { facts } = await gatherRiskFacts(this.deps.store, m, m.arrivedAt ?? now, administration);
      const score = scoreMovement(facts, profile);
      const seed = laneSeed(m.id, version);
      const decision = selectLane(score, profile, facts, mulberry32(seed));
      return this.save({
        id: this.deps.newId(),
        movement: m.id,
        trader: m.trader,
        office: m.destinationOffice,
        cause,
        facts,
        score,
        decision,
        profileVersion: version,
        seed,
        decidedAt: now,
        decidedBy: by,
      });
    });
  }

  /** An officer re-routes the current decision. The reason is mandatory (override_reason_required). */
  override(id: MovementId, o: { lane: Lane; reason: string | undefined; by: string }): Promise<RiskAssessment> {
    return this.lock.run(async () => {
      const latest = await this.latest(id);
      const at = toTimestamp(this.deps.now());
      const r = applyOverride(latest.decision, { lane: o.lane, reason: o.reason ?? '', by: o.by, at });
      if (!r.ok) throw new DomainError('override_reason_required', 'an override needs a reason (and an officer)', { field: 'reason' });
      const { revision: _r, ...rest } = latest;
      return this.save({ ...rest, id: this.deps.newId(), cause: 'override', decision: r.decision, decidedAt: at, decidedBy: o.by });
    });
  }

  /** Records what the inspection of the movement found, against its current decision. */
  async inspect(id: MovementId, found: { result: InspectionResult; comment?: string; by: string }): Promise<StoredInspection> {
    const m = await this.movement(id);
    const latest = await this.latest(id);
    const at = toTimestamp(this.deps.now());
    const outcome = recordInspection(m.id, latest.office, latest.score, latest.decision, { result: found.result, by: found.by, at });
    const inspection: StoredInspection = { ...outcome, trader: m.trader, comment: found.comment ?? null };
    await this.deps.audit?.record([
      {
        kind: 'event',
        ref: `inspection:${m.id}:${at}`,
        time: at,
        actor: `user:${found.by}`,
        subjects: [m.id],
        action: 'inspection_recorded',
        data: {
          result: found.result,
          lane: outcome.lane,
          reason: outcome.reason,
          profileVersion: outcome.profileVersion,
          assessment: latest.id,
        },
      },
    ]);
    await this.deps.store.risk.saveInspection(inspection);
    return inspection;
  }

  /**
   * Adds a profile to an administration's layer as the next version (not active until
   * activated). Versions are numbered across the installation, so a version names one profile.
   * Throws invalid_risk_profile with every problem.
   */
  async addProfile(input: Record<string, unknown>, by: string, administration = INSTALLATION): Promise<StoredRiskProfile> {
    const active = await this.activeProfile(administration).catch(() => null);
    for (let attempt = 1; ; attempt++) {
      const version = (await this.deps.store.risk.latestProfileVersion()) + 1;
      // A profile copied from version 1 carries basedOn null: it is still based on what is active now.
      const parsed = parseRiskProfile({ note: '', ...input, basedOn: input.basedOn ?? active?.version ?? null, version });
      if (!parsed.ok)
        throw new DomainError('invalid_risk_profile', `${parsed.issues[0].path}: ${parsed.issues[0].message}`, { issues: parsed.issues });
      const stored: StoredRiskProfile = {
        version,
        profile: parsed.profile,
        createdAt: toTimestamp(this.deps.now()),
        createdBy: by,
        ...(administration !== INSTALLATION ? { administration } : {}),
      };
      try {
        await this.deps.store.risk.addProfile(stored);
        return stored;
      } catch (err) {
        // Another analyst took the version at the same moment: take the next one.
        if (!(err instanceof DomainError && err.code === 'risk_profile_exists') || attempt >= 3) throw err;
      }
    }
  }

  /**
   * Makes a version the one an administration's new assessments use: one of its own, or one of
   * the installation's. Another administration's version is unknown_risk_profile.
   */
  async activateProfile(version: number, by: string, administration = INSTALLATION): Promise<StoredRiskProfile> {
    const stored = await this.visibleProfile(version, administration);
    await this.deps.store.risk.activateProfile(version, by, toTimestamp(this.deps.now()), administration);
    return stored;
  }

  /** A version an administration may read: its own or the installation's (unknown_risk_profile otherwise). */
  async visibleProfile(version: number, administration: string | null): Promise<StoredRiskProfile> {
    const p = await this.deps.store.risk.getProfile(version);
    const owner = p?.administration ?? INSTALLATION;
    if (!p || (administration !== null && owner !== INSTALLATION && owner !== administration)) {
      throw new DomainError('unknown_risk_profile', `no risk profile version ${version}`, { version });
    }
    return p;
  }

  private async save(a: Omit<RiskAssessment, 'revision'>): Promise<RiskAssessment> {
    await this.deps.audit?.record([assessmentEntry(a)]);
    return this.deps.store.risk.addAssessment(a);
  }

  private async movement(id: MovementId): Promise<Movement> {
    const m = await this.deps.store.movements.get(asMovementId(id));
    if (!m) throw new DomainError('unknown_movement', `no movement with id ${id}`);
    return m;
  }

  private async latest(id: MovementId): Promise<RiskAssessment> {
    await this.movement(id);
    const latest = await this.deps.store.risk.latestAssessment(id);
    if (!latest) throw new DomainError('risk_not_assessed', `movement ${id} has no risk assessment yet; assess it first`);
    return latest;
  }
}

/** The trail entry of one assessment revision: the decision and what it rests on, by hash-free facts. */
function assessmentEntry(a: Omit<RiskAssessment, 'revision'>): NewAuditEntry {
  const fired = a.score.indicators.filter((r) => r.fired).map((r) => r.code);
  return {
    kind: 'event',
    ref: `risk:${a.id}`,
    time: a.decidedAt,
    actor: a.decidedBy === 'system' ? 'system' : `user:${a.decidedBy}`,
    subjects: [a.movement],
    action: a.cause === 'override' ? 'risk_overridden' : 'risk_assessed',
    data: {
      assessment: a.id,
      lane: a.decision.lane,
      reason: a.decision.reason,
      score: a.score.score,
      fired,
      profileVersion: a.profileVersion,
      seed: a.seed,
      overrides: a.decision.overrides,
    },
  };
}
