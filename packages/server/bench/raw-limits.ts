/** The machine's raw ceilings, measured in the same run as the product figures. */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Ed25519 verifications per second on this thread for `ms`. */
export function ed25519VerifyRate(ms = 1500): number {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const data = Buffer.from('x'.repeat(300));
  const sig = sign(null, data, privateKey);
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) verify(null, data, publicKey, sig);
    n += 100;
  }
  return n / (ms / 1000);
}

/** Ed25519 verifications per second on all cores (one worker thread per core). */
export async function ed25519VerifyRateAllCores(ms = 1500): Promise<number> {
  const src = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { generateKeyPairSync, sign, verify } = require('node:crypto');
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const data = Buffer.from('x'.repeat(300));
    const sig = sign(null, data, privateKey);
    let n = 0; const end = performance.now() + workerData;
    while (performance.now() < end) { for (let i = 0; i < 100; i++) verify(null, data, publicKey, sig); n += 100; }
    parentPort.postMessage(n);`;
  const counts = await Promise.all(
    Array.from(
      { length: availableParallelism() },
      () =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(src, { eval: true, workerData: ms });
          w.once('message', (n: number) => {
            resolve(n);
            void w.terminate();
          });
          w.once('error', reject);
        }),
    ),
  );
  return counts.reduce((a, b) => a + b, 0) / (ms / 1000);
}

/** Plain SQLite inserts per second: WAL, the given synchronous mode, 1000-row transactions, index on (device, time). */
export function sqliteInsertRate(synchronous: 'FULL' | 'NORMAL', rows = 100_000): number {
  const dir = mkdtempSync(join(tmpdir(), 'sw-bench-sqlite-'));
  const db = new Database(join(dir, 'b.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    db.exec('CREATE TABLE o (id INTEGER PRIMARY KEY, device TEXT, time TEXT, body TEXT); CREATE INDEX o_dt ON o(device, time)');
    const ins = db.prepare('INSERT INTO o (device, time, body) VALUES (?, ?, ?)');
    const tx = db.transaction((from: number) => {
      for (let i = from; i < from + 1000; i++) ins.run(`D${i % 1000}`, new Date(1_700_000_000_000 + i).toISOString(), 'x'.repeat(300));
    });
    const t0 = performance.now();
    for (let i = 0; i < rows; i += 1000) tx(i);
    return rows / ((performance.now() - t0) / 1000);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Plain PostgreSQL inserts per second: multi-row `INSERT … SELECT unnest(…)` of 1000 rows per transaction into an indexed table. */
export async function postgresInsertRate(url: string, rows = 50_000): Promise<number> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const table = `bench_raw_${process.pid}`;
  try {
    await c.query(`CREATE TEMP TABLE ${table} (id bigserial PRIMARY KEY, device text, time timestamptz, body text)`);
    await c.query(`CREATE INDEX ON ${table} (device, time)`);
    const t0 = performance.now();
    for (let i = 0; i < rows; i += 1000) {
      const devices = Array.from({ length: 1000 }, (_, k) => `D${(i + k) % 1000}`);
      const times = Array.from({ length: 1000 }, (_, k) => new Date(1_700_000_000_000 + i + k).toISOString());
      await c.query(
        `INSERT INTO ${table} (device, time, body) SELECT d, t, repeat('x', 300) FROM unnest($1::text[], $2::timestamptz[]) AS u(d, t)`,
        [devices, times],
      );
    }
    return rows / ((performance.now() - t0) / 1000);
  } finally {
    await c.end();
  }
}

/** JetStream publishes per second (file storage, acknowledged), 64 in flight, 300-byte messages. */
export async function jetstreamPublishRate(url: string, messages = 30_000): Promise<number> {
  const { connect, StorageType } = await import('nats');
  const nc = await connect({ servers: url });
  const jsm = await nc.jetstreamManager();
  const name = `BENCH_RAW_${process.pid}`;
  try {
    await jsm.streams.add({ name, subjects: [`bench.raw.${process.pid}.>`], storage: StorageType.File });
    const js = nc.jetstream();
    const body = 'x'.repeat(300);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < messages) {
          next++;
          await js.publish(`bench.raw.${process.pid}.p${next % 16}`, body);
        }
      }),
    );
    return messages / ((performance.now() - t0) / 1000);
  } finally {
    await jsm.streams.delete(name).catch(() => undefined);
    await nc.close();
  }
}
