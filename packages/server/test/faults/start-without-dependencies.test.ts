/**
 * A cluster process started while PostgreSQL and NATS are down stays up: it says once what it
 * waits for, answers /healthz/ready 503 and ingest 503 store_unavailable meanwhile, starts its work
 * when both answer, reports NATS failing when it goes away again (with /metrics still answering),
 * and stops by itself on SIGTERM with every dependency gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { freePort, SealwatchProcess } from '../harness';
import { TOKEN, api } from '../fleet-checks';
import { clusterNamespace } from '../../src/testing/test-cluster';
import { PrivateNats, TcpProxy } from './services';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | null>, tries = 300): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await fn().catch(() => null);
    if (v) return v;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const get = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, body: r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text() };
};

test(
  'started without PostgreSQL and NATS: waits, says so once, serves health, then works; SIGTERM with both gone ends it',
  { timeout: 180_000 },
  async () => {
    const ns = clusterNamespace(4);
    const pgProxy = new TcpProxy(await freePort(), 5432);
    const nats = new PrivateNats(await freePort());
    const database = new URL(ns.env.DATABASE_URL);
    database.port = String(pgProxy.port);
    database.hostname = '127.0.0.1';
    const node = new SealwatchProcess('all-roles', await freePort(), {
      ...ns.env,
      DATABASE_URL: database.toString(),
      NATS_URL: nats.url,
      SEALWATCH_ADMIN_TOKEN: TOKEN,
      SEALWATCH_INSTANCE_ID: 'waiter',
    });
    try {
      await node.start({ until: 'live' });
      const ready = await get(`${node.url}/healthz/ready`);
      assert.equal(ready.status, 503);
      assert.deepEqual(ready.body.waitingFor.sort(), ['NATS', 'PostgreSQL']);
      const ingest = await fetch(`${node.url}/api/v1/ingest`, {
        method: 'POST',
        body: '{"messages":[]}',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(ingest.status, 503);
      assert.equal((await ingest.json()).code, 'store_unavailable');
      assert.equal((await get(`${node.url}/metrics`)).status, 200);
      await sleep(3000); // several backoff rounds
      assert.equal(node.output.match(/waiting for PostgreSQL/g)?.length, 1, node.output);
      assert.equal(node.output.match(/waiting for NATS/g)?.length, 1, node.output);

      await pgProxy.open();
      await nats.start();
      await until('ready', async () => ((await get(`${node.url}/healthz/ready`)).status === 200 ? true : null));
      const health = (await get(`${node.url}/healthz/ready`)).body;
      assert.equal(health.mode, 'cluster');
      for (const c of ['store', 'nats', 'disk', 'lag']) assert.equal(health.checks[c].status, 'ok', JSON.stringify(health.checks));

      // Work goes through: a registered device's message is accepted and stored.
      const key = generateDeviceKey('EdDSA');
      await api(node.url, 'POST', '/api/v1/devices', {
        id: 'WAIT-1',
        class: 'active',
        kind: 'e_seal',
        protocol: 'native',
        key: key.registration,
      });
      const send = (seq: number) =>
        fetch(`${node.url}/api/v1/ingest`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            messages: [signMessage(key, { device: 'WAIT-1', seq, time: new Date().toISOString(), seal: { state: 'closed' } })],
          }),
        });
      assert.equal((await (await send(1)).json()).results[0].status, 'accepted');
      await until('stored', async () =>
        (await api(node.url, 'GET', '/api/v1/devices/WAIT-1/observations')).items.length === 1 ? true : null,
      );

      // NATS killed: readiness fails naming NATS, ingest names the log, /metrics still answers.
      await nats.kill();
      const down = await until('NATS failing', async () => {
        const r = await get(`${node.url}/healthz/ready`);
        return r.status === 503 && r.body.checks.nats.status === 'failing' ? r.body : null;
      });
      assert.equal(down.checks.store.status, 'ok');
      const refused = await send(2);
      assert.equal(refused.status, 503);
      assert.equal((await refused.json()).code, 'log_unavailable');
      const metrics = await get(`${node.url}/metrics`);
      assert.equal(metrics.status, 200);
      assert.match(metrics.body, /sealwatch_health_check\{check="nats"\} 2/);

      // PostgreSQL gone too: the store check fails, /metrics still answers, SIGTERM ends the process by itself.
      await pgProxy.close();
      await until('store failing', async () =>
        (await get(`${node.url}/healthz/ready`)).body.checks.store.status === 'failing' ? true : null,
      );
      const m2 = await get(`${node.url}/metrics`);
      assert.equal(m2.status, 200);
      assert.match(m2.body, /sealwatch_collector_up\{collector="alerts_unresolved"\} 0/);
      const stopped = await node.terminate(30_000);
      assert.ok(stopped.byItself, `it stopped by itself on SIGTERM: ${node.output.slice(-2000)}`);
    } finally {
      await node.stop();
      await pgProxy.close();
      await nats.destroy();
      await ns.destroy().catch(() => undefined);
    }
  },
);

test('SIGTERM while waiting for the dependencies ends the process by itself', { timeout: 60_000 }, async () => {
  const node = new SealwatchProcess('waiting', await freePort(), {
    ...clusterNamespace(4).env,
    DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/none`,
    NATS_URL: `nats://127.0.0.1:${await freePort()}`,
    SEALWATCH_ADMIN_TOKEN: TOKEN,
  });
  await node.start({ until: 'live' });
  const stopped = await node.terminate(30_000);
  assert.deepEqual(stopped, { byItself: true, code: 0 });
});
