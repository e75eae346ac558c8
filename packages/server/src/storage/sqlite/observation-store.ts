/** SQLite observation store: the ingest log. Row ids are log positions and are never reused. */
import { messageBatchEntry, messageLeafHash, toTimestamp } from '@sealwatch/core';
import type { DeviceId, NewObservation } from '@sealwatch/core';
import { sha256, type SqliteAuditAppender } from './audit-store';
import type { AppendOutcome, ObservationStore, TrackDetail, TrackLinePoint, TrackPoint } from '../ports';
import { clampLimit, clampTrackLimit } from '../cursor';
import type { ObservationPayload } from '../rows';
import { sqliteRows, statementCache, sqliteLists } from './sql';
import type { Db, Row } from './sql';
import { keysetPage } from '../keyset-list';
import type { WalFlush } from './wal-flush';
import { observationList } from '../lists';

const { toObservation } = sqliteRows;

/**
 * Observations, appended in batches. `append` runs the (device, seq) duplicate/conflict check,
 * the (device, time, hash) duplicate check of seq-less rows, and the inserts in one transaction; with synchronous=FULL the commit is on disk when it returns.
 * With `wal` (wal-flush.ts), `appendAudited` commits without syncing and resolves once the WAL is
 * synced on a libuv thread: durable when it resolves, the event loop free while the disk works.
 */
