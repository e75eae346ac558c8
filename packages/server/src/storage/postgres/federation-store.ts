/** PostgreSQL federation store: partners, the outbox per partner, messages received, shared movements (migration steps 22, 45). */
import type { SharedField, Timestamp } from '@sealwatch/core';
import type { Pool } from 'pg';
import type { FederationLink, FederationStore, OutboxMessage, Partner, ReceivedMessage } from '../federation-ports';
import { inTransaction } from './sql';

type Row = Record<string, unknown>;
const toPartner = (r: Row): Partner => ({
  administration: r.administration as string,
  name: r.name as string,
  country: r.country as string,
  url: r.url as string,
  inbox: r.inbox as string,
  agreement: r.agreement as Partner['agreement'],
  retention: (r.retention as Partner['retention'] | null) ?? {},
  keys: r.keys as Partner['keys'],
  pendingKeys: (r.pending_keys as Partner['pendingKeys']) ?? null,
  createdAt: r.created_at as Timestamp,
  updatedAt: r.updated_at as Timestamp,
  endedAt: r.ended_at as Timestamp | null,
  lastExchangeAt: r.last_exchange_at as Timestamp | null,
});
const toOutbox = (r: Row): OutboxMessage => ({
  seq: Number(r.seq),
  id: r.id as string,
  partner: r.partner as string,
  type: r.type as OutboxMessage['type'],
  movement: r.movement as string,
  jws: r.jws as string,
  status: r.status as OutboxMessage['status'],
  attempts: Number(r.attempts),
  lastStatus: r.last_status === null ? null : Number(r.last_status),
  lastError: r.last_error as string | null,
  nextAttemptAt: r.next_attempt_at as Timestamp,
  createdAt: r.created_at as Timestamp,
  deliveredAt: r.delivered_at as Timestamp | null,
});
const toReceived = (r: Row): ReceivedMessage => ({
  partner: r.partner as string,
  id: r.id as string,
  type: r.type as ReceivedMessage['type'],
  movement: r.movement as string,
  receivedAt: r.received_at as Timestamp,
});
const toLink = (r: Row): FederationLink => ({
  partner: r.partner as string,
  direction: r.direction as FederationLink['direction'],
  originMovement: r.origin_movement as string,
  localMovement: r.local_movement as string,
  controlResults: (r.control_results as FederationLink['controlResults']) ?? null,
  createdAt: r.created_at as Timestamp,
  leftAt: (r.left_at as Timestamp | null) ?? null,
  purgedAt: (r.purged_at as Timestamp | null) ?? null,
  purgedClasses: (r.purged_classes as SharedField[] | null) ?? [],
});

// Per class: what it takes out of the feed's readings and last state ($1 the feed device), and of the copy ($1 the movement).
const classSql: Record<SharedField, { feed: string[]; movement: string[] }> = {
  position: {
    feed: [
      'UPDATE observations SET lat = NULL, lon = NULL, position = NULL WHERE device = $1',
      'UPDATE device_states SET position = NULL, position_time = NULL WHERE device = $1',
    ],
    movement: [],
  },
  seal: {
    feed: ['UPDATE observations SET seal = NULL WHERE device = $1', 'UPDATE device_states SET seal = NULL WHERE device = $1'],
    movement: [],
  },
  sensors: { feed: ['UPDATE observations SET sensors = NULL WHERE device = $1'], movement: [] },
  trader: { feed: [], movement: ['UPDATE movements SET trader = NULL WHERE id = $1'] },
  goods: { feed: [], movement: ['UPDATE movements SET hs_chapter = NULL, origin_country = NULL WHERE id = $1'] },
  driver: { feed: [], movement: ['UPDATE movements SET vehicle = NULL WHERE id = $1'] },
};

