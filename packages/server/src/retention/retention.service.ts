/**
 * Retention per data class: observations and quarantined inputs older than their configured age
 * are removed (PostgreSQL drops whole monthly partitions). Events, alerts and the registry are
 * evidence of what happened under customs control and are kept.
 */
import { toTimestamp } from '@sealwatch/core';
import type { Store } from '../storage/ports';

export interface RetentionPolicy {
  /** Days observations are kept; 0 keeps them forever. */
  observationsDays: number;
  /** Days quarantined inputs are kept; 0 keeps them forever. */
  quarantineDays: number;
}

export interface RetentionResult {
  observations: number;
  quarantine: number;
  observationsBefore: string | null;
  quarantineBefore: string | null;
}

const DAY_MS = 86_400_000;

/** The cut-off times of a policy at `now` (null where a class is kept forever). Pure. */
export function retentionCutoffs(policy: RetentionPolicy, nowMs: number): { observations: string | null; quarantine: string | null } {
  return {
    observations: policy.observationsDays > 0 ? toTimestamp(nowMs - policy.observationsDays * DAY_MS) : null,
    quarantine: policy.quarantineDays > 0 ? toTimestamp(nowMs - policy.quarantineDays * DAY_MS) : null,
  };
}

export class RetentionService {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: {
      store: Pick<Store, 'observations' | 'quarantine'>;
      policy: RetentionPolicy;
      now: () => number;
      log: { info(o: object, m: string): void; warn(o: object, m: string): void };
    },
  ) {}

  async run(): Promise<RetentionResult> {
    const cut = retentionCutoffs(this.deps.policy, this.deps.now());
    const observations = cut.observations ? await this.deps.store.observations.purgeBefore(cut.observations as never) : 0;
    const quarantine = cut.quarantine ? await this.deps.store.quarantine.purgeBefore(cut.quarantine as never) : 0;
    const result = { observations, quarantine, observationsBefore: cut.observations, quarantineBefore: cut.quarantine };
    if (observations || quarantine) this.deps.log.info(result, 'retention applied');
    return result;
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
