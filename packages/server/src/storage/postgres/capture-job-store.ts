/** PostgreSQL EPCIS capture jobs: one row per job, the job as jsonb. */
import type { Pool } from 'pg';
import type { CaptureJob, CaptureJobStore } from '../capture-job-ports';

export function postgresCaptureJobStore(pool: Pool): CaptureJobStore {
  return {
    async save(job) {
      await pool.query(
        `INSERT INTO epcis_capture_jobs (id, owner, created_at, job) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, job = excluded.job`,
        [job.captureID, job.owner, job.createdAt, JSON.stringify(job)],
      );
    },
    async get(id) {
      const { rows } = await pool.query<{ job: CaptureJob }>('SELECT job FROM epcis_capture_jobs WHERE id = $1', [id]);
      return rows[0]?.job ?? null;
    },
    async purgeFinishedBefore(before) {
      const { rowCount } = await pool.query(
        `DELETE FROM epcis_capture_jobs WHERE (job->>'running')::boolean = false AND (job->>'finishedAt') < $1`,
        [before],
      );
      return rowCount ?? 0;
    },
  };
}
