/**
 * Partition ownership cannot split, on this machine's real NATS KV and PostgreSQL: a lease key
 * lost by NATS lets a second member create it, but the store refuses that member's claim while
 * the owner renews, and the owner re-creates its key; when a second member does get in (the
 * owner stalled past the TTL), only the newer epoch's commits are accepted, and the audit trail
 * holds the new owner's entries only.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { connect, type KV, type NatsConnection } from 'nats';
import { openPostgresStore } from '../storage/postgres/postgres-store';
import { PartitionFencedError } from '../storage/partition-owner-ports';
import type { Store } from '../storage/ports';
import { clusterNamespace, TEST_DATABASE_URL, TEST_NATS_URL } from '../testing/test-cluster';
import { clusterNames } from './partitions';
import { PartitionLeases } from './partition-leases';
import { AuditTrail } from '../audit/audit-trail';
import { auditedStore } from '../audit/audited-store';
import { verifyAuditTrail } from '../audit/audit-verify';
import { jwkThumbprint, type ServerKey } from '../audit/server-key';
import { buildEvent } from '../storage/contract/fixtures';

const ns = clusterNamespace(1);
let store: Store;
let nc: NatsConnection;
let kv: KV;

before(async () => {
  store = await openPostgresStore({ url: TEST_DATABASE_URL, schema: ns.env.SEALWATCH_DB_SCHEMA });
  nc = await connect({ servers: TEST_NATS_URL });
  kv = await nc.jetstream().views.kv(clusterNames(ns.env.SEALWATCH_CLUSTER_NAME).leaseBucket, { ttl: 10_000, history: 1 });
});
after(async () => {
  await store.close();
  await nc.close();
  await ns.destroy();
});

function member(name: string, ttlMs = 10_000) {
  const warnings: string[] = [];
  const owned: number[] = [];
  const leases = new PartitionLeases(
    kv,
    store.partitionOwners,
    name,
    1,
    {
      acquired: (p) => void owned.push(p),
      lost: async (p) => void owned.splice(owned.indexOf(p), 1),
    },
    // Ticks are driven by the test; the TTL is the one the claims use.
    { renewMs: 3_600_000, ttlMs },
    { warn: (_o, m) => void warnings.push(m), info: () => undefined },
  );
  return { leases, warnings, owned };
}

const commitUnder = (epoch: number, id: number) =>
  store.processing.commit({
    processor: 'partition-0',
    checkpoint: id,
    observationIds: [id],
    events: [],
    alerts: [],
    deviceStates: [],
    fence: { partition: 0, epoch },
  });

test('a lease key lost by NATS: the second member creates it but the store refuses its claim; the owner re-creates its key and keeps the partition', async () => {
  const a = member('proc-a');
  const b = member('proc-b');
  await a.leases.tick();
  assert.deepEqual(a.owned, [0]);
  const epoch = a.leases.epochOf(0)!;

  await kv.purge('p.0'); // the state NATS 2.9 was seen in after a restart: the current entry is gone
  await b.leases.tick();
  assert.deepEqual(b.owned, [], 'the second member did not take the partition');
  assert.ok(
    b.warnings.some((w) => /store says another processor holds it/.test(w)),
    b.warnings.join('\n'),
  );

  await a.leases.tick();
  assert.deepEqual(a.owned, [0], 'the owner kept its partition');
  assert.equal(a.leases.epochOf(0), epoch, 'under the same epoch');
  assert.ok(
    a.warnings.some((w) => /lost by NATS; created again/.test(w)),
    a.warnings.join('\n'),
  );
  assert.equal((await kv.get('p.0'))?.string(), 'proc-a');
  assert.equal(await commitUnder(epoch, 1), true);

  await b.leases.stop();
  await a.leases.stop();
});

test('two processors racing for one partition: only the newer epoch commits, and the older one learns it lost', async () => {
  const a = member('proc-a');
  await a.leases.tick();
  const old = a.leases.epochOf(0)!;

  // proc-a stalls; past its TTL (here: a member whose TTL every lease has outlived) with the key
  // lost, proc-b gets both the KV key and a newer epoch while proc-a still believes it owns p0.
  await kv.purge('p.0');
  const b = member('proc-b', -60_000);
  await b.leases.tick();
  assert.deepEqual(b.owned, [0]);
  const current = b.leases.epochOf(0)!;
  assert.ok(current > old);
  assert.deepEqual(a.owned, [0], 'proc-a has not noticed yet');

  const [fromA, fromB] = await Promise.allSettled([commitUnder(old, 10), commitUnder(current, 11)]);
  assert.equal(fromA.status, 'rejected');
  assert.ok((fromA as PromiseRejectedResult).reason instanceof PartitionFencedError);
  assert.deepEqual(fromB, { status: 'fulfilled', value: true });
  assert.deepEqual(await store.processing.unprocessed([10, 11]), [10], "only proc-b's commit was stored");

  await a.leases.tick();
  assert.deepEqual(a.owned, [], 'proc-a released the partition on its next renewal');
  assert.equal(a.leases.health().status, 'degraded', 'the lost lease shows in its health (and becomes a platform alert)');
  assert.equal(b.leases.health().status, 'ok');
  assert.ok(
    a.warnings.some((w) => /taken by another member|fenced/.test(w)),
    a.warnings.join('\n'),
  );
  await a.leases.stop();
  await b.leases.stop();
});

/** A throwaway audit signing key (the trail signs checkpoints with it). */
function testServerKey(): ServerKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicJwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: (publicKey.export({ format: 'jwk' }) as { x: string }).x };
  return { keyId: jwkThumbprint(publicJwk), publicJwk, sign: (m) => sign(null, Buffer.from(m, 'utf8'), privateKey).toString('base64url') };
}

