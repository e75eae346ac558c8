/** SQLite transit store: one row per finding of a movement's last evaluation, replaced as a whole. */
import type { MovementId, Timestamp } from '@sealwatch/core';
import type { StoredTransitFinding, TransitEvaluation, TransitStore } from '../transit-ports';
import type { Db, Row } from './sql';

const toFinding = (r: Row): StoredTransitFinding => ({
  kind: r.kind as StoredTransitFinding['kind'],
  type: r.type as string,
  subject: r.subject as string,
  device: r.device as string | null,
  start: r.start_time as Timestamp,
  end: r.end_time as Timestamp | null,
  details: JSON.parse(r.details as string),
});

/** The findings of each movement's last transit evaluation. */
export function sqliteTransitStore(db: Db): TransitStore {
  const evaluation = db.prepare<[string], Row>('SELECT evaluated_at FROM transit_evaluations WHERE movement = ?');
  const findings = db.prepare<[string], Row>('SELECT * FROM transit_findings WHERE movement = ? ORDER BY ord');
  const upsert = db.prepare(`INSERT INTO transit_evaluations (movement, evaluated_at) VALUES (?, ?)
    ON CONFLICT (movement) DO UPDATE SET evaluated_at = excluded.evaluated_at`);
  const clear = db.prepare('DELETE FROM transit_findings WHERE movement = ?');
  const insert = db.prepare(`INSERT INTO transit_findings (movement, ord, kind, type, subject, device, start_time, end_time, details)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const replaceTx = db.transaction((e: TransitEvaluation) => {
    upsert.run(e.movement, e.evaluatedAt);
    clear.run(e.movement);
    e.findings.forEach((f, i) => insert.run(e.movement, i, f.kind, f.type, f.subject, f.device, f.start, f.end, JSON.stringify(f.details)));
  });
  return {
    async get(movement) {
      const row = evaluation.get(movement);
      if (!row) return null;
      return {
        movement: movement as MovementId,
        evaluatedAt: row.evaluated_at as Timestamp,
        findings: findings.all(movement).map(toFinding),
      };
    },
    async replace(e) {
      replaceTx(e);
    },
  };
}
