/**
 * The storage contract against the real PostgreSQL of this machine, each test in a fresh schema,
 * plus what only PostgreSQL has: monthly partitions, concurrent processes, reopening.
 * PostgreSQL is required: CI provides it, so an unreachable server fails these tests.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { asDeviceId, toTimestamp } from '@sealwatch/core';
import type { NewObservation } from '@sealwatch/core';
import { runStoreContract } from '../contract';
import type { AppendOutcome, Store } from '../ports';
import { applyMigrations, migrations } from './migrations';
import { openPostgresStore } from './postgres-store';

const url = process.env.SEALWATCH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const freshSchema = () => `sw_test_${randomBytes(6).toString('hex')}`;

/** Errors that mean "no server there" (network, authentication, no such database). */
function isUnreachable(err: unknown): boolean {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  return (
    /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|EAI_AGAIN|08...|28...|3D000)$/.test(code) ||
    /timeout/i.test(String((err as Error)?.message))
  );
}

async function open(schema = freshSchema(), dropSchemaOnClose = true): Promise<Store> {
  try {
    return await openPostgresStore({ url, schema, poolSize: 4, dropSchemaOnClose });
  } catch (err) {
    if (!isUnreachable(err)) throw err;
    throw new Error(
      `PostgreSQL is not reachable at ${url} (${(err as Error).message}). These tests need it: ` +
        'start PostgreSQL or point SEALWATCH_TEST_DATABASE_URL at one.',
      { cause: err },
    );
  }
}

/** Runs one query on a connection of its own, in `schema`. */
async function sql<T extends pg.QueryResultRow>(schema: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const dropSchema = (schema: string) => sql('public', `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
const partitionsOf = async (schema: string) =>
  (
    await sql<{ name: string }>(
      schema,
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
   WHERE i.inhparent = 'observations'::regclass ORDER BY 1`,
    )
  ).map((r) => r.name);
/** Which partition holds each observation id. */
const placement = async (schema: string) =>
  Object.fromEntries(
    (
      await sql<{ id: number; part: string }>(
        schema,
        `SELECT o.id::int AS id, c.relname AS part FROM observations o JOIN pg_class c ON c.oid = o.tableoid`,
      )
    ).map((r) => [r.id, r.part]),
  );
const idOf = (o: AppendOutcome) => {
  assert.ok(o.status !== 'conflict', `expected an id, got ${JSON.stringify(o)}`);
  return o.id;
};

function observation(seq: number | null, time: string, overrides: Partial<NewObservation> = {}): NewObservation {
  const device = overrides.device ?? asDeviceId('SEAL-A');
  return {
    device,
    seq,
    time: toTimestamp(time),
    receivedAt: toTimestamp('2026-11-26T04:00:00.000Z'),
    late: false,
    position: { lat: -1.2921, lon: 36.8219 },
    seal: { state: 'closed' },
    door: null,
    sensors: null,
    battery: null,
    reads: null,
    attributes: null,
    trust: 'signed',
    protocol: 'native',
    hash: `h-${device}-${seq}`,
    raw: `raw-${device}-${seq}`,
    ...overrides,
  };
}

describe('postgres server', () => {
  test(`is reachable at ${url.replace(/:[^:@/]*@/, ':***@')}`, async () => {
    const store = await open();
    await store.ping();
    await store.close();
  });
});

runStoreContract('postgres', () => open());