test('two processors racing for one partition after a lost lease key, through the audit trail: only the owner commits, the fenced one leaves no entry, the chain verifies', async () => {
  const key = testServerKey();
  const trail = new AuditTrail(store.audit, key);
  const audited = auditedStore(store, trail);
  const a = member('proc-a');
  await a.leases.tick();
  const old = a.leases.epochOf(0)!;
  await kv.purge('p.0');
  const b = member('proc-b', -60_000);
  await b.leases.tick();
  const current = b.leases.epochOf(0)!;
  assert.ok(current > old, 'proc-b took the partition under a newer epoch while proc-a still believes it owns it');

  const commit = (epoch: number, id: number, event: string) =>
    audited.processing.commit({
      processor: 'partition-0',
      checkpoint: id,
      observationIds: [id],
      events: [buildEvent({ id: event as never })],
      alerts: [],
      deviceStates: [],
      fence: { partition: 0, epoch },
    });
  const [fromA, fromB] = await Promise.allSettled([commit(old, 30, 'EV-STALE-OWNER'), commit(current, 31, 'EV-CURRENT-OWNER')]);
  assert.equal(fromA.status, 'rejected');
  assert.ok((fromA as PromiseRejectedResult).reason instanceof PartitionFencedError);
  assert.deepEqual(fromB, { status: 'fulfilled', value: true });
  assert.deepEqual(await store.processing.unprocessed([30, 31]), [30], "only proc-b's commit was stored");

  const refs = (await store.audit.range(1, 10_000)).map((e) => e.ref);
  assert.ok(refs.includes('event:EV-CURRENT-OWNER'), "the owner's event is audited");
  assert.ok(!refs.includes('event:EV-STALE-OWNER'), 'the fenced processor left no audit entry');
  await trail.checkpoint();
  const report = await verifyAuditTrail(store.audit, [key]);
  assert.equal(report.ok, true, JSON.stringify(report.problem));
  assert.ok(report.checkpoints >= 1);
  await a.leases.stop();
  await b.leases.stop();
});
