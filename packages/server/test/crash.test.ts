/**
 * Crash safety: load keeps running while Sealwatch processes are killed with SIGKILL and
 * restarted, several times, in embedded and in cluster mode. Afterwards every acknowledged
 * message is stored exactly once, nothing unacknowledged was invented, and the detector state
 * is right: each movement's seal_tampered alert counts exactly the tamper readings stored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, SealwatchProcess } from './harness';
import { FleetLoad, isTamper, makeFleet, type FleetDevice } from './load';
import { buildMovementBody, malabaOffice, mombasaOffice } from '../src/testing/test-platform';
import { clusterNamespace } from '../src/testing/test-cluster';

const TOKEN = 'crash-test-admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function api(url: string, method: string, path: string, body?: unknown) {
  const r = await fetch(url + path, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

async function register(url: string, fleet: FleetDevice[]): Promise<Map<string, string>> {
  for (const o of [mombasaOffice, malabaOffice]) await api(url, 'POST', '/api/v1/offices', o);
  const movementOf = new Map<string, string>();
  for (const d of fleet) {
    await api(url, 'POST', '/api/v1/devices', { id: d.id, class: 'active', kind: 'e_seal', protocol: 'native', key: d.key.registration });
    const m = await api(url, 'POST', '/api/v1/movements', buildMovementBody({ devices: [d.id] }));
    await api(url, 'POST', `/api/v1/movements/${m.id}/start`, { time: new Date(Date.now() - 60_000).toISOString() });
    movementOf.set(d.id, m.id);
  }
  return movementOf;
}

async function storedSeqs(url: string, device: string): Promise<number[]> {
  const seqs: number[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { seq: number }[]; nextCursor: string | null } = await api(url, 'GET', `/api/v1/devices/${device}/observations?limit=1000&order=asc${cursor ? `&cursor=${cursor}` : ''}`);
    seqs.push(...page.items.map((o) => o.seq));
    cursor = page.nextCursor;
  } while (cursor);
  return seqs;
}

/** Waits until the processors have caught up, then checks storage and detector state. */
async function verify(url: string, load: FleetLoad, movementOf: Map<string, string>): Promise<void> {
  let total = 0;
  for (const [device, acked] of load.acked) {
    // In cluster mode processors store asynchronously: wait for them to catch up (bounded).
    let seqs = await storedSeqs(url, device);
    for (const end = Date.now() + 60_000; seqs.length < acked.size && Date.now() < end; seqs = await storedSeqs(url, device)) await sleep(250);
    assert.equal(new Set(seqs).size, seqs.length, `${device}: a message stored twice`);
    assert.deepEqual([...seqs].sort((a, b) => a - b), [...acked].sort((a, b) => a - b), `${device}: stored ≠ acknowledged`);
    total += seqs.length;
    const tampers = seqs.filter(isTamper).length;
    const movement = movementOf.get(device)!;
    const end = Date.now() + 60_000;
    let count = -1;
    while (Date.now() < end) {
      const alerts = await api(url, 'GET', `/api/v1/alerts?movement=${movement}&type=seal_tampered`);
      count = alerts.items.length === 1 ? alerts.items[0].count : alerts.items.length === 0 ? 0 : -alerts.items.length;
      if (count === tampers) break;
      await sleep(250);
    }
    assert.equal(count, tampers, `${device}: seal_tampered occurrences`);
  }
  assert.ok(total > 200, `enough load went through (${total})`);
}

test('embedded mode: SIGKILL during load, three times; every acknowledged message stored once, alerts exact', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sealwatch-crash-'));
  const node = new SealwatchProcess('embedded', await freePort(), { SEALWATCH_DATA_DIR: dir, SEALWATCH_ADMIN_TOKEN: TOKEN, SEALWATCH_MQTT_PORT: 'off' });
  try {
    await node.start();
    const fleet = makeFleet(6, 'EMB');
    const movementOf = await register(node.url, fleet);
    const load = new FleetLoad(fleet, () => [node.url]);
    load.start();
    for (let i = 0; i < 3; i++) {
      await sleep(1500);
      await node.kill();
      await node.start();
    }
    await sleep(1500);
    await load.stop();
    assert.ok(load.retries > 0, 'the kills interrupted requests');
    await verify(node.url, load, movementOf);
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cluster mode: gateways and processors killed during load; every acknowledged message stored once, alerts exact', { timeout: 300_000 }, async () => {
  const ns = clusterNamespace(4);
  const common = { ...ns.env, SEALWATCH_ADMIN_TOKEN: TOKEN, SEALWATCH_NATS_ACK_WAIT_S: '4' };
  const api1 = new SealwatchProcess('api-1', await freePort(), { ...common, SEALWATCH_ROLES: 'api,gateway', SEALWATCH_INSTANCE_ID: 'api-1' });
  const gw2 = new SealwatchProcess('gw-2', await freePort(), { ...common, SEALWATCH_ROLES: 'gateway', SEALWATCH_INSTANCE_ID: 'gw-2' });
  const procs = [1, 2].map(async (i) => new SealwatchProcess(`proc-${i}`, await freePort(), { ...common, SEALWATCH_ROLES: 'processor', SEALWATCH_INSTANCE_ID: `proc-${i}` }));
  const [p1, p2] = await Promise.all(procs);
  const all = [api1, gw2, p1, p2];
  try {
    await api1.start();
    await Promise.all([gw2.start(), p1.start(), p2.start()]);
    const fleet = makeFleet(6, 'CLU');
    const movementOf = await register(api1.url, fleet);
    const load = new FleetLoad(fleet, () => [api1.url, gw2.url]);
    load.start();
    for (const victim of [gw2, p1, gw2, p2]) {
      await sleep(1500);
      await victim.kill();
      await sleep(300);
      await victim.start();
    }
    await sleep(1500);
    await load.stop();
    assert.ok(load.retries > 0, 'the kills interrupted requests');
    await verify(api1.url, load, movementOf);
  } finally {
    for (const p of all) await p.stop();
    await ns.destroy();
  }
});
