/**
 * Backpressure: when ingest is overloaded or a dependency stops during load, devices are told to
 * retry later (503 with Retry-After), the queue of unacknowledged rows stays bounded, and after
 * recovery every acknowledged message is stored exactly once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connect } from 'node:net';
import { freePort } from './harness';
import { PrivateNats } from './faults/services';
import { FleetLoad, makeFleet } from './load';
import { TOKEN, register, verify } from './fleet-checks';
import { startTestPlatform } from '../src/testing/test-platform';
import { clusterNamespace, TEST_DATABASE_URL } from '../src/testing/test-cluster';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function listening(env: Record<string, string>) {
  const p = await startTestPlatform({ SEALWATCH_ADMIN_TOKEN: TOKEN, ...env });
  await p.listen();
  return Object.assign(p, { url: `http://127.0.0.1:${(p.http.server.address() as { port: number }).port}` });
}

/** Samples the rows waiting for durability while load runs; returns the largest seen. */
function samplePending(p: { ctx: { metrics: { registry: { getSingleMetricAsString(n: string): Promise<string> } } } }) {
  let max = 0;
  const timer = setInterval(async () => {
    const text = await p.ctx.metrics.registry.getSingleMetricAsString('sealwatch_ingest_pending_rows');
    max = Math.max(max, Number(/ (\d+)$/m.exec(text)?.[1] ?? 0));
  }, 20);
  return { stop: () => (clearInterval(timer), max) };
}

test(
  'embedded: more concurrent load than the commit queue allows gets 503 Retry-After; pending rows stay bounded; nothing acknowledged is lost',
  { timeout: 120_000 },
  async () => {
    const p = await listening({ SEALWATCH_INGEST_MAX_PENDING: '100' });
    try {
      const fleet = makeFleet(24, 'BPE');
      const movementOf = await register(p.url, fleet);
      const load = new FleetLoad(fleet, () => [p.url], 40);
      const pending = samplePending(p);
      load.start();
      await sleep(3000);
      await load.stop();
      const maxPending = pending.stop();
      assert.ok((load.refusals.get('503 retry-after') ?? 0) > 0, `503s with Retry-After: ${JSON.stringify([...load.refusals])}`);
      assert.ok(maxPending <= 100, `pending rows bounded by the limit (max seen ${maxPending})`);
      await verify(p.url, load, movementOf);
    } finally {
      await p.cleanup();
    }
  },
);

test(
  'cluster: NATS killed during load → 503 Retry-After; after its restart every acknowledged message is stored once',
  { timeout: 180_000 },
  async () => {
    const nats = new PrivateNats(await freePort());
    await nats.start();
    const ns = clusterNamespace(4);
    const p = await listening({ ...ns.env, NATS_URL: nats.url, SEALWATCH_NATS_ACK_WAIT_S: '4' });
    try {
      const fleet = makeFleet(6, 'BPN');
      const movementOf = await register(p.url, fleet);
      const load = new FleetLoad(fleet, () => [p.url], 20);
      load.start();
      await sleep(1500);
      await nats.kill();
      await sleep(7000);
      const during = load.refusals.get('503 retry-after') ?? 0;
      await nats.start();
      await sleep(3000);
      await load.stop();
      assert.ok(during > 0, `503 with Retry-After while NATS was down: ${JSON.stringify([...load.refusals])}`);
      await verify(p.url, load, movementOf);
    } finally {
      await p.cleanup();
      await ns.destroy().catch(() => undefined);
      await nats.destroy();
    }
  },
);

test(
  'cluster: PostgreSQL refusing connections during load → 503 Retry-After; afterwards every acknowledged message is stored once',
  { timeout: 180_000 },
  async () => {
    const db = `sw_bp_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${db}`);
    const url = TEST_DATABASE_URL.replace(/\/[^/]*$/, `/${db}`);
    const ns = clusterNamespace(4);
    const p = await listening({ ...ns.env, DATABASE_URL: url, SEALWATCH_NATS_ACK_WAIT_S: '4' });
    try {
      const fleet = makeFleet(6, 'BPP');
      const movementOf = await register(p.url, fleet);
      const load = new FleetLoad(fleet, () => [p.url], 20);
      load.start();
      await sleep(1500);
      await admin.query(`ALTER DATABASE ${db} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db]);
      await sleep(5000);
      const during = load.refusals.get('503 retry-after') ?? 0;
      await admin.query(`ALTER DATABASE ${db} ALLOW_CONNECTIONS true`);
      await sleep(3000);
      await load.stop();
      assert.ok(during > 0, `503 with Retry-After while PostgreSQL was down: ${JSON.stringify([...load.refusals])}`);
      await verify(p.url, load, movementOf);
    } finally {
      await p.cleanup();
      await ns.destroy().catch(() => undefined);
      await admin.query(`ALTER DATABASE ${db} ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    }
  },
);
