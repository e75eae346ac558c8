/**
 * Appending a batch of observations to PostgreSQL in one transaction: (device, seq) decided
 * against `observation_keys`, seq-less rows' (device, time, hash) against the observations, ids from the shared sequence, rows and keys written with one
 * multi-row INSERT each (arrays unnested server-side), committed before the promise resolves.
 */
import type { NewObservation } from '@sealwatch/core';
import type { Pool } from 'pg';
import type { AppendOutcome } from '../ports';
import { toJson } from '../rows';
import type { Partitions } from './partitions';
import { inTransaction, lockForTransaction } from './sql';

const insertRows = `INSERT INTO observations (id, device, seq, time, received_at, lat, lon, late,
    trust, protocol, hash, raw, position, seal, door, sensors, battery, reads, attributes)
  SELECT id, device, seq, time, received_at, lat, lon, late, trust, protocol, hash, raw,
    position::jsonb, seal::jsonb, door, sensors::jsonb, battery::jsonb, reads::jsonb, attributes::jsonb
  FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::timestamptz[], $5::timestamptz[],
    $6::float8[], $7::float8[], $8::boolean[], $9::text[], $10::text[], $11::text[], $12::text[],
    $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[])
  AS u(id, device, seq, time, received_at, lat, lon, late, trust, protocol, hash, raw, position,
    seal, door, sensors, battery, reads, attributes)`;

const insertKeys = `INSERT INTO observation_keys (device, seq, hash, observation_id)
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[])
  ON CONFLICT (device, seq) DO NOTHING`;

const existingKeys = `SELECT k.device, k.seq, k.hash, k.observation_id
  FROM observation_keys k JOIN unnest($1::text[], $2::bigint[]) AS u(device, seq)
    ON k.device = u.device AND k.seq = u.seq`;

// Seq-less (vendor) rows are identified by (device, time, hash). The identity holds the partition
// key, so each partition's (device, time) index serves the lookup and no keys table is needed;
// the append lock makes check-then-insert safe. The oldest id answers: rows stored before
// migration step 15 may hold the same triple twice.
const existingContent = `SELECT u.n, min(o.id) AS id
  FROM unnest($1::text[], $2::timestamptz[], $3::text[]) WITH ORDINALITY AS u(device, time, hash, n)
  JOIN observations o ON o.device = u.device AND o.time = u.time AND o.hash = u.hash AND o.seq IS NULL
  GROUP BY u.n`;

/** What a (device, seq) already refers to: a stored row, or a row of this batch not yet numbered. */
interface Known {
  hash: string;
  id?: number;
  slot?: number;
}

const keyOf = (device: string, seq: number) => JSON.stringify([device, seq]);
const contentKeyOf = (o: NewObservation) => JSON.stringify([o.device, new Date(o.time).getTime(), o.hash]);

/** Appends a batch; see ObservationStore.append for the outcome rules. */
export async function appendObservations(
  pool: Pool,
  schema: string,
  partitions: Partitions,
  batch: NewObservation[],
): Promise<AppendOutcome[]> {
  if (batch.length === 0) return [];
  // DDL runs in its own short transaction, before ours, never while holding the append lock.
  await partitions.ensure(batch.map((o) => o.time));
  return inTransaction(pool, async (client) => {
    // Ids are taken and committed in the same order by every appender: otherwise a reader of
    // the log (`id > checkpoint`) could pass an id whose transaction commits later, and skip it.
    await lockForTransaction(client, schema, 'append');

    const known = new Map<string, Known>();
    const withSeq = batch.filter((o) => o.seq !== null && o.seq !== undefined);
    if (withSeq.length) {
      const { rows } = await client.query<{ device: string; seq: number; hash: string; observation_id: number }>(existingKeys, [
        withSeq.map((o) => o.device),
        withSeq.map((o) => o.seq),
      ]);
      for (const r of rows) known.set(keyOf(r.device, r.seq), { hash: r.hash, id: r.observation_id });
    }
    const withoutSeq = batch.filter((o) => o.seq === null || o.seq === undefined);
    if (withoutSeq.length) {
      const { rows } = await client.query<{ n: string; id: string }>(existingContent, [
        withoutSeq.map((o) => o.device),
        withoutSeq.map((o) => o.time),
        withoutSeq.map((o) => o.hash),
      ]);
      for (const r of rows) {
        const o = withoutSeq[Number(r.n) - 1];
        known.set(contentKeyOf(o), { hash: o.hash, id: Number(r.id) });
      }
    }

    // Decide in input order; earlier members of the batch count as stored for later ones.
    const toInsert: NewObservation[] = [];
    const decided = batch.map((o): AppendOutcome | { status: AppendOutcome['status']; slot: number } => {
      const key = o.seq === null || o.seq === undefined ? contentKeyOf(o) : keyOf(o.device, o.seq);
      const hit = known.get(key);
      if (hit) {
        if (hit.hash !== o.hash) return { status: 'conflict', existingHash: hit.hash };
        return hit.id !== undefined ? { status: 'duplicate', id: hit.id } : { status: 'duplicate', slot: hit.slot! };
      }
      const slot = toInsert.push(o) - 1;
      known.set(key, { hash: o.hash, slot });
      return { status: 'inserted', slot };
    });
    if (toInsert.length === 0) return decided as AppendOutcome[];

    const { rows: idRows } = await client.query<{ id: number }>("SELECT nextval('observation_ids') AS id FROM generate_series(1, $1)", [
      toInsert.length,
    ]);
    const ids = idRows.map((r) => r.id).sort((a, b) => a - b);

    const keyed = toInsert.map((o, i) => ({ o, id: ids[i] })).filter(({ o }) => o.seq !== null && o.seq !== undefined);
    if (keyed.length) {
      const { rowCount } = await client.query(insertKeys, [
        keyed.map(({ o }) => o.device),
        keyed.map(({ o }) => o.seq),
        keyed.map(({ o }) => o.hash),
        keyed.map(({ id }) => id),
      ]);
      // Every appender holds the append lock, so a key can't appear between the read and here.
      if (rowCount !== keyed.length) throw new Error('observation_keys changed during an append');
    }
    await client.query(insertRows, [
      ids,
      toInsert.map((o) => o.device),
      toInsert.map((o) => o.seq ?? null),
      toInsert.map((o) => o.time),
      toInsert.map((o) => o.receivedAt),
      toInsert.map((o) => o.position?.lat ?? null),
      toInsert.map((o) => o.position?.lon ?? null),
      toInsert.map((o) => o.late),
      toInsert.map((o) => o.trust),
      toInsert.map((o) => o.protocol),
      toInsert.map((o) => o.hash),
      toInsert.map((o) => o.raw),
      toInsert.map((o) => toJson(o.position)),
      toInsert.map((o) => toJson(o.seal)),
      toInsert.map((o) => o.door ?? null),
      toInsert.map((o) => toJson(o.sensors)),
      toInsert.map((o) => toJson(o.battery)),
      toInsert.map((o) => toJson(o.reads)),
      toInsert.map((o) => toJson(o.attributes)),
    ]);
    return decided.map((d): AppendOutcome => {
      if (!('slot' in d)) return d;
      return d.status === 'inserted' ? { status: 'inserted', id: ids[d.slot] } : { status: 'duplicate', id: ids[d.slot] };
    });
  });
}
