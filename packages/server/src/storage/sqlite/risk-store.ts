/** SQLite risk store: immutable profile versions, the active version, assessment revisions, inspection outcomes. */
import { DomainError, type KpiAggregate, type KpiPeriod, type MovementId, type RiskReferenceEntry, type Timestamp } from '@sealwatch/core';
import type { ActiveRiskProfile, RiskAssessment, RiskStore, StoredInspection, StoredRiskProfile } from '../ports';
import { clampLimit, decodeCursor, toPage } from '../cursor';
import { isUniqueViolation, statementCache, type Db, type Row } from './sql';

const toProfile = (r: Row): StoredRiskProfile => ({
  version: r.version as number,
  profile: JSON.parse(r.profile as string),
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
  facts: JSON.parse(r.facts as string),
  score: JSON.parse(r.result as string),
  decision: JSON.parse(r.decision as string),
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
  fired: JSON.parse(r.fired as string),
  profileVersion: r.profile_version as number,
  result: r.result as StoredInspection['result'],
  comment: r.comment as string | null,
  by: r.inspected_by as string,
  at: r.at as Timestamp,
});

// The latest revision of each movement: no later revision of the same movement exists.
const LATEST = 'NOT EXISTS (SELECT 1 FROM risk_assessments b WHERE b.movement = a.movement AND b.revision > a.revision)';

// core's periodKey in SQL over canonical UTC text timestamps (ISO weeks: %G-W%V, SQLite ≥ 3.46).
const PERIOD: Record<KpiPeriod, string> = {
  day: 'substr(a.decided_at, 1, 10)',
  week: "strftime('%G-W%V', a.decided_at)",
  month: 'substr(a.decided_at, 1, 7)',
  quarter: "substr(a.decided_at, 1, 4) || '-Q' || ((CAST(substr(a.decided_at, 6, 2) AS INTEGER) + 2) / 3)",
  year: 'substr(a.decided_at, 1, 4)',
};

/**
 * KPI sums per office and period in one statement: the latest revisions with their movement's
 * clearance time (milliseconds exact, from julianday) and inspection result, summed per group,
 * and the median clearance time from the middle row(s) of each group.
 */