export function sqliteObservationStore(db: Db, audit?: SqliteAuditAppender, wal: WalFlush | null = null): ObservationStore {
  const lists = sqliteLists(db);
  const stmt = statementCache(db);
  const insert = db.prepare(`INSERT INTO observations
    (device, seq, time, received_at, lat, lon, trust, protocol, hash, raw, late, payload, audit_seq, seal_state, seal, speed)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const bySeq = db.prepare<[string, number], { id: number; hash: string }>(
    'SELECT id, hash FROM observations WHERE device = ? AND seq = ?',
  );
  // Seq-less (vendor) rows are identified by (device, time, hash); the oldest id answers, since
  // rows stored before migration step 15 may hold the same triple twice.
  const byContent = db.prepare<[string, string, string], { id: number }>(
    'SELECT min(id) AS id FROM observations WHERE device = ? AND time = ? AND hash = ? AND seq IS NULL',
  );
  const byId = db.prepare<[number], Row>('SELECT * FROM observations WHERE id = ?');
  const log = db.prepare<[number, number], Row>('SELECT * FROM observations WHERE id > ? ORDER BY id LIMIT ?');
  const maxId = db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM observations').pluck();
  const maxSeq = db.prepare<[string], number | null>('SELECT max(seq) FROM observations WHERE device = ? AND seq IS NOT NULL').pluck();
  // Canonical ISO timestamps compare as text in time order. AUTOINCREMENT keeps ids unused.
  const purge = db.prepare<[string]>('DELETE FROM observations WHERE time < ?');

  // Only the columns a map draws, none of them parsed out of the payload (migration 47); rows as
  // the arrays better-sqlite3 makes anyway (`raw`), handed on as they are: an object per row, or
  // a column read for every row where only the kept ones need it, cost more than the read itself.
  // (device, time) index order; lower bound max(from, after) keeps each page a range scan.
  const trackPage = (columns: string) =>
    db
      .prepare<[string, string, string, string, number, number], unknown[]>(
        `SELECT ${columns} FROM observations
         WHERE device = ? AND time >= ? AND time <= ? AND (time > ? OR id > ?) AND lat IS NOT NULL
         ORDER BY time, id LIMIT ?`,
      )
      .raw(true);
  const trackLineRows = trackPage('id, time, lon, lat, seal_state');
  const trackRows = trackPage('id, time, lon, lat, seal, speed, trust');
  const trackDetailRows = db
    .prepare<[string], unknown[]>('SELECT id, device, seal, speed, trust FROM observations WHERE id IN (SELECT value FROM json_each(?))')
    .raw(true);
  const trackArgs = (
    device: DeviceId,
    query: { from?: string; to?: string },
    after: { time: string; id: number } | null,
    limit: number,
  ): [string, string, string, string, number, number] => {
    const from = query.from ?? '0000';
    const lower = after && after.time > from ? after.time : from;
    return [device, lower, query.to ?? '9999', after?.time ?? '', after?.id ?? 0, clampTrackLimit(limit)];
  };
  const batchRows = db.prepare<[number, number, number], Row>(
    'SELECT * FROM observations WHERE id BETWEEN ? AND ? AND audit_seq = ? ORDER BY id',
  );
  const auditSeqOf = db.prepare<[number], number | null>('SELECT audit_seq FROM observations WHERE id = ?').pluck();

  const appendTx = db.transaction((batch: NewObservation[], auditSeq: number | null = null): AppendOutcome[] =>
    batch.map((o): AppendOutcome => {
      if (o.seq !== null && o.seq !== undefined) {
        // Earlier members of the same batch are already inserted, so this also covers the batch.
        const existing = bySeq.get(o.device, o.seq);
        if (existing) {
          return existing.hash === o.hash ? { status: 'duplicate', id: existing.id } : { status: 'conflict', existingHash: existing.hash };
        }
      } else {
        const existing = byContent.get(o.device, o.time, o.hash);
        if (existing?.id != null) return { status: 'duplicate', id: existing.id };
      }
      const payload: ObservationPayload = {
        position: o.position,
        seal: o.seal,
        door: o.door,
        sensors: o.sensors,
        battery: o.battery,
        reads: o.reads,
        attributes: o.attributes,
      };
      const { lastInsertRowid } = insert.run(
        o.device,
        o.seq ?? null,
        o.time,
        o.receivedAt,
        o.position?.lat ?? null,
        o.position?.lon ?? null,
        o.trust,
        o.protocol,
        o.hash,
        o.raw,
        o.late ? 1 : 0,
        JSON.stringify(payload),
        auditSeq,
        // The track's columns (migration 47), for rows with a position only.
        o.position ? (o.seal?.state ?? null) : null,
        o.position && o.seal ? JSON.stringify(o.seal) : null,
        o.position?.speed ?? null,
      );
      return { status: 'inserted', id: Number(lastInsertRowid) };
    }),
  );

  // The batch's entry takes the next seq of the chain; the rows name it before it is written, and
  // both commit together (IMMEDIATE: no other writer between reading the head and appending).
  const appendAuditedTx = db.transaction((batch: NewObservation[], transports: string[]): AppendOutcome[] => {
    const seq = (audit!.head()?.seq ?? 0) + 1;
    const outcomes = appendTx(batch, seq);
    const leaves: string[] = [];
    let firstId = 0;
    let lastId = 0;
    outcomes.forEach((out, n) => {
      if (out.status !== 'inserted') return;
      const o = batch[n];
      leaves.push(
        messageLeafHash(
          { device: o.device, seq: o.seq ?? null, payloadHash: o.hash, trust: o.trust, protocol: o.protocol, receivedAt: o.receivedAt },
          sha256,
        ),
      );
      if (!firstId) firstId = out.id;
      lastId = out.id;
    });
    if (leaves.length) {
      const time = batch.reduce((t, o) => (o.receivedAt > t ? o.receivedAt : t), batch[0].receivedAt);
      const [sealed] = audit!.append([messageBatchEntry({ firstId, lastId, leafHashes: leaves, transports }, toTimestamp(time), sha256)]);
      if (sealed?.seq !== seq) throw new Error(`audit batch entry took seq ${sealed?.seq}, expected ${seq}`);
    }
    return outcomes;
  });

  return {
    async append(batch) {
      return batch.length ? appendTx(batch) : [];
    },
    ...(audit && {
      async appendAudited(batch: NewObservation[], transports: string[]) {
        if (batch.length === 0) return [];
        if (!wal) return appendAuditedTx.immediate(batch, transports);
        // Committed without waiting for the disk, then synced off the event loop: the caller (the
        // group commit) answers after this resolves, and requests arriving meanwhile join the next commit.
        const outcomes = wal.deferredCommit(() => appendAuditedTx.immediate(batch, transports));
        await wal.flush();
        return outcomes;
      },
      async auditBatch(auditSeq: number, firstId: number, lastId: number) {
        return batchRows.all(firstId, lastId, auditSeq).map(toObservation);
      },
      async auditSeqs(ids: number[]) {
        const out = new Map<number, number>();
        for (const id of ids) {
          const s = auditSeqOf.get(id);
          if (s != null) out.set(id, s);
        }
        return out;
      },
    }),
    async get(id) {
      const row = byId.get(id);
      return row ? toObservation(row) : null;
    },
    async listByDevice(device, query, page) {
      return keysetPage(observationList(device, query), page, lists, toObservation, (o) => [o.time, o.id]);
    },
    async trackLinePage(device, query, after, limit) {
      return trackLineRows.all(...trackArgs(device, query, after, limit)) as TrackLinePoint[];
    },
    async trackPage(device, query, after, limit) {
      return trackRows.all(...trackArgs(device, query, after, limit)) as TrackPoint[];
    },
    async trackDetails(ids) {
      if (ids.length === 0) return [];
      return trackDetailRows.all(JSON.stringify(ids.slice(0, 10_000))) as TrackDetail[];
    },
    async listTagReads(epcs, query, limit) {
      if (epcs.length === 0) return [];
      // Only reader devices' rows are scanned, through the (device, time) index.
      const rows = stmt(`SELECT o.* FROM observations o JOIN devices d ON d.id = o.device
        WHERE d.kind = 'reader' AND o.time >= ? AND o.time <= ?
          AND EXISTS (SELECT 1 FROM json_each(o.payload, '$.reads') r
            WHERE lower(json_extract(r.value, '$.epc')) IN (SELECT value FROM json_each(?)))
        ORDER BY o.time, o.id LIMIT ?`).all(
        query.from ?? '0000',
        query.to ?? '9999',
        JSON.stringify(epcs.map((e) => e.toLowerCase())),
        clampLimit(limit),
      );
      return rows.map(toObservation);
    },
    async readLog(afterId, limit) {
      return log.all(afterId, clampLimit(limit)).map(toObservation);
    },
    async lastId() {
      return maxId.get() ?? 0;
    },
    async lastSeq(device) {
      return maxSeq.get(device) ?? null;
    },
    async findKeys(keys) {
      const found = [];
      for (const k of keys) {
        const row = bySeq.get(k.device, k.seq);
        if (row) found.push({ device: k.device, seq: k.seq, hash: row.hash, id: row.id });
      }
      return found;
    },
    async purgeBefore(time) {
      return purge.run(toTimestamp(time)).changes;
    },
  };
}
