/**
 * Group commit: observations from concurrent requests are appended in one transaction per turn
 * of the event loop, so a thousand single-message requests cost one fsync, not a thousand.
 * Each caller's promise resolves only after the transaction holding its rows is durable; where
 * the store can (SQLite), that transaction also holds the audit entry of the rows it inserted.
 * SQLite syncs that commit off the event loop (storage/sqlite/wal-flush.ts): requests arriving
 * while a commit's sync is in flight are parsed and admitted meanwhile, and join the next commit.
 */
import type { NewObservation } from '@sealwatch/core';
import type { AppendOutcome, ObservationStore } from '../storage/ports';
import type { IngestLog } from './ingest-log';

/** Thrown when more rows wait for a commit than allowed: callers answer "retry later". */
export class IngestOverloadedError extends Error {
  constructor(
    readonly retryAfterS: number,
    cause?: Error,
  ) {
    super(
      cause ? 'ingest is unavailable (a dependency failed); retry later' : 'ingest is overloaded; retry later',
      cause ? { cause } : undefined,
    );
    this.name = 'IngestOverloadedError';
  }
}

interface Waiting {
  rows: NewObservation[];
  transport: string;
  resolve: (o: AppendOutcome[]) => void;
  reject: (e: unknown) => void;
}

export class GroupCommitter implements IngestLog {
  private queue: Waiting[] = [];
  private queuedRows = 0;
  private flushing = false;
  private scheduled = false;

  constructor(
    private readonly store: ObservationStore,
    private readonly options: { maxPending: number; maxRowsPerCommit: number; onCommitted: (rows: number) => void },
  ) {}

  /** Rows waiting for a commit (a queue depth for /metrics). */
  get pendingRows(): number {
    return this.queuedRows;
  }

  /** Whether the store writes each commit's audit entry in the same transaction (SQLite). */
  get auditsAppends(): boolean {
    return !!this.store.appendAudited;
  }

  append(rows: NewObservation[], transport: string): Promise<AppendOutcome[]> {
    if (rows.length === 0) return Promise.resolve([]);
    if (this.queuedRows + rows.length > this.options.maxPending) return Promise.reject(new IngestOverloadedError(1));
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, transport, resolve, reject });
      this.queuedRows += rows.length;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length) {
        const group: Waiting[] = [];
        let n = 0;
        while (this.queue.length && (n === 0 || n + this.queue[0].rows.length <= this.options.maxRowsPerCommit)) {
          const w = this.queue.shift()!;
          group.push(w);
          n += w.rows.length;
        }
        this.queuedRows -= n;
        try {
          const rows = group.flatMap((w) => w.rows);
          const outcomes = this.store.appendAudited
            ? await this.store.appendAudited(rows, [...new Set(group.map((w) => w.transport))])
            : await this.store.append(rows);
          let at = 0;
          for (const w of group) {
            w.resolve(outcomes.slice(at, at + w.rows.length));
            at += w.rows.length;
          }
          this.options.onCommitted(n);
        } catch (e) {
          for (const w of group) w.reject(e);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
