/** SQLite federation store: partners, the outbox per partner, messages received, shared movements (migration steps 22, 45). */
import type { SharedField, Timestamp } from '@sealwatch/core';
import type { FederationLink, FederationStore, OutboxMessage, Partner, ReceivedMessage } from '../federation-ports';
import type { Db, Row, Statement } from './sql';

const json = <T>(v: unknown): T => (v === null || v === undefined ? null : JSON.parse(v as string)) as T;
const toPartner = (r: Row): Partner => ({
  administration: r.administration as string,
  name: r.name as string,
  country: r.country as string,
  url: r.url as string,
  inbox: r.inbox as string,
  agreement: json(r.agreement),
  retention: json(r.retention) ?? {},
  keys: json(r.keys),
  pendingKeys: json(r.pending_keys),
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
  controlResults: json(r.control_results),
  createdAt: r.created_at as Timestamp,
  leftAt: (r.left_at as Timestamp | null) ?? null,
  purgedAt: (r.purged_at as Timestamp | null) ?? null,
  purgedClasses: json(r.purged_classes) ?? [],
});

export function sqliteFederationStore(db: Db): FederationStore {
  const putPartner = db.prepare(`INSERT INTO federation_partners (administration, name, country, url, inbox, agreement, keys, pending_keys,
      created_at, updated_at, ended_at, last_exchange_at, retention) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (administration) DO UPDATE SET name = excluded.name, country = excluded.country, url = excluded.url, inbox = excluded.inbox,
      agreement = excluded.agreement, keys = excluded.keys, pending_keys = excluded.pending_keys, created_at = excluded.created_at,
      updated_at = excluded.updated_at, ended_at = excluded.ended_at, last_exchange_at = excluded.last_exchange_at,
      retention = excluded.retention`);
  const getPartner = db.prepare<[string], Row>('SELECT * FROM federation_partners WHERE administration = ?');
  const listPartners = db.prepare<[], Row>('SELECT * FROM federation_partners ORDER BY administration');
  const queue = db.prepare(`INSERT INTO federation_outbox (id, partner, type, movement, jws, status, attempts, last_status, last_error,
      next_attempt_at, created_at, delivered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (partner, id) DO NOTHING`);
  const pending = db.prepare<[string, number], Row>(
    "SELECT * FROM federation_outbox WHERE partner = ? AND status = 'pending' ORDER BY seq LIMIT ?",
  );
  const save = db.prepare(`UPDATE federation_outbox SET status = ?, attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ?,
      delivered_at = ? WHERE seq = ?`);
  const claim = db.prepare("UPDATE federation_outbox SET next_attempt_at = ? WHERE seq = ? AND status = 'pending' AND next_attempt_at = ?");
  const backlog = db.prepare<[], Row>("SELECT partner, count(*) AS n FROM federation_outbox WHERE status = 'pending' GROUP BY partner");
  const sent = db.prepare<[string, number], Row>('SELECT * FROM federation_outbox WHERE partner = ? ORDER BY seq DESC LIMIT ?');
  const receive = db.prepare(
    'INSERT INTO federation_received (partner, id, type, movement, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const wasReceived = db.prepare<[string, string], Row>('SELECT 1 AS one FROM federation_received WHERE partner = ? AND id = ?');
  const received = db.prepare<[string, number], Row>(
    'SELECT * FROM federation_received WHERE partner = ? ORDER BY received_at DESC, id DESC LIMIT ?',
  );
  const link = db.prepare(`INSERT INTO federation_links (partner, direction, origin_movement, local_movement, control_results, created_at)
    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  const getLink = db.prepare<[string, string, string], Row>(
    'SELECT * FROM federation_links WHERE partner = ? AND direction = ? AND origin_movement = ?',
  );
  const linksOf = db.prepare<[string], Row>('SELECT * FROM federation_links WHERE local_movement = ? ORDER BY partner, direction');
  const setResults = db.prepare(
    'UPDATE federation_links SET control_results = ? WHERE partner = ? AND direction = ? AND origin_movement = ?',
  );
  const setLeft = db.prepare(
    'UPDATE federation_links SET left_at = ? WHERE partner = ? AND direction = ? AND origin_movement = ? AND left_at IS NULL',
  );
  const clearLeft = db.prepare('UPDATE federation_links SET left_at = NULL WHERE partner = ? AND direction = ? AND origin_movement = ?');
  const copies = db.prepare<[], Row>("SELECT * FROM federation_links WHERE direction = 'in' AND purged_at IS NULL ORDER BY created_at");
  const purgeObservations = db.prepare('DELETE FROM observations WHERE device = ?');
  const purgeState = db.prepare('DELETE FROM device_states WHERE device = ?');
  const redact = db.prepare('UPDATE movements SET trader = NULL, vehicle = NULL, hs_chapter = NULL, origin_country = NULL WHERE id = ?');
  const purged = db.prepare("UPDATE federation_links SET purged_at = ? WHERE partner = ? AND direction = 'in' AND origin_movement = ?");
  const dropFrom = db.prepare('DELETE FROM observations WHERE device = ? AND time >= ?');
  const dropFromTx = db.transaction((feed: string, from: string) => {
    const n = dropFrom.run(feed, from).changes;
    purgeState.run(feed);
    return n;
  });
  const purgeTx = db.transaction((l: FederationLink, feed: string, at: string) => {
    const n = purgeObservations.run(feed).changes;
    purgeState.run(feed);
    redact.run(l.localMovement);
    purged.run(at, l.partner, l.originMovement);
    return n;
  });
  // Per class: what it takes out of the feed's readings and last state (by device), and of the copy (by movement).
  const onFeed = (...qs: string[]): Statement[] => qs.map((q) => db.prepare<unknown[], Row>(q));
  const classStatements: Record<SharedField, { feed: Statement[]; movement: Statement[] }> = {
    position: {
      feed: onFeed(
        // speed (migration 47) is part of the position, kept in a column of its own for the track.
        "UPDATE observations SET lat = NULL, lon = NULL, speed = NULL, payload = json_set(payload, '$.position', json('null')) WHERE device = ?",
        'UPDATE device_states SET position = NULL, position_time = NULL WHERE device = ?',
      ),
      movement: [],
    },
    seal: {
      feed: onFeed(
        // seal_state and seal (migration 47) copy the seal reading for the track.
        "UPDATE observations SET seal_state = NULL, seal = NULL, payload = json_set(payload, '$.seal', json('null')) WHERE device = ?",
        'UPDATE device_states SET seal = NULL WHERE device = ?',
      ),
      movement: [],
    },
    sensors: {
      feed: onFeed("UPDATE observations SET payload = json_set(payload, '$.sensors', json('null')) WHERE device = ?"),
      movement: [],
    },
    trader: { feed: [], movement: onFeed('UPDATE movements SET trader = NULL WHERE id = ?') },
    goods: { feed: [], movement: onFeed('UPDATE movements SET hs_chapter = NULL, origin_country = NULL WHERE id = ?') },
    driver: { feed: [], movement: onFeed('UPDATE movements SET vehicle = NULL WHERE id = ?') },
  };
  // The signed message carries every class: once one is purged it cannot be kept.
  const blankRaw = db.prepare("UPDATE observations SET raw = '' WHERE device = ?");
  const emptied = db.prepare(`DELETE FROM observations WHERE device = ? AND json_extract(payload, '$.position') IS NULL
    AND json_extract(payload, '$.seal') IS NULL AND json_extract(payload, '$.sensors') IS NULL`);
  const setPurgedClasses = db.prepare(
    "UPDATE federation_links SET purged_classes = ? WHERE partner = ? AND direction = 'in' AND origin_movement = ?",
  );
  const purgeClassesTx = db.transaction((l: FederationLink, feed: string, classes: SharedField[]) => {
    for (const c of classes) {
      for (const st of classStatements[c].feed) st.run(feed);
      for (const st of classStatements[c].movement) st.run(l.localMovement);
    }
    const readings = classes.some((c) => c === 'position' || c === 'seal' || c === 'sensors');
    if (readings) blankRaw.run(feed);
    const n = readings ? emptied.run(feed).changes : 0;
    const all = [...new Set([...l.purgedClasses, ...classes])];
    setPurgedClasses.run(JSON.stringify(all), l.partner, l.originMovement);
    return n;
  });
  const enqueueTx = db.transaction((ms: Omit<OutboxMessage, 'seq'>[]) =>
    ms.reduce(
      (n, m) =>
        n +
        queue.run(
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
        ).changes,
      0,
    ),
  );
  return {
    async putPartner(p) {
      putPartner.run(
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
      );
    },
    async getPartner(administration) {
      const row = getPartner.get(administration);
      return row ? toPartner(row) : null;
    },
    async listPartners() {
      return listPartners.all().map(toPartner);
    },
    async enqueue(ms) {
      return enqueueTx(ms);
    },
    async pending(partner, limit) {
      return pending.all(partner, limit).map(toOutbox);
    },
    async claim(seq, expected, until) {
      return claim.run(until, seq, expected).changes === 1;
    },
    async saveOutbox(m) {
      save.run(m.status, m.attempts, m.lastStatus, m.lastError, m.nextAttemptAt, m.deliveredAt, m.seq);
    },
    async backlog() {
      return Object.fromEntries(backlog.all().map((r) => [r.partner as string, Number(r.n)]));
    },
    async sent(partner, limit) {
      return sent.all(partner, limit).map(toOutbox);
    },
    async wasReceived(partner, id) {
      return wasReceived.get(partner, id) !== undefined;
    },
    async receive(m) {
      return receive.run(m.partner, m.id, m.type, m.movement, m.receivedAt).changes > 0;
    },
    async received(partner, limit) {
      return received.all(partner, limit).map(toReceived);
    },
    async link(l) {
      link.run(
        l.partner,
        l.direction,
        l.originMovement,
        l.localMovement,
        l.controlResults && JSON.stringify(l.controlResults),
        l.createdAt,
      );
    },
    async getLink(partner, direction, originMovement) {
      const row = getLink.get(partner, direction, originMovement);
      return row ? toLink(row) : null;
    },
    async linksOf(localMovement) {
      return linksOf.all(localMovement).map(toLink);
    },
    async setControlResults(partner, direction, originMovement, results) {
      setResults.run(JSON.stringify(results), partner, direction, originMovement);
    },
    async setLeft(partner, direction, originMovement, at) {
      if (at === null) clearLeft.run(partner, direction, originMovement);
      else setLeft.run(at, partner, direction, originMovement);
    },
    async copies() {
      return copies.all().map(toLink);
    },
    async purgeCopy(link, feed, at) {
      return purgeTx(link, feed, at);
    },
    async purgeCopyClasses(link, feed, classes) {
      return purgeClassesTx(link, feed, classes);
    },
    async dropCopyReadingsFrom(feed, from) {
      return dropFromTx(feed, from);
    },
  };
}
