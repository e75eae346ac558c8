import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { asDeviceId, asEventId, toTimestamp } from '@sealwatch/core';
import type { DomainEvent } from '@sealwatch/core';
import { runStoreContract } from '../contract';
import { applyMigrations, migrations } from './migrations';
import { openSqliteStore } from './sqlite-store';

const dir = mkdtempSync(join(tmpdir(), 'sealwatch-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(dir, `store-${++files}.db`);

runStoreContract('sqlite', () => openSqliteStore({ file: freshFile() }));

describe('sqlite store on disk', () => {
  const now = toTimestamp('2026-11-26T03:22:52.120Z');

  test('keeps committed data across closing and reopening the file, and never reuses an id', async () => {
    const file = freshFile();
    const event: DomainEvent = {
      id: asEventId('EV-1'),
      type: 'seal_opened',
      movement: null,
      device: asDeviceId('SEAL-A'),
      time: now,
      details: { state: 'open' },
      observation: 1,
      createdAt: now,
    };
    let store = await openSqliteStore({ file });
    await store.devices.create({
      id: asDeviceId('SEAL-A'),
      class: 'active',
      kind: 'e_lock',
      protocol: 'native',
      identifiers: {},
      reportIntervalS: 60,
      key: { alg: 'HS256', secret: 'c2VjcmV0' },
      owner: null,
      createdAt: now,
    });
    const [appended] = await store.observations.append([
      {
        device: asDeviceId('SEAL-A'),
        seq: 1,
        time: now,
        receivedAt: now,
        late: false,
        position: { lat: -1.29, lon: 36.82 },
        seal: { state: 'open' },
        door: null,
        sensors: null,
        battery: null,
        reads: null,
        attributes: null,
        trust: 'hmac',
        protocol: 'native',
        hash: 'h1',
        raw: 'r1',
      },
    ]);
    await store.processing.commit({ processor: 'detectors', checkpoint: 1, events: [event], alerts: [], deviceStates: [] });
    await store.settings.set('k', 'v');
    await store.close();

    store = await openSqliteStore({ file, synchronous: 'NORMAL' });
    try {
      assert.equal((await store.devices.get(asDeviceId('SEAL-A')))?.key?.alg, 'HS256');
      assert.equal(appended.status, 'inserted');
      const firstId = (appended as { id: number }).id;
      assert.equal((await store.observations.get(firstId))?.hash, 'h1');
      assert.equal(await store.processing.checkpoint('detectors'), 1);
      assert.deepEqual((await store.events.list({}, { limit: 10 })).items, [event]);
      assert.equal(await store.settings.get('k'), 'v');
      const [again] = await store.observations.append([{ ...(await store.observations.get(firstId))!, seq: 2, hash: 'h2' }]);
      assert.equal(again.status, 'inserted');
      assert.ok((again as { id: number }).id > firstId);
    } finally {
      await store.close();
    }
  });

  test('applies each migration once: reopening the file applies nothing again', async () => {
    const file = freshFile();
    await (await openSqliteStore({ file })).close();
    const read = () => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all();
      } finally {
        db.close();
      }
    };
    const firstRun = read();
    assert.deepEqual(
      firstRun.map((r) => (r as { version: number }).version),
      migrations.map((m) => m.version).sort((a, b) => a - b),
    ); // steps are appended in any order by parallel work
    await (await openSqliteStore({ file })).close();
    assert.deepEqual(read(), firstRun);

    const db = new Database(file);
    try {
      assert.deepEqual(applyMigrations(db), []);
      const next = {
        version: Math.max(...migrations.map((m) => m.version)) + 1,
        name: 'test step',
        sql: 'CREATE TABLE test_step (x INTEGER)',
      };
      assert.deepEqual(applyMigrations(db, [...migrations, next]), [next.version]);
      assert.deepEqual(applyMigrations(db, [...migrations, next]), []);
    } finally {
      db.close();
    }
  });

  test("fills the track's columns of positions stored before migration 47 from their payload", async () => {
    const file = freshFile();
    const db = new Database(file);
    applyMigrations(
      db,
      migrations.filter((m) => m.version !== 47),
    );
    const insert =
      db.prepare(`INSERT INTO observations (device, seq, time, received_at, lat, lon, trust, protocol, hash, raw, late, payload)
      VALUES ('SEAL-A', ?, ?, ?, -1.5, 36.8, 'signed', 'native', ?, 'x', 0, ?)`);
    const payload = (seal: unknown, speed?: number) =>
      JSON.stringify({
        position: { lat: -1.5, lon: 36.8, ...(speed !== undefined && { speed }) },
        seal,
        door: null,
        sensors: null,
        battery: null,
        reads: null,
        attributes: null,
      });
    insert.run(1, '2026-11-26T01:00:00.000Z', '2026-11-26T01:00:00.000Z', 'h1', payload({ state: 'open', rope: 'cut' }, 42.5));
    insert.run(2, '2026-11-26T01:01:00.000Z', '2026-11-26T01:01:00.000Z', 'h2', payload(null));
    db.close();
    const store = await openSqliteStore({ file });
    try {
      const rows = await store.observations.trackPage(asDeviceId('SEAL-A'), {}, null, 10);
      const line = await store.observations.trackLinePage(asDeviceId('SEAL-A'), {}, null, 10);
      assert.deepEqual(
        rows.map((r, i) => [line[i][4], r[4] === null ? null : JSON.parse(r[4]), r[5]]),
        [
          ['open', { state: 'open', rope: 'cut' }, 42.5],
          [null, null, null],
        ],
      );
    } finally {
      await store.close();
    }
  });

  test("purging a partner copy's seal readings and positions clears the track's columns too (seal_state, seal, speed)", async () => {
    const file = freshFile();
    const store = await openSqliteStore({ file });
    const feed = 'federation:KRA:k1';
    try {
      await store.observations.append([
        {
          device: asDeviceId(feed),
          seq: null,
          time: now,
          receivedAt: now,
          late: false,
          position: { lat: 0.4, lon: 33.2, speed: 50 },
          seal: { state: 'closed' },
          door: null,
          sensors: { temperature: 4 },
          battery: null,
          reads: null,
          attributes: null,
          trust: 'federated',
          protocol: 'federation',
          hash: 'f1',
          raw: 'jws',
        },
      ]);
      const link = {
        partner: 'KRA',
        direction: 'in' as const,
        originMovement: 'k1',
        localMovement: 'u1',
        controlResults: null,
        createdAt: now,
      };
      await store.federation.link(link);
      const columns = () => {
        const db = new Database(file, { readonly: true });
        try {
          return db.prepare('SELECT seal_state, seal, speed, lat FROM observations WHERE device = ?').get(feed);
        } finally {
          db.close();
        }
      };
      assert.deepEqual(columns(), { seal_state: 'closed', seal: '{"state":"closed"}', speed: 50, lat: 0.4 });
      await store.federation.purgeCopyClasses((await store.federation.getLink('KRA', 'in', 'k1'))!, feed, ['seal']);
      assert.deepEqual(columns(), { seal_state: null, seal: null, speed: 50, lat: 0.4 });
      await store.federation.purgeCopyClasses((await store.federation.getLink('KRA', 'in', 'k1'))!, feed, ['position']);
      assert.deepEqual(columns(), { seal_state: null, seal: null, speed: null, lat: null }, 'its sensors keep the reading');
    } finally {
      await store.close();
    }
  });

  test('refuses a file whose schema is newer than this build', async () => {
    const file = freshFile();
    await (await openSqliteStore({ file })).close();
    const db = new Database(file);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
    db.close();
    await assert.rejects(openSqliteStore({ file }), /newer than this build/);
  });

  test('creates the parent folder of the file and opens it in WAL mode', async () => {
    const file = join(dir, 'nested', 'deeper', 'sealwatch.db');
    const store = await openSqliteStore({ file });
    await store.ping();
    await store.close();
    assert.ok(existsSync(file));
    const db = new Database(file, { readonly: true });
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    } finally {
      db.close();
    }
  });
});
