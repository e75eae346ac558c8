/**
 * What the notification dispatchers (webhooks, e-mail) share: changes seen on the stream are
 * queued one after another, due items are tried in rounds that never overlap (timer or caller),
 * and a failed try waits base × 2^(n−1), capped, before the next.
 */
export class OutboxRounds {
  private queueing: Promise<unknown> = Promise.resolve();
  private rounds: Promise<unknown> = Promise.resolve();
  private running: Promise<unknown> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly what: string,
    private readonly log: { warn(o: object, m: string): void },
    private readonly isLeader?: () => boolean,
  ) {}

  /** Queues work after what is already queued; a failure is logged, the chain goes on. */
  queue(work: () => Promise<unknown>): void {
    this.queueing = this.queueing.then(work).catch((e: Error) => this.log.warn({ err: e.message }, `${this.what} queueing failed`));
  }

  /** Resolves once everything queued so far is queued. */
  async idle(): Promise<void> {
    await this.queueing;
  }

  /** Runs one round after the rounds before it (and after the queue drained); resolves to its result. */
  round(work: () => Promise<number>): Promise<number> {
    const r = this.rounds.then(async () => {
      await this.idle();
      return work();
    });
    this.rounds = r.catch(() => undefined);
    return r;
  }

  /** Runs `work` as a round every `everyMs` on the leader, skipping a tick while one runs. */
  schedule(everyMs: number, work: () => Promise<number>): void {
    const tick = () => {
      if (this.running || (this.isLeader && !this.isLeader())) return;
      this.running = work()
        .catch((e: Error) => this.log.warn({ err: e.message }, `${this.what} round failed`))
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.queueing;
  }
}

/** The wait before the next try after `attempts` failed ones: base × 2^(attempts−1), at most `maxMs`. */
export const retryDelayMs = (attempts: number, baseMs = 5000, maxMs = 3_600_000) => Math.min(baseMs * 2 ** (attempts - 1), maxMs);
