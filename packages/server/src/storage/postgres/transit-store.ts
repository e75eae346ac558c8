/** PostgreSQL transit store: one row per finding of a movement's last evaluation, replaced as a whole. */
import type { MovementId, Timestamp } from '@sealwatch/core';
import type { Pool } from 'pg';
import type { StoredTransitFinding, TransitStore } from '../transit-ports';
import { inTransaction } from './sql';

type Row = Record<string, unknown>;
const toFinding = (r: Row): StoredTransitFinding => ({
  kind: r.kind as StoredTransitFinding['kind'],
  type: r.type as string,
  subject: r.subject as string,
  device: r.device as string | null,
  start: r.start_time as Timestamp,
  end: r.end_time as Timestamp | null,
  details: r.details as Record<string, unknown>,
});

/** The findings of each movement's last transit evaluation. */
export function postgresTransitStore(pool: Pool): TransitStore {
  return {
    async get(movement) {
      const { rows } = await pool.query('SELECT evaluated_at FROM transit_evaluations WHERE movement = $1', [movement]);
      if (!rows.length) return null;
      const found = await pool.query('SELECT * FROM transit_findings WHERE movement = $1 ORDER BY ord', [movement]);
      return { movement: movement as MovementId, evaluatedAt: rows[0].evaluated_at as Timestamp, findings: found.rows.map(toFinding) };
    },
    async replace(e) {
      await inTransaction(pool, async (client) => {
        // The row lock on the evaluation serialises two writers of one movement (a lease handover).
        await client.query(
          `INSERT INTO transit_evaluations (movement, evaluated_at) VALUES ($1, $2)
          ON CONFLICT (movement) DO UPDATE SET evaluated_at = excluded.evaluated_at`,
          [e.movement, e.evaluatedAt],
        );
        await client.query('DELETE FROM transit_findings WHERE movement = $1', [e.movement]);
        if (!e.findings.length) return;
        const f = e.findings;
        await client.query(
          `INSERT INTO transit_findings (movement, ord, kind, type, subject, device, start_time, end_time, details)
          SELECT $1, ord - 1, kind, type, subject, device, start_time, end_time, details::jsonb
          FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY
            AS t(kind, type, subject, device, start_time, end_time, details, ord)`,
          [
            e.movement,
            f.map((x) => x.kind),
            f.map((x) => x.type),
            f.map((x) => x.subject),
            f.map((x) => x.device),
            f.map((x) => x.start),
            f.map((x) => x.end),
            f.map((x) => JSON.stringify(x.details)),
          ],
        );
      });
    },
  };
}
