/** PostgreSQL observation store: the ingest log, partitioned by month, with retention. */
import type { DeviceId, Timestamp } from '@sealwatch/core';
import type { Pool } from 'pg';
import type { ObservationStore, TrackDetail } from '../ports';
import { clampLimit, clampTrackLimit } from '../cursor';
import { appendObservations } from './observation-append';
import { postgresPartitions } from './partitions';
import { postgresRows, postgresLists } from './sql';
import { keysetPage } from '../keyset-list';
import { observationList } from '../lists';

const { toObservation } = postgresRows;

const columns = `id, device, seq, time, received_at, late, trust, protocol, hash, raw, position,
  seal, door, sensors, battery, reads, attributes`;

/**
 * Observations in monthly partitions. Reads go through the partitioned parent: the (device,
 * time, id) index of each partition serves device listings, the (id) index the processor's log.
 */
export function postgresObservationStore(pool: Pool, schema: string): ObservationStore {
  const partitions = postgresPartitions(pool, schema);
  return {
    append: (batch) => appendObservations(pool, schema, partitions, batch),
    async get(id) {
      const { rows } = await pool.query(`SELECT ${columns} FROM observations WHERE id = $1`, [id]);
      return rows.length ? toObservation(rows[0]) : null;
    },
    async listByDevice(device, query, page) {
      return keysetPage(observationList(device, query, columns), page, postgresLists(pool), toObservation, (o) => [o.time, o.id]);
    },
    async trackLinePage(device, query, after, limit) {
      return trackRows(pool, "id, time, lon, lat, seal->>'state'", device, query, after, limit);
    },
    async trackPage(device, query, after, limit) {
      return trackRows(pool, "id, time, lon, lat, seal::text, (position->>'speed')::float8, trust", device, query, after, limit);
    },
    async trackDetails(ids) {
      if (ids.length === 0) return [];
      const { rows } = await pool.query({
        text: `SELECT id, device, seal::text, (position->>'speed')::float8, trust FROM observations WHERE id = ANY($1::bigint[])`,
        values: [ids.slice(0, 10_000)],
        rowMode: 'array',
      });
      for (const r of rows) r[0] = Number(r[0]);
      return rows as TrackDetail[];
    },
    async listTagReads(epcs, query, limit) {
      if (epcs.length === 0) return [];
      const { rows } = await pool.query(
        `SELECT ${columns.replace(/(\w+)/g, 'o.$1')} FROM observations o JOIN devices d ON d.id = o.device
        WHERE d.kind = 'reader' AND o.time >= $1::timestamptz AND o.time <= $2::timestamptz AND o.reads IS NOT NULL
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(o.reads) = 'array' THEN o.reads ELSE '[]'::jsonb END) r WHERE lower(r->>'epc') = ANY($3::text[]))
        ORDER BY o.time, o.id LIMIT $4`,
        [query.from ?? '1970-01-01T00:00:00Z', query.to ?? '9999-12-31T00:00:00Z', epcs.map((e) => e.toLowerCase()), clampLimit(limit)],
      );
      return rows.map(toObservation);
    },
    async readLog(afterId, limit) {
      const { rows } = await pool.query(`SELECT ${columns} FROM observations WHERE id > $1 ORDER BY id LIMIT $2`, [
        afterId,
        clampLimit(limit),
      ]);
      return rows.map(toObservation);
    },
    async lastId() {
      const { rows } = await pool.query<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM observations');
      return rows[0].id;
    },
    async lastSeq(device) {
      // observation_keys holds exactly the stored rows that have a seq, under its primary key.
      const { rows } = await pool.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM observation_keys WHERE device = $1', [device]);
      return rows[0].seq;
    },
    async findKeys(keys) {
      if (keys.length === 0) return [];
      const { rows } = await pool.query<{ device: string; seq: string; hash: string; observation_id: string }>(
        `SELECT k.device, k.seq, k.hash, k.observation_id FROM observation_keys k
           JOIN unnest($1::text[], $2::bigint[]) AS u(device, seq) ON k.device = u.device AND k.seq = u.seq`,
        [keys.map((k) => k.device), keys.map((k) => k.seq)],
      );
      return rows.map((r) => ({ device: r.device as DeviceId, seq: Number(r.seq), hash: r.hash, id: Number(r.observation_id) }));
    },
    async purgeBefore(time) {
      const cutoff = new Date(time);
      if (Number.isNaN(cutoff.getTime())) throw new RangeError(`purgeBefore: invalid time ${String(time)}`);
      // Whole months first (cheap: no row is deleted one by one), then the rest of the month
      // the time falls in, and whatever the DEFAULT partition holds before it.
      const dropped = await partitions.dropBefore(cutoff);
      const { rows } = await pool.query<{ n: number }>(
        `WITH gone AS (
          DELETE FROM observations WHERE time < $1::timestamptz RETURNING id, device, seq),
        keys AS (
          DELETE FROM observation_keys k USING gone g
          WHERE k.device = g.device AND k.seq = g.seq AND k.observation_id = g.id)
        SELECT count(*) AS n FROM gone`,
        [cutoff.toISOString()],
      );
      return dropped + rows[0].n;
    },
  };
}

/**
 * A page of a device's track: `columns` (id and time first) in the (device, time, id) index's
 * order, rows as arrays (no object per row), ids as numbers.
 */
async function trackRows<R extends [number, Timestamp, ...unknown[]]>(
  pool: Pool,
  columns: string,
  device: DeviceId,
  query: { from?: Timestamp; to?: Timestamp },
  after: { time: Timestamp; id: number } | null,
  limit: number,
): Promise<R[]> {
  const from = query.from ?? '1970-01-01T00:00:00Z';
  const lower = after && after.time > from ? after.time : from;
  const { rows } = await pool.query({
    text: `SELECT ${columns} FROM observations WHERE device = $1 AND time >= $2::timestamptz AND time <= $3::timestamptz
       AND (time, id) > ($4::timestamptz, $5::bigint) AND lat IS NOT NULL
     ORDER BY time, id LIMIT $6`,
    values: [
      device,
      lower,
      query.to ?? '9999-12-31T00:00:00Z',
      after?.time ?? '1970-01-01T00:00:00Z',
      after?.id ?? 0,
      clampTrackLimit(limit),
    ],
    rowMode: 'array',
  });
  for (const r of rows) r[0] = Number(r[0]);
  return rows as R[];
}
