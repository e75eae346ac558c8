/**
 * The storage port of EPCIS capture jobs (REST binding: `POST /capture` answers 202 with the job's
 * Location). Kept in the database so that the Location still answers after a restart or on
 * another process of a cluster. A job is written once, finished (capture runs before the answer),
 * and purged by retention (`SEALWATCH_RETENTION_CAPTURE_JOBS_DAYS` after it finished).
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
  /** Who captured it (the audit actor): only they (and administrators) may read it. */
  owner: string;
}

export interface CaptureJobStore {
  /** Insert or replace by `captureID`. */
  save(job: CaptureJob): Promise<void>;
  get(captureID: string): Promise<CaptureJob | null>;
  /** Removes the finished jobs (not `running`) whose `finishedAt` is before `before` (ISO 8601 UTC); returns how many. */
  purgeFinishedBefore(before: string): Promise<number>;
}
