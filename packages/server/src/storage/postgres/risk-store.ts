/** PostgreSQL risk store: immutable profile versions, the active version, assessment revisions, inspection outcomes. */
import type { Pool } from 'pg';
import { DomainError, type KpiAggregate, type KpiPeriod, type MovementId, type RiskReferenceEntry, type Timestamp } from '@sealwatch/core';
import type { RiskAssessment, RiskStore, StoredInspection, StoredRiskProfile } from '../ports';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import { inTransaction, isUniqueViolation } from './sql';

type Row = Record<string, unknown>;
// jsonb and timestamptz arrive parsed (see sql.ts typeParsers); seed is a bigint, parsed as a number.
const toProfile = (r: Row): StoredRiskProfile => ({
  version: r.version as number,
  profile: r.profile as StoredRiskProfile['profile'],
  createdAt: r.created_at as Timestamp,
  createdBy: r.created_by as string,
  ...(r.administration ? { administration: r.administration as string } : {}),
});
const toAssessment = (r: Row): RiskAssessment => ({
  id: r.id as string,
  movement: r.movement as MovementId,
  revision: r.revision as number,
  trader: r.trader as string | null,
  office: r.office as RiskAssessment['office'],
  cause: r.cause as RiskAssessment['cause'],
  facts: r.facts as RiskAssessment['facts'],
  score: r.result as RiskAssessment['score'],
  decision: r.decision as RiskAssessment['decision'],
  profileVersion: r.profile_version as number,
  seed: r.seed as number,
  decidedAt: r.decided_at as Timestamp,
  decidedBy: r.decided_by as string,
});
const toInspection = (r: Row): StoredInspection => ({
  movement: r.movement as string,
  trader: r.trader as string | null,
  office: r.office as string,
  lane: r.lane as StoredInspection['lane'],
  reason: r.reason as StoredInspection['reason'],
  fired: r.fired as string[],
  profileVersion: r.profile_version as number,
  result: r.result as StoredInspection['result'],
  comment: r.comment as string | null,
  by: r.inspected_by as string,
  at: r.at as Timestamp,
});

const LATEST = 'NOT EXISTS (SELECT 1 FROM risk_assessments b WHERE b.movement = a.movement AND b.revision > a.revision)';
const json = (v: unknown) => JSON.stringify(v);

// core's periodKey in SQL: the UTC calendar of the decision (ISO weeks: IYYY-IW).
const PERIOD: Record<KpiPeriod, string> = {
  day: 'YYYY-MM-DD',
  week: 'IYYY-"W"IW',
  month: 'YYYY-MM',
  quarter: 'YYYY-"Q"Q',
  year: 'YYYY',
};

/** KPI sums per office and period in one statement, over the latest revisions with clearance time and inspection result joined in. */
function kpiSql(period: KpiPeriod, allOffices: boolean, where: string): string {
  return `WITH l AS (
      SELECT ${allOffices ? "'*'::text" : 'a.office'} AS office, to_char(a.decided_at AT TIME ZONE 'UTC', '${PERIOD[period]}') AS period,
        a.lane, a.decision->>'baselineLane' AS baseline, i.result,
        -- greatest() skips NULLs: keep a movement not yet released out of the times explicitly.
        CASE WHEN m.ended_at IS NOT NULL AND m.arrived_at IS NOT NULL THEN greatest(0, extract(epoch FROM m.ended_at - m.arrived_at))::double precision END AS secs
      FROM risk_assessments a LEFT JOIN movements m ON m.id = a.movement LEFT JOIN risk_inspections i ON i.movement = a.movement
      WHERE ${where})
    SELECT office, period,
      count(*) FILTER (WHERE lane = 'red')::int AS red, count(*) FILTER (WHERE lane = 'yellow')::int AS yellow,
      count(*) FILTER (WHERE lane = 'blue')::int AS blue, count(*) FILTER (WHERE lane = 'green')::int AS green,
      count(*) FILTER (WHERE lane IN ('red', 'yellow') AND result IS NOT NULL)::int AS judged,
      count(*) FILTER (WHERE lane IN ('red', 'yellow') AND result IN ('irregularity', 'seizure'))::int AS hits,
      count(*) FILTER (WHERE baseline IN ('red', 'yellow') AND lane NOT IN ('red', 'yellow'))::int AS avoided,
      avg(secs)::double precision AS mean,
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY secs))::double precision AS median
    FROM l GROUP BY office, period ORDER BY office COLLATE "C", period`;
}