describe('postgres observation partitions', () => {
  test('creates a partition for each month appended to and routes every row to its month', async () => {
    const schema = freshSchema();
    const store = await open(schema);
    try {
      assert.deepEqual(await partitionsOf(schema), ['observations_default']);
      const outcomes = await store.observations.append([
        observation(1, '2026-10-31T23:59:59.999Z'),
        observation(2, '2026-11-01T00:00:00.000Z'),
        observation(null, '2026-11-26T03:22:52.120Z'),
      ]);
      assert.deepEqual(await partitionsOf(schema), ['observations_default', 'observations_y2026m10', 'observations_y2026m11']);
      const [oct, nov, nov2] = outcomes.map(idOf);
      assert.deepEqual(await placement(schema), {
        [oct]: 'observations_y2026m10',
        [nov]: 'observations_y2026m11',
        [nov2]: 'observations_y2026m11',
      });
      // Another process (which knows no partition yet) appending to the same months.
      const other = await open(schema, false);
      try {
        const [later] = await other.observations.append([observation(3, '2026-10-15T00:00:00.000Z')]);
        assert.equal((await placement(schema))[idOf(later)], 'observations_y2026m10');
      } finally {
        await other.close();
      }
      assert.equal((await partitionsOf(schema)).length, 3);
    } finally {
      await store.close();
    }
  });

  test('purgeBefore drops whole old monthly partitions with their keys and deletes the older rows of the rest', async () => {
    const schema = freshSchema();
    const store = await open(schema);
    try {
      const outcomes = await store.observations.append([
        observation(1, '2026-09-10T00:00:00.000Z'),
        observation(2, '2026-10-10T00:00:00.000Z'),
        observation(3, '2026-10-20T00:00:00.000Z'),
        observation(4, '2026-11-10T00:00:00.000Z'),
        observation(5, '2026-11-20T00:00:00.000Z'),
      ]);
      const ids = outcomes.map(idOf);
      assert.equal(await store.observations.purgeBefore(toTimestamp('2026-11-15T00:00:00.000Z')), 4);
      assert.deepEqual(await partitionsOf(schema), ['observations_default', 'observations_y2026m11']);
      const tables = await sql<{ relname: string }>(
        schema,
        "SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relname LIKE 'observations_y%' AND relkind = 'r'",
      );
      assert.deepEqual(
        tables.map((t) => t.relname),
        ['observations_y2026m11'],
        'no detached table is left behind',
      );
      assert.deepEqual(await placement(schema), { [ids[4]]: 'observations_y2026m11' });
      assert.deepEqual(
        (await sql<{ seq: number }>(schema, 'SELECT seq::int FROM observation_keys')).map((r) => r.seq),
        [5],
      );
      // The store re-creates a month it dropped when a late observation of that month arrives.
      const [late] = await store.observations.append([observation(2, '2026-10-10T00:00:00.000Z', { hash: 'h-again' })]);
      assert.ok(idOf(late) > ids[4]);
      assert.equal((await placement(schema))[idOf(late)], 'observations_y2026m10');
    } finally {
      await store.close();
    }
  });

  test('a month another process dropped is served by the DEFAULT partition, and purged from it', async () => {
    const schema = freshSchema();
    const purger = await open(schema);
    const appender = await open(schema, false);
    try {
      await appender.observations.append([observation(1, '2026-10-10T00:00:00.000Z')]);
      assert.equal(await purger.observations.purgeBefore(toTimestamp('2026-11-01T00:00:00.000Z')), 1);
      // The appender still believes October has a partition: its row lands in DEFAULT.
      const [late] = await appender.observations.append([observation(2, '2026-10-11T00:00:00.000Z')]);
      assert.equal((await placement(schema))[idOf(late)], 'observations_default');
      // A third process can't create October while DEFAULT holds October rows; it appends anyway.
      const third = await open(schema, false);
      try {
        const [more] = await third.observations.append([observation(3, '2026-10-12T00:00:00.000Z')]);
        assert.equal((await placement(schema))[idOf(more)], 'observations_default');
      } finally {
        await third.close();
      }
      assert.equal(await purger.observations.purgeBefore(toTimestamp('2026-11-01T00:00:00.000Z')), 2);
      assert.deepEqual(await placement(schema), {});
    } finally {
      await appender.close();
      await purger.close();
    }
  });
});

