/** SQLite EPCIS capture jobs: one row per job, the job as JSON. */
import type { CaptureJob, CaptureJobStore } from '../capture-job-ports';
import type { Db, Row } from './sql';

export function sqliteCaptureJobStore(db: Db): CaptureJobStore {
  const upsert = db.prepare(`INSERT INTO epcis_capture_jobs (id, owner, created_at, job) VALUES (?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, job = excluded.job`);
  const get = db.prepare<[string], Row>('SELECT job FROM epcis_capture_jobs WHERE id = ?');
  // Jobs are few and small: the finish time is read from the JSON rather than given a column.
  const purge = db.prepare(`DELETE FROM epcis_capture_jobs
    WHERE json_extract(job, '$.running') = 0 AND json_extract(job, '$.finishedAt') < ?`);
  return {
    async save(job) {
      upsert.run(job.captureID, job.owner, job.createdAt, JSON.stringify(job));
    },
    async get(id) {
      const row = get.get(id);
      return row ? (JSON.parse(row.job as string) as CaptureJob) : null;
    },
    async purgeFinishedBefore(before) {
      return purge.run(before).changes;
    },
  };
}