function kpiSql(period: KpiPeriod, office: boolean, allOffices: boolean, from: boolean, to: boolean): string {
  const where = [LATEST, office ? 'a.office = @office' : '', from ? 'a.decided_at >= @from' : '', to ? 'a.decided_at < @to' : '']
    .filter(Boolean)
    .join(' AND ');
  return `WITH l AS (
      SELECT ${allOffices ? "'*'" : 'a.office'} AS office, ${PERIOD[period]} AS period, a.lane AS lane,
        json_extract(a.decision, '$.baselineLane') AS baseline, i.result AS result,
        CASE WHEN m.arrived_at IS NOT NULL AND m.ended_at IS NOT NULL
          THEN max(0, round((julianday(m.ended_at) - julianday(m.arrived_at)) * 86400000) / 1000.0) END AS secs
      FROM risk_assessments a LEFT JOIN movements m ON m.id = a.movement LEFT JOIN risk_inspections i ON i.movement = a.movement
      WHERE ${where}),
    s AS (SELECT office, period, count(*) OVER (PARTITION BY office, period) AS n,
        row_number() OVER (PARTITION BY office, period ORDER BY secs) AS k, secs FROM l WHERE secs IS NOT NULL),
    med AS (SELECT office, period, avg(secs) AS median FROM s WHERE k IN ((n + 1) / 2, (n + 2) / 2) GROUP BY office, period)
    SELECT g.*, med.median FROM (
      SELECT office, period,
        sum(lane = 'red') AS red, sum(lane = 'yellow') AS yellow, sum(lane = 'blue') AS blue, sum(lane = 'green') AS green,
        sum(lane IN ('red', 'yellow') AND result IS NOT NULL) AS judged,
        sum(lane IN ('red', 'yellow') AND result IN ('irregularity', 'seizure')) AS hits,
        sum(baseline IN ('red', 'yellow') AND lane NOT IN ('red', 'yellow')) AS avoided,
        avg(secs) AS mean
      FROM l GROUP BY office, period) g
    LEFT JOIN med ON med.office = g.office AND med.period = g.period
    ORDER BY g.office, g.period`;
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

export function sqliteRiskStore(db: Db): RiskStore {
  const sql = statementCache(db);
  const insertProfile = (p: StoredRiskProfile, orIgnore: boolean) =>
    sql(
      `INSERT ${orIgnore ? 'OR IGNORE ' : ''}INTO risk_profiles (version, profile, created_at, created_by, administration) VALUES (?, ?, ?, ?, ?)`,
    ).run(p.version, JSON.stringify(p.profile), p.createdAt, p.createdBy, p.administration ?? '');
  const addAssessmentTx = db.transaction((a: Omit<RiskAssessment, 'revision'>): RiskAssessment => {
    const revision = sql('SELECT coalesce(max(revision), 0) + 1 AS n FROM risk_assessments WHERE movement = ?').get(a.movement)!
      .n as number;
    sql(`INSERT INTO risk_assessments (id, movement, revision, trader, office, cause, lane, score, profile_version, seed, facts, result, decision, decided_at, decided_by)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      a.id,
      a.movement,
      revision,
      a.trader,
      a.office,
      a.cause,
      a.decision.lane,
      a.score.score,
      a.profileVersion,
      a.seed,
      JSON.stringify(a.facts),
      JSON.stringify(a.score),
      JSON.stringify(a.decision),
      a.decidedAt,
      a.decidedBy,
    );
    return { ...a, revision };
  });

  return {
    async addProfile(p) {
      try {
        insertProfile(p, false);
      } catch (err) {
        if (isUniqueViolation(err))
          throw new DomainError('risk_profile_exists', `risk profile version ${p.version} exists`, { version: p.version });
        throw err;
      }
    },
    async seedProfile(p) {
      db.transaction(() => {
        insertProfile(p, true);
        sql("INSERT OR IGNORE INTO risk_active_profiles (administration, version, activated_at, activated_by) VALUES ('', ?, ?, ?)").run(
          p.version,
          p.createdAt,
          p.createdBy,
        );
      }).immediate();
    },
    async getProfile(version) {
      const r = sql('SELECT * FROM risk_profiles WHERE version = ?').get(version);
      return r ? toProfile(r) : null;
    },
    async listProfiles(page, filter = {}) {
      const limit = clampLimit(page.limit);
      const after = decodeCursor(page.cursor, ['number']);
      const own = filter.administration !== undefined;
      const rows = sql(
        `SELECT * FROM risk_profiles WHERE version < ? ${own ? "AND administration IN ('', ?)" : ''} ORDER BY version DESC LIMIT ?`,
      ).all(...[after ? after[0] : Number.MAX_SAFE_INTEGER, ...(own ? [filter.administration] : []), limit + 1]);
      return toPage(rows.map(toProfile), limit, (p) => [p.version]);
    },
    async latestProfileVersion() {
      return sql('SELECT coalesce(max(version), 0) AS n FROM risk_profiles').get()!.n as number;
    },
    async activeProfile(administration = '') {
      const r = sql('SELECT * FROM risk_active_profiles WHERE administration = ?').get(administration);
      return r
        ? ({
            version: r.version as number,
            activatedAt: r.activated_at as Timestamp,
            activatedBy: r.activated_by as string,
          } satisfies ActiveRiskProfile)
        : null;
    },
    async activateProfile(version, by, at, administration = '') {
      db.transaction(() => {
        if (!sql('SELECT 1 AS x FROM risk_profiles WHERE version = ?').get(version)) {
          throw new DomainError('unknown_risk_profile', `no risk profile version ${version}`, { version });
        }
        sql(`INSERT INTO risk_active_profiles (administration, version, activated_at, activated_by) VALUES (?, ?, ?, ?)
          ON CONFLICT (administration) DO UPDATE SET version = excluded.version, activated_at = excluded.activated_at, activated_by = excluded.activated_by`).run(
          administration,
          version,
          at,
          by,
        );
      }).immediate();
    },

    async addAssessment(a) {
      return addAssessmentTx.immediate(a);
    },
    async latestAssessment(movement) {
      const r = sql('SELECT * FROM risk_assessments WHERE movement = ? ORDER BY revision DESC LIMIT 1').get(movement);
      return r ? toAssessment(r) : null;
    },
    async latestAssessments(movements) {
      if (!movements.length) return [];
      // json_each keeps one statement text whatever the number of ids.
      return sql(`SELECT a.* FROM risk_assessments a WHERE a.movement IN (SELECT value FROM json_each(?)) AND ${LATEST}`)
        .all(JSON.stringify(movements))
        .map(toAssessment);
    },
    async assessmentHistory(movement) {
      return sql('SELECT * FROM risk_assessments WHERE movement = ? ORDER BY revision').all(movement).map(toAssessment);
    },
    async listLatestAssessments(filter) {
      const rows = filter.office
        ? sql(`SELECT a.* FROM risk_assessments a WHERE a.office = ? AND ${LATEST} ORDER BY a.decided_at, a.movement`).all(filter.office)
        : sql(`SELECT a.* FROM risk_assessments a WHERE ${LATEST} ORDER BY a.decided_at, a.movement`).all();
      return rows.map(toAssessment);
    },
    async traderHistory(trader, except) {
      const m = sql('SELECT count(DISTINCT movement) AS n FROM risk_assessments WHERE trader = ? AND movement <> ?').get(trader, except)!;
      const i = sql(`SELECT count(*) AS n, coalesce(sum(CASE WHEN result <> 'nothing_found' THEN 1 ELSE 0 END), 0) AS hits
        FROM risk_inspections WHERE trader = ? AND movement <> ?`).get(trader, except)!;
      return { movements: m.n as number, inspections: i.n as number, irregularities: i.hits as number };
    },

    async saveInspection(o) {
      sql(`INSERT INTO risk_inspections (movement, trader, office, lane, reason, fired, profile_version, result, comment, inspected_by, at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (movement) DO UPDATE SET trader = excluded.trader, office = excluded.office, lane = excluded.lane, reason = excluded.reason,
          fired = excluded.fired, profile_version = excluded.profile_version, result = excluded.result, comment = excluded.comment,
          inspected_by = excluded.inspected_by, at = excluded.at`).run(
        o.movement,
        o.trader,
        o.office,
        o.lane,
        o.reason,
        JSON.stringify(o.fired),
        o.profileVersion,
        o.result,
        o.comment,
        o.by,
        o.at,
      );
    },
    async getInspection(movement) {
      const r = sql('SELECT * FROM risk_inspections WHERE movement = ?').get(movement);
      return r ? toInspection(r) : null;
    },
    async listInspections(filter) {
      const rows =
        filter.profileVersion === undefined
          ? sql('SELECT * FROM risk_inspections ORDER BY at, movement').all()
          : sql('SELECT * FROM risk_inspections WHERE profile_version = ? ORDER BY at, movement').all(filter.profileVersion);
      return rows.map(toInspection);
    },

    async kpiAggregates(f) {
      const params = { office: f.office, from: f.from, to: f.to };
      const text = kpiSql(f.period, f.office !== undefined, !!f.allOffices, f.from !== undefined, f.to !== undefined);
      return sql(text)
        .all(Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)))
        .map(toKpiAggregate);
    },
    async listReference(f) {
      const rows = f.kind
        ? sql('SELECT * FROM risk_reference WHERE administration = ? AND kind = ? ORDER BY kind, key').all(f.administration ?? '', f.kind)
        : sql('SELECT * FROM risk_reference WHERE administration = ? ORDER BY kind, key').all(f.administration ?? '');
      return rows.map(toReference);
    },
    async putReference(e, administration = '') {
      sql(`INSERT INTO risk_reference (administration, kind, key, level, note, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (administration, kind, key) DO UPDATE SET level = excluded.level, note = excluded.note, updated_at = excluded.updated_at, updated_by = excluded.updated_by`).run(
        administration,
        e.kind,
        e.key,
        e.level,
        e.note,
        e.updatedAt,
        e.updatedBy,
      );
    },
    async deleteReference(kind, key, administration = '') {
      return sql('DELETE FROM risk_reference WHERE administration = ? AND kind = ? AND key = ?').run(administration, kind, key).changes > 0;
    },
  };
}
