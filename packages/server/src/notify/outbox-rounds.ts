/**
 * What the notification dispatchers (webhooks, e-mail) share: changes seen on the stream are
 * queued one after another, due items are tried in rounds that never overlap (timer or caller),
 * and a failed try waits base × 2^(n−1), capped, before the next.
 */
import { toTimestamp, type Timestamp } from '@sealwatch/core';
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

  /** One round that tries every item `load` finds due, once each, in order; resolves to how many. */
  tryDue<T>(load: () => Promise<T[]>, attempt: (item: T) => Promise<void>): Promise<number> {
    return this.round(async () => {
      const due = await load();
      for (const item of due) await attempt(item);
      return due.length;
    });
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

/** What an outbox item keeps of its tries. */
interface Tried<A, S extends string> {
  status: S | 'pending' | 'failed';
  attempts: A[];
  nextAttemptAt: Timestamp | null;
  updatedAt: Timestamp;
}

/**
 * An item after one more try at `now`: `done` when it went through, `failed` after the last
 * allowed try, else pending again after the backoff.
 */
export function afterAttempt<T extends Tried<A, S>, A, S extends string>(
  item: T,
  attempt: A,
  ok: boolean,
  done: S,
  now: number,
  o: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number },
): T {
  const at = toTimestamp(now);
  const attempts = [...item.attempts, attempt];
  if (ok) return { ...item, status: done, attempts, nextAttemptAt: null, updatedAt: at };
  if (attempts.length >= (o.maxAttempts ?? 8)) return { ...item, status: 'failed', attempts, nextAttemptAt: null, updatedAt: at };
  return { ...item, attempts, nextAttemptAt: toTimestamp(now + retryDelayMs(attempts.length, o.baseDelayMs, o.maxDelayMs)), updatedAt: at };
}