describe('postgres store across processes', () => {
  test('stores opened at once on a fresh schema all migrate without error, each step recorded once', async () => {
    const schema = freshSchema();
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => open(schema, false)));
      await Promise.all(stores.map((s) => s.close()));
      const applied = await sql<{ version: number }>(schema, 'SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(
        applied.map((r) => r.version),
        migrations.map((m) => m.version).sort((a, b) => a - b),
      );
    } finally {
      await dropSchema(schema);
    }
  });

  test('concurrent appends from two stores keep (device, seq) unique and ids in commit order', async () => {
    const schema = freshSchema();
    const a = await open(schema);
    const b = await open(schema, false);
    try {
      const [x, y] = await Promise.all([
        a.observations.append([observation(1, '2026-11-26T03:00:00.000Z', { hash: 'from-a' })]),
        b.observations.append([observation(1, '2026-11-26T03:00:00.000Z', { hash: 'from-b' })]),
      ]);
      assert.deepEqual([x[0].status, y[0].status].sort(), ['conflict', 'inserted']);

      // A reader following the log while both write must never step past an id committed later.
      const written: number[] = [];
      const seen: number[] = [];
      let writing = true;
      const writer = async (store: Store, device: string) => {
        for (let i = 0; i < 30; i++) {
          const rows = Array.from({ length: 20 }, (_, k) =>
            observation(i * 20 + k + 1, '2026-11-26T03:00:00.000Z', { device: asDeviceId(device) }),
          );
          written.push(...(await store.observations.append(rows)).map(idOf));
        }
      };
      const start = await a.observations.lastId();
      const reader = async () => {
        let after = start;
        for (;;) {
          const stillWriting = writing;
          const batch = await a.observations.readLog(after, 1000);
          seen.push(...batch.map((o) => o.id));
          if (batch.length) after = batch[batch.length - 1].id;
          else if (!stillWriting) return;
        }
      };
      const reading = reader();
      await Promise.all([writer(a, 'SEAL-A2'), writer(b, 'SEAL-B2')]);
      writing = false;
      await reading;
      assert.equal(seen.length, 1200);
      assert.deepEqual(
        seen,
        [...written].sort((p, q) => p - q),
      );
    } finally {
      await b.close();
      await a.close();
    }
  });

  test('keeps committed data across closing and reopening, and never reuses an id', async () => {
    const schema = freshSchema();
    let store = await open(schema, false);
    try {
      const [first] = await store.observations.append([observation(1, '2026-11-26T03:22:52.120Z')]);
      await store.settings.set('k', 'v');
      await store.processing.commit({ processor: 'detectors', checkpoint: idOf(first), events: [], alerts: [], deviceStates: [] });
      await store.close();

      store = await open(schema, false);
      assert.deepEqual(await store.observations.get(idOf(first)), { id: idOf(first), ...observation(1, '2026-11-26T03:22:52.120Z') });
      assert.equal(await store.settings.get('k'), 'v');
      assert.equal(await store.processing.checkpoint('detectors'), idOf(first));
      const [dup, next] = await store.observations.append([
        observation(1, '2026-11-26T03:22:52.120Z'),
        observation(2, '2026-11-26T03:23:52.120Z'),
      ]);
      assert.deepEqual(dup, { status: 'duplicate', id: idOf(first) });
      assert.ok(idOf(next) > idOf(first));
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });

  test('applies each migration once, and refuses a schema newer than this build', async () => {
    const schema = freshSchema();
    try {
      await (await open(schema, false)).close();
      const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 1 });
      try {
        assert.deepEqual(await applyMigrations(pool, schema), []);
        const next = {
          version: Math.max(...migrations.map((m) => m.version)) + 1,
          name: 'test step',
          sql: 'CREATE TABLE test_step (x int)',
        };
        assert.deepEqual(await applyMigrations(pool, schema, [...migrations, next]), [next.version]);
        assert.deepEqual(await applyMigrations(pool, schema, [...migrations, next]), []);
      } finally {
        await pool.end();
      }
      await assert.rejects(open(schema, false), /newer than this build/);
    } finally {
      await dropSchema(schema);
    }
  });
});