const toKpiAggregate = (r: Row): KpiAggregate => ({
  office: r.office as string,
  period: r.period as string,
  lanes: { red: r.red as number, yellow: r.yellow as number, blue: r.blue as number, green: r.green as number },
  judged: r.judged as number,
  hits: r.hits as number,
  inspectionsAvoided: r.avoided as number,
  clearanceMeanS: (r.mean as number | null) ?? null,
  clearanceMedianS: (r.median as number | null) ?? null,
});
const toReference = (r: Row): RiskReferenceEntry => ({
  kind: r.kind as RiskReferenceEntry['kind'],
  key: r.key as string,
  level: r.level as RiskReferenceEntry['level'],
  note: r.note as string | null,
  updatedAt: r.updated_at as string,
  updatedBy: r.updated_by as string,
});

export function postgresRiskStore(pool: Pool): RiskStore {
  const insertProfile = (p: StoredRiskProfile, onConflict: string) =>
    pool.query(
      `INSERT INTO risk_profiles (version, profile, created_at, created_by, administration) VALUES ($1, $2, $3, $4, $5) ${onConflict}`,
      [p.version, json(p.profile), p.createdAt, p.createdBy, p.administration ?? ''],
    );

  const insertAssessment = (a: Omit<RiskAssessment, 'revision'>) =>
    pool.query<{ revision: number }>(
      `INSERT INTO risk_assessments (id, movement, revision, trader, office, cause, lane, score, profile_version, seed, facts, result, decision, decided_at, decided_by)
     SELECT $1::text, $2::text, coalesce(max(revision), 0) + 1, $3::text, $4::text, $5::text, $6::text, $7::double precision, $8::integer,
       $9::bigint, $10::jsonb, $11::jsonb, $12::jsonb, $13::timestamptz, $14::text FROM risk_assessments WHERE movement = $2
     RETURNING revision`,
      [
        a.id,
        a.movement,
        a.trader,
        a.office,
        a.cause,
        a.decision.lane,
        a.score.score,
        a.profileVersion,
        a.seed,
        json(a.facts),
        json(a.score),
        json(a.decision),
        a.decidedAt,
        a.decidedBy,
      ],
    );

  return {
    async addProfile(p) {
      try {
        await insertProfile(p, '');
      } catch (err) {
        if (isUniqueViolation(err))
          throw new DomainError('risk_profile_exists', `risk profile version ${p.version} exists`, { version: p.version });
        throw err;
      }
    },
    async seedProfile(p) {
      await inTransaction(pool, async (c) => {
        await c.query(
          'INSERT INTO risk_profiles (version, profile, created_at, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT (version) DO NOTHING',
          [p.version, json(p.profile), p.createdAt, p.createdBy],
        );
        await c.query(
          "INSERT INTO risk_active_profiles (administration, version, activated_at, activated_by) VALUES ('', $1, $2, $3) ON CONFLICT (administration) DO NOTHING",
          [p.version, p.createdAt, p.createdBy],
        );
      });
    },
    async getProfile(version) {
      const { rows } = await pool.query('SELECT * FROM risk_profiles WHERE version = $1', [version]);
      return rows.length ? toProfile(rows[0]) : null;
    },
    async listProfiles(page, filter = {}) {
      const limit = clampLimit(page.limit);
      const after = decodeCursor(page.cursor, ['number']);
      const own = filter.administration !== undefined;
      const { rows } = await pool.query(
        `SELECT * FROM risk_profiles WHERE version < $1 ${own ? "AND administration IN ('', $3)" : ''} ORDER BY version DESC LIMIT $2`,
        [after ? after[0] : 2147483647, limit + 1, ...(own ? [filter.administration] : [])],
      );
      return toPage(rows.map(toProfile), limit, (p) => [p.version]);
    },
    async latestProfileVersion() {
      const { rows } = await pool.query<{ n: number }>('SELECT coalesce(max(version), 0) AS n FROM risk_profiles');
      return rows[0].n;
    },
    async activeProfile(administration = '') {
      const { rows } = await pool.query('SELECT * FROM risk_active_profiles WHERE administration = $1', [administration]);
      return rows.length ? { version: rows[0].version, activatedAt: rows[0].activated_at, activatedBy: rows[0].activated_by } : null;
    },
    async activateProfile(version, by, at, administration = '') {
      const { rowCount } = await pool.query(
        `INSERT INTO risk_active_profiles (administration, version, activated_at, activated_by) SELECT $4::text, version, $2::timestamptz, $3::text FROM risk_profiles WHERE version = $1
         ON CONFLICT (administration) DO UPDATE SET version = excluded.version, activated_at = excluded.activated_at, activated_by = excluded.activated_by`,
        [version, at, by, administration],
      );
      if (!rowCount) throw new DomainError('unknown_risk_profile', `no risk profile version ${version}`, { version });
    },

    async addAssessment(a) {
      // Two writers may number the same revision at once; the unique (movement, revision) refuses one, which numbers again.
      for (let attempt = 1; ; attempt++) {
        try {
          const { rows } = await insertAssessment(a);
          return { ...a, revision: rows[0].revision };
        } catch (err) {
          if (!isUniqueViolation(err) || attempt >= 5) throw err;
        }
      }
    },
    async latestAssessment(movement) {
      const { rows } = await pool.query('SELECT * FROM risk_assessments WHERE movement = $1 ORDER BY revision DESC LIMIT 1', [movement]);
      return rows.length ? toAssessment(rows[0]) : null;
    },
    async latestAssessments(movements) {
      if (!movements.length) return [];
      const { rows } = await pool.query(`SELECT a.* FROM risk_assessments a WHERE a.movement = ANY($1::text[]) AND ${LATEST}`, [movements]);
      return rows.map(toAssessment);
    },
    async assessmentHistory(movement) {
      const { rows } = await pool.query('SELECT * FROM risk_assessments WHERE movement = $1 ORDER BY revision', [movement]);
      return rows.map(toAssessment);
    },
    async listLatestAssessments(filter) {
      const { rows } = filter.office
        ? await pool.query(`SELECT a.* FROM risk_assessments a WHERE a.office = $1 AND ${LATEST} ORDER BY a.decided_at, a.movement`, [
            filter.office,
          ])
        : await pool.query(`SELECT a.* FROM risk_assessments a WHERE ${LATEST} ORDER BY a.decided_at, a.movement`);
      return rows.map(toAssessment);
    },
    async traderHistory(trader, except) {
      const {
        rows: [m],
      } = await pool.query<{ n: number }>(
        'SELECT count(DISTINCT movement) AS n FROM risk_assessments WHERE trader = $1 AND movement <> $2',
        [trader, except],
      );
      const {
        rows: [i],
      } = await pool.query<{ n: number; hits: number }>(
        `SELECT count(*) AS n, count(*) FILTER (WHERE result <> 'nothing_found') AS hits FROM risk_inspections WHERE trader = $1 AND movement <> $2`,
        [trader, except],
      );
      return { movements: m.n, inspections: i.n, irregularities: i.hits };
    },

    async saveInspection(o) {
      await pool.query(
        `INSERT INTO risk_inspections (movement, trader, office, lane, reason, fired, profile_version, result, comment, inspected_by, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (movement) DO UPDATE SET trader = excluded.trader, office = excluded.office, lane = excluded.lane, reason = excluded.reason,
           fired = excluded.fired, profile_version = excluded.profile_version, result = excluded.result, comment = excluded.comment,
           inspected_by = excluded.inspected_by, at = excluded.at`,
        [o.movement, o.trader, o.office, o.lane, o.reason, json(o.fired), o.profileVersion, o.result, o.comment, o.by, o.at],
      );
    },
    async getInspection(movement) {
      const { rows } = await pool.query('SELECT * FROM risk_inspections WHERE movement = $1', [movement]);
      return rows.length ? toInspection(rows[0]) : null;
    },
    async listInspections(filter) {
      const { rows } =
        filter.profileVersion === undefined
          ? await pool.query('SELECT * FROM risk_inspections ORDER BY at, movement')
          : await pool.query('SELECT * FROM risk_inspections WHERE profile_version = $1 ORDER BY at, movement', [filter.profileVersion]);
      return rows.map(toInspection);
    },

    async kpiAggregates(f) {
      const values: unknown[] = [];
      const where = [LATEST];
      if (f.office !== undefined) where.push(`a.office = $${values.push(f.office)}`);
      if (f.from !== undefined) where.push(`a.decided_at >= $${values.push(f.from)}`);
      if (f.to !== undefined) where.push(`a.decided_at < $${values.push(f.to)}`);
      const { rows } = await pool.query(kpiSql(f.period, !!f.allOffices, where.join(' AND ')), values);
      return rows.map(toKpiAggregate);
    },
    async listReference(f) {
      const { rows } = f.kind
        ? await pool.query('SELECT * FROM risk_reference WHERE administration = $1 AND kind = $2 ORDER BY kind, key', [
            f.administration ?? '',
            f.kind,
          ])
        : await pool.query('SELECT * FROM risk_reference WHERE administration = $1 ORDER BY kind, key', [f.administration ?? '']);
      return rows.map(toReference);
    },
    async putReference(e, administration = '') {
      await pool.query(
        `INSERT INTO risk_reference (administration, kind, key, level, note, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (administration, kind, key) DO UPDATE SET level = excluded.level, note = excluded.note, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        [administration, e.kind, e.key, e.level, e.note, e.updatedAt, e.updatedBy],
      );
    },
    async deleteReference(kind, key, administration = '') {
      const r = await pool.query('DELETE FROM risk_reference WHERE administration = $1 AND kind = $2 AND key = $3', [
        administration,
        kind,
        key,
      ]);
      return (r.rowCount ?? 0) > 0;
    },
  };
}