export function postgresFederationStore(pool: Pool): FederationStore {
  return {
    async putPartner(p) {
      await pool.query(
        `INSERT INTO federation_partners (administration, name, country, url, inbox, agreement, keys, pending_keys,
          created_at, updated_at, ended_at, last_exchange_at, retention) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        ON CONFLICT (administration) DO UPDATE SET name = excluded.name, country = excluded.country, url = excluded.url,
          inbox = excluded.inbox, agreement = excluded.agreement, keys = excluded.keys, pending_keys = excluded.pending_keys,
          created_at = excluded.created_at, updated_at = excluded.updated_at, ended_at = excluded.ended_at,
          last_exchange_at = excluded.last_exchange_at, retention = excluded.retention`,
        [
          p.administration,
          p.name,
          p.country,
          p.url,
          p.inbox,
          JSON.stringify(p.agreement),
          JSON.stringify(p.keys),
          p.pendingKeys === null ? null : JSON.stringify(p.pendingKeys),
          p.createdAt,
          p.updatedAt,
          p.endedAt,
          p.lastExchangeAt,
          JSON.stringify(p.retention),
        ],
      );
    },
    async getPartner(administration) {
      const { rows } = await pool.query('SELECT * FROM federation_partners WHERE administration = $1', [administration]);
      return rows.length ? toPartner(rows[0]) : null;
    },
    async listPartners() {
      return (await pool.query('SELECT * FROM federation_partners ORDER BY administration')).rows.map(toPartner);
    },
    async enqueue(ms) {
      return inTransaction(pool, async (client) => {
        let n = 0;
        for (const m of ms) {
          const r = await client.query(
            `INSERT INTO federation_outbox (id, partner, type, movement, jws, status, attempts, last_status, last_error,
              next_attempt_at, created_at, delivered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT (partner, id) DO NOTHING`,
            [
              m.id,
              m.partner,
              m.type,
              m.movement,
              m.jws,
              m.status,
              m.attempts,
              m.lastStatus,
              m.lastError,
              m.nextAttemptAt,
              m.createdAt,
              m.deliveredAt,
            ],
          );
          n += r.rowCount ?? 0;
        }
        return n;
      });
    },
    async pending(partner, limit) {
      const { rows } = await pool.query("SELECT * FROM federation_outbox WHERE partner = $1 AND status = 'pending' ORDER BY seq LIMIT $2", [
        partner,
        limit,
      ]);
      return rows.map(toOutbox);
    },
    async claim(seq, expected, until) {
      const r = await pool.query(
        "UPDATE federation_outbox SET next_attempt_at = $1 WHERE seq = $2 AND status = 'pending' AND next_attempt_at = $3::timestamptz",
        [until, seq, expected],
      );
      return r.rowCount === 1;
    },
    async saveOutbox(m) {
      await pool.query(
        `UPDATE federation_outbox SET status = $1, attempts = $2, last_status = $3, last_error = $4, next_attempt_at = $5,
          delivered_at = $6 WHERE seq = $7`,
        [m.status, m.attempts, m.lastStatus, m.lastError, m.nextAttemptAt, m.deliveredAt, m.seq],
      );
    },
    async backlog() {
      const { rows } = await pool.query("SELECT partner, count(*) AS n FROM federation_outbox WHERE status = 'pending' GROUP BY partner");
      return Object.fromEntries(rows.map((r) => [r.partner as string, Number(r.n)]));
    },
    async sent(partner, limit) {
      const { rows } = await pool.query('SELECT * FROM federation_outbox WHERE partner = $1 ORDER BY seq DESC LIMIT $2', [partner, limit]);
      return rows.map(toOutbox);
    },
    async wasReceived(partner, id) {
      return (await pool.query('SELECT 1 FROM federation_received WHERE partner = $1 AND id = $2', [partner, id])).rows.length > 0;
    },
    async receive(m) {
      const r = await pool.query(
        'INSERT INTO federation_received (partner, id, type, movement, received_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        [m.partner, m.id, m.type, m.movement, m.receivedAt],
      );
      return (r.rowCount ?? 0) > 0;
    },
    async received(partner, limit) {
      const { rows } = await pool.query(
        'SELECT * FROM federation_received WHERE partner = $1 ORDER BY received_at DESC, id DESC LIMIT $2',
        [partner, limit],
      );
      return rows.map(toReceived);
    },
    async link(l) {
      await pool.query(
        `INSERT INTO federation_links (partner, direction, origin_movement, local_movement, control_results, created_at)
          VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [l.partner, l.direction, l.originMovement, l.localMovement, l.controlResults && JSON.stringify(l.controlResults), l.createdAt],
      );
    },
    async getLink(partner, direction, originMovement) {
      const { rows } = await pool.query('SELECT * FROM federation_links WHERE partner = $1 AND direction = $2 AND origin_movement = $3', [
        partner,
        direction,
        originMovement,
      ]);
      return rows.length ? toLink(rows[0]) : null;
    },
    async linksOf(localMovement) {
      const { rows } = await pool.query('SELECT * FROM federation_links WHERE local_movement = $1 ORDER BY partner, direction', [
        localMovement,
      ]);
      return rows.map(toLink);
    },
    async setControlResults(partner, direction, originMovement, results) {
      await pool.query('UPDATE federation_links SET control_results = $1 WHERE partner = $2 AND direction = $3 AND origin_movement = $4', [
        JSON.stringify(results),
        partner,
        direction,
        originMovement,
      ]);
    },
    async setLeft(partner, direction, originMovement, at) {
      if (at === null)
        await pool.query('UPDATE federation_links SET left_at = NULL WHERE partner = $1 AND direction = $2 AND origin_movement = $3', [
          partner,
          direction,
          originMovement,
        ]);
      else
        await pool.query(
          'UPDATE federation_links SET left_at = $1 WHERE partner = $2 AND direction = $3 AND origin_movement = $4 AND left_at IS NULL',
          [at, partner, direction, originMovement],
        );
    },
    async copies() {
      const { rows } = await pool.query("SELECT * FROM federation_links WHERE direction = 'in' AND purged_at IS NULL ORDER BY created_at");
      return rows.map(toLink);
    },
    async purgeCopy(link, feed, at) {
      return inTransaction(pool, async (c) => {
        const { rows } = await c.query<{ n: number }>(
          `WITH gone AS (DELETE FROM observations WHERE device = $1 RETURNING id, device, seq),
            keys AS (DELETE FROM observation_keys k USING gone g WHERE k.device = g.device AND k.seq = g.seq AND k.observation_id = g.id)
          SELECT count(*)::int AS n FROM gone`,
          [feed],
        );
        await c.query('DELETE FROM device_states WHERE device = $1', [feed]);
        await c.query('UPDATE movements SET trader = NULL, vehicle = NULL, hs_chapter = NULL, origin_country = NULL WHERE id = $1', [
          link.localMovement,
        ]);
        await c.query("UPDATE federation_links SET purged_at = $1 WHERE partner = $2 AND direction = 'in' AND origin_movement = $3", [
          at,
          link.partner,
          link.originMovement,
        ]);
        return Number(rows[0].n);
      });
    },
    async dropCopyReadingsFrom(feed, from) {
      return inTransaction(pool, async (c) => {
        const { rows } = await c.query<{ n: number }>(
          `WITH gone AS (DELETE FROM observations WHERE device = $1 AND time >= $2 RETURNING id, device, seq),
            keys AS (DELETE FROM observation_keys k USING gone g WHERE k.device = g.device AND k.seq = g.seq AND k.observation_id = g.id)
          SELECT count(*)::int AS n FROM gone`,
          [feed, from],
        );
        await c.query('DELETE FROM device_states WHERE device = $1', [feed]);
        return Number(rows[0].n);
      });
    },
    async purgeCopyClasses(link, feed, classes) {
      return inTransaction(pool, async (c) => {
        for (const k of classes) {
          for (const q of classSql[k].feed) await c.query(q, [feed]);
          for (const q of classSql[k].movement) await c.query(q, [link.localMovement]);
        }
        let n = 0;
        if (classes.some((k) => k === 'position' || k === 'seal' || k === 'sensors')) {
          // The signed message carries every class: once one is purged it cannot be kept.
          await c.query("UPDATE observations SET raw = '' WHERE device = $1", [feed]);
          const { rows } = await c.query<{ n: number }>(
            `WITH gone AS (DELETE FROM observations WHERE device = $1 AND position IS NULL AND seal IS NULL AND sensors IS NULL
              RETURNING id, device, seq),
            keys AS (DELETE FROM observation_keys k USING gone g WHERE k.device = g.device AND k.seq = g.seq AND k.observation_id = g.id)
            SELECT count(*)::int AS n FROM gone`,
            [feed],
          );
          n = Number(rows[0].n);
        }
        await c.query("UPDATE federation_links SET purged_classes = $1 WHERE partner = $2 AND direction = 'in' AND origin_movement = $3", [
          JSON.stringify([...new Set([...link.purgedClasses, ...classes])]),
          link.partner,
          link.originMovement,
        ]);
        return n;
      });
    },
  };
}
