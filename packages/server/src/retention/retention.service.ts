/**
 * Retention per data class: observations and quarantined inputs older than their configured age
 * are removed (PostgreSQL drops whole monthly partitions), and finished EPCIS capture jobs (what
 * `GET /epcis/capture/{id}` answers) some days after they finished. Events, alerts and the registry are
 * evidence of what happened under customs control and are kept. A partner's movement copied here
 * (federation) is purged `retentionDays` after it ended here, as our agreement with the partner
 * says: its shared readings deleted, its trader, vehicle and goods blanked (docs/federation.md).
 */
import { copyPurgeDueAt, sharedFeedDevice, toTimestamp, type MovementId } from '@sealwatch/core';
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
    if (observations || quarantine || captureJobs || copies.federatedCopies) this.deps.log.info(result, 'retention applied');
    return result;
  }

  /** Purges the partners' copies whose retention ran out: by our own agreement with their partner. */
  private async purgeCopies(): Promise<{ federatedCopies: number; federatedObservations: number }> {
    const { federation, movements } = this.deps.store;
    const now = this.deps.now();
    let federatedCopies = 0,
      federatedObservations = 0;
    const agreements = new Map((await federation.listPartners()).map((p) => [p.administration, p.agreement]));
    for (const link of await federation.copies()) {
      const agreement = agreements.get(link.partner);
      const m = await movements.get(link.localMovement as MovementId);
      if (!agreement || !m) continue;
      const due = copyPurgeDueAt([m.arrivedAt, m.endedAt, link.leftAt], agreement.retentionDays);
      if (due === null || due > now) continue;
      const removed = await federation.purgeCopy(link, sharedFeedDevice(link.partner, link.originMovement), toTimestamp(now));
      federatedCopies += 1;
      federatedObservations += removed;
      await this.deps.audit?.record([
        {
          kind: 'federation_message',
          ref: `federation:${link.partner}:retention:${link.originMovement}`,
          time: toTimestamp(now),
          actor: 'system',
          subjects: [link.localMovement, `partner:${link.partner}`],
          action: 'purged',
          data: { originMovement: link.originMovement, observations: removed, retentionDays: agreement.retentionDays },
        },
      ]);
    }
    return { federatedCopies, federatedObservations };
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
