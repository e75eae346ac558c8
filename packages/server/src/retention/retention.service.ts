/**
 * Retention per data class: observations and quarantined inputs older than their configured age
 * are removed (PostgreSQL drops whole monthly partitions), and finished EPCIS capture jobs (what
 * `GET /epcis/capture/{id}` answers) some days after they finished. Events, alerts and the registry are
 * evidence of what happened under customs control and are kept. A partner's movement copied here
 * (federation) is purged `retentionDays` after it ended here, as our agreement with the partner
 * says: its shared readings deleted, its trader, vehicle and goods blanked; before that, each data
 * class our own law keeps for less (the partner's `retention`) goes on its own day (docs/federation.md).
 */
import { copyPurgePlan, sharedFeedDevice, toTimestamp, type MovementId } from '@sealwatch/core';
import type { AuditTrail } from '../audit/audit-trail';
import type { Store } from '../storage/ports';

export interface RetentionPolicy {
  /** Days observations are kept; 0 keeps them forever. */
  observationsDays: number;
  /** Days quarantined inputs are kept; 0 keeps them forever. */
  quarantineDays: number;
  /** Days a finished EPCIS capture job is kept after it finished; 0 keeps them forever. */
  captureJobsDays: number;
}

export interface RetentionResult {
  observations: number;
  quarantine: number;
  /** Finished EPCIS capture jobs removed. */
  captureJobs: number;
  /** Partners' movements whose copy here was purged now, and the shared readings deleted with them. */
  federatedCopies: number;
  federatedObservations: number;
  /** Data classes purged now from copies not yet due as a whole (one per copy and class). */
  federatedClasses: number;
  observationsBefore: string | null;
  quarantineBefore: string | null;
  captureJobsBefore: string | null;
}

const DAY_MS = 86_400_000;

/** The cut-off times of a policy at `now` (null where a class is kept forever). Pure. */
export function retentionCutoffs(
  policy: RetentionPolicy,
  nowMs: number,
): { observations: string | null; quarantine: string | null; captureJobs: string | null } {
  const cut = (days: number) => (days > 0 ? toTimestamp(nowMs - days * DAY_MS) : null);
  return { observations: cut(policy.observationsDays), quarantine: cut(policy.quarantineDays), captureJobs: cut(policy.captureJobsDays) };
}

export class RetentionService {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: {
      store: Pick<Store, 'observations' | 'quarantine' | 'federation' | 'movements' | 'captureJobs'>;
      /** Where purges of partners' copies are recorded (absent: the CLI, which prints them). */
      audit?: Pick<AuditTrail, 'record'>;
      policy: RetentionPolicy;
      now: () => number;
      log: { info(o: object, m: string): void; warn(o: object, m: string): void };
    },
  ) {}

  async run(): Promise<RetentionResult> {
    const cut = retentionCutoffs(this.deps.policy, this.deps.now());
    const observations = cut.observations ? await this.deps.store.observations.purgeBefore(cut.observations as never) : 0;
    const quarantine = cut.quarantine ? await this.deps.store.quarantine.purgeBefore(cut.quarantine as never) : 0;
    const captureJobs = cut.captureJobs ? await this.deps.store.captureJobs.purgeFinishedBefore(cut.captureJobs) : 0;
    const copies = await this.purgeCopies();
    const result = {
      observations,
      quarantine,
      captureJobs,
      ...copies,
      observationsBefore: cut.observations,
      quarantineBefore: cut.quarantine,
      captureJobsBefore: cut.captureJobs,
    };
    if (observations || quarantine || captureJobs || copies.federatedCopies || copies.federatedClasses)
      this.deps.log.info(result, 'retention applied');
    return result;
  }

  /**
   * Purges the partners' copies whose retention ran out: whole by our agreement with their partner,
   * or class by class where our own retention for that partner is shorter.
   */
  private async purgeCopies(): Promise<{ federatedCopies: number; federatedObservations: number; federatedClasses: number }> {
    const { federation, movements } = this.deps.store;
    const now = this.deps.now();
    let federatedCopies = 0,
      federatedObservations = 0,
      federatedClasses = 0;
    const partners = new Map((await federation.listPartners()).map((p) => [p.administration, p]));
    for (const link of await federation.copies()) {
      const partner = partners.get(link.partner);
      const m = await movements.get(link.localMovement as MovementId);
      if (!partner || !m) continue;
      const { agreement, retention } = partner;
      const plan = copyPurgePlan([m.arrivedAt, m.endedAt, link.leftAt], agreement, retention, link.purgedClasses, now);
      if (!plan.whole && !plan.classes.length) continue;
      const feed = sharedFeedDevice(link.partner, link.originMovement);
      const removed = plan.whole
        ? await federation.purgeCopy(link, feed, toTimestamp(now))
        : await federation.purgeCopyClasses(link, feed, plan.classes);
      if (plan.whole) federatedCopies += 1;
      federatedClasses += plan.classes.length;
      federatedObservations += removed;
      await this.deps.audit?.record([
        {
          kind: 'federation_message',
          ref: `federation:${link.partner}:retention:${link.originMovement}${plan.whole ? '' : `:${plan.classes.join(',')}`}`,
          time: toTimestamp(now),
          actor: 'system',
          subjects: [link.localMovement, `partner:${link.partner}`],
          action: 'purged',
          data: plan.whole
            ? { originMovement: link.originMovement, observations: removed, retentionDays: agreement.retentionDays }
            : {
                originMovement: link.originMovement,
                observations: removed,
                classes: plan.classes,
                days: Object.fromEntries(plan.classes.map((c) => [c, retention[c]])),
              },
        },
      ]);
    }
    return { federatedCopies, federatedObservations, federatedClasses };
  }

  /** Runs now and then every `everyMs`; failures are logged and retried at the next turn. */
  schedule(everyMs: number): void {
    const tick = () => this.run().catch((e: Error) => this.deps.log.warn({ err: e.message }, 'retention failed'));
    void tick();
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
