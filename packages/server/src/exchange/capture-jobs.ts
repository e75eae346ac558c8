/**
 * EPCIS capture jobs (REST binding: `POST /capture` answers 202 with the job's Location). The facts
 * of a capture are durable before the answer (observations in the ingest log); the job record that
 * reports them is kept in memory, the newest 1,000, so it is gone after a restart (docs/exchange.md).
 */
export interface CaptureJob {
  captureID: string;
  createdAt: string;
  finishedAt: string | null;
  running: boolean;
  success: boolean;
  captureErrorBehaviour: 'proceed';
  errors: { event: number; reason: string }[];
  /** What each event became: counts by outcome. */
  summary: { events: number; observations: number; duplicates: number; refused: number; ignored: number };
  /** Who captured it: only they (and those who see everything) may read it. */
  owner: string;
}

export class CaptureJobs {
  private readonly jobs = new Map<string, CaptureJob>();
  constructor(private readonly max = 1000) {}

  put(job: CaptureJob): void {
    this.jobs.set(job.captureID, job);
    if (this.jobs.size > this.max) this.jobs.delete(this.jobs.keys().next().value!);
  }

  get(id: string): CaptureJob | null {
    return this.jobs.get(id) ?? null;
  }
}
