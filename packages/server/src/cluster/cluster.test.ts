/**
 * Cluster mode on this machine's real PostgreSQL and NATS JetStream: a gateway+API process and
 * two processor processes (in one test process, as separate platforms), devices in, alerts out.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import type { Alert } from '@sealwatch/core';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';
import { clusterNamespace } from '../testing/test-cluster';
import { verifyAuditTrail } from '../audit/audit-verify';
import { partitionOf } from './partitions';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
const ns = clusterNamespace(4);
let gateway: P;
let workers: P[] = [];

before(async () => {
  gateway = await startTestPlatform({ ...ns.env, SEALWATCH_ROLES: 'gateway,api', SEALWATCH_INSTANCE_ID: 'gw' });
  workers = [
    await startTestPlatform({ ...ns.env, SEALWATCH_ROLES: 'processor', SEALWATCH_INSTANCE_ID: 'proc-a' }),
    await startTestPlatform({ ...ns.env, SEALWATCH_ROLES: 'processor', SEALWATCH_INSTANCE_ID: 'proc-b' }),
  ];
});
after(async () => {
  for (const p of [gateway, ...workers]) await p.cleanup();
  await ns.destroy();
});

const waitFor = async <T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

test('the processors split the partitions between them, each partition owned once; the gateway owns none', async () => {
  assert.equal(gateway.ctx.store.engine, 'postgres');
  const owned = await waitFor('both processors owning two partitions', async () => {
    const sets = workers.map((w) => w.cluster!.ownedPartitions());
    return sets.every((s) => s.length === 2) ? sets : null;
  });
  assert.deepEqual([...owned[0], ...owned[1]].sort(), [0, 1, 2, 3]);
  assert.deepEqual(gateway.cluster!.ownedPartitions(), []);
});

test('a tamper through the gateway becomes an alert made by a processor, seen live on the gateway stream', async () => {
  const key = generateDeviceKey('EdDSA');
  const post = (url: string, payload: object) => gateway.http.inject({ method: 'POST', url, headers: gateway.auth, payload });
  for (const o of [mombasaOffice, malabaOffice]) assert.equal((await post('/api/v1/offices', o)).statusCode, 201);
  assert.equal(
    (await post('/api/v1/devices', { id: 'CL-1', class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration })).statusCode,
    201,
  );
  const m = (await post('/api/v1/movements', buildMovementBody({ devices: ['CL-1'] }))).json();
  await post(`/api/v1/movements/${m.id}/start`, {});

  const live = new Promise<Alert>((resolve) => {
    const off = gateway.ctx.bus.subscribe((msg) => {
      if (msg.kind === 'alert' && msg.data.movement === m.id) {
        off();
        resolve(msg.data);
      }
    });
  });
  const first = signMessage(key, { device: 'CL-1', seq: 1, time: new Date().toISOString(), seal: { state: 'tampered' } });
  const r = await gateway.http.inject({ method: 'POST', url: '/api/v1/ingest', payload: { messages: [first, first] } });
  assert.deepEqual(
    r.json().results.map((x: { status: string }) => x.status),
    ['accepted', 'duplicate'],
  );
  const alert = await live;
  assert.equal(alert.type, 'seal_tampered');
  const stored = await waitFor('observation stored once', async () => {
    const page = await gateway.ctx.store.observations.listByDevice('CL-1' as never, {}, { limit: 10 });
    return page.items.length === 1 ? page.items : null;
  });
  assert.equal(stored[0].seq, 1);

  // Same seq, other content: rejected at the gateway, whether JetStream or the store remembers it.
  const forged = signMessage(key, { device: 'CL-1', seq: 1, time: new Date().toISOString(), seal: { state: 'closed' } });
  const c = await gateway.http.inject({ method: 'POST', url: '/api/v1/ingest', payload: { messages: [forged] } });
  assert.equal(c.json().results[0].reason, 'seq_conflict');
});

test("a processor's audit entries go to its partition's chain, the gateway's to a shared one; the trail and a movement's export verify across chains", async () => {
  const key = generateDeviceKey('EdDSA');
  const post = (url: string, payload: object) => gateway.http.inject({ method: 'POST', url, headers: gateway.auth, payload });
  assert.equal(
    (await post('/api/v1/devices', { id: 'CL-2', class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration })).statusCode,
    201,
  );
  const m = (await post('/api/v1/movements', buildMovementBody({ devices: ['CL-2'] }))).json();
  await post(`/api/v1/movements/${m.id}/start`, {});
  const message = signMessage(key, { device: 'CL-2', seq: 1, time: new Date().toISOString(), seal: { state: 'tampered' } });
  assert.equal((await gateway.http.inject({ method: 'POST', url: '/api/v1/ingest', payload: { messages: [message] } })).statusCode, 200);

  const audit = gateway.ctx.store.audit;
  const alertEntry = await waitFor('the alert audited', async () => {
    const seqs = await audit.seqsBySubject(m.id);
    return (await audit.bySeqs(seqs)).find((e) => e.kind === 'alert');
  });
  assert.equal(alertEntry.chain, `partition:${partitionOf('CL-2', 4)}`, 'recorded by the partition owner in its chain');
  const [accepted] = (await audit.bySeqs(await audit.seqsBySubject('CL-2'))).filter((e) => e.action === 'accepted');
  assert.match(accepted.chain, /^(main|shared:\d+)$/, "the gateway's entry is in a shared chain");

  const r = await gateway.http.inject({ method: 'GET', url: `/api/v1/movements/${m.id}/evidence`, headers: gateway.auth });
  assert.equal(r.statusCode, 200, r.body);
  const evidence = r.json();
  assert.ok(evidence.chains.length >= 2, 'the export carries a segment of each chain it draws on');
  const file = join(gateway.dir, 'evidence-chains.json');
  writeFileSync(file, r.body);
  const root = join(import.meta.dirname, '../../../..');
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'scripts/verify-evidence.mjs'), file]);
  assert.match(stdout, new RegExp(`chain ${alertEntry.chain}: entries \\d+\\.\\.\\d+ link up to the signed head`));
  assert.match(stdout, /VERIFIED$/m);

  const report = await verifyAuditTrail(audit, await gateway.ctx.audit.publicKeys());
  assert.equal(report.ok, true, JSON.stringify(report.problem));
  assert.ok(report.chains >= 2);
});
