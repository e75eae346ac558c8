/**
 * Fault injection on a cluster of its own (`npm run chaos`; NOT YET PASSING: its first run did not finish in 15 minutes, see docs/operations.md): a private PostgreSQL and a private
 * NATS JetStream server, an API+gateway process and two processors, a fleet sending signed
 * messages throughout. Under that load NATS is killed with SIGKILL and restarted, then
 * PostgreSQL, then both at once; a processor is killed while PostgreSQL is down and started
 * again while it still is (it must wait, not exit). Nobody intervenes afterwards: every
 * process must resume by itself (ready again), every acknowledged message must be stored exactly
 * once, and each movement's seal_tampered alert must count exactly the tamper readings stored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, SealwatchProcess } from '../harness';
import { FleetLoad, makeFleet } from '../load';
import { TOKEN, register, verify } from '../fleet-checks';
import { PrivateNats, PrivatePostgres } from './services';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readyAgain(node: SealwatchProcess): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const r = await fetch(`${node.url}/healthz/ready`).catch(() => null);
    if (r?.status === 200) return;
    await sleep(100);
  }
  throw new Error(`${node.name} did not become ready again: ${node.output.slice(-3000)}`);
}

test(
  'NATS, PostgreSQL and both killed with -9 under load, a processor restarted during the outage: nothing acknowledged lost or doubled, everything resumes by itself',
  { timeout: 900_000 },
  async () => {
    const pg = new PrivatePostgres(await freePort());
    const nats = new PrivateNats(await freePort());
    await pg.start();
    await nats.start();
    const common = {
      DATABASE_URL: pg.url,
      NATS_URL: nats.url,
      SEALWATCH_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
      SEALWATCH_DB_SCHEMA: 'chaos',
      SEALWATCH_CLUSTER_NAME: 'chaos',
      SEALWATCH_PARTITIONS: '4',
      SEALWATCH_ADMIN_TOKEN: TOKEN,
      SEALWATCH_NATS_ACK_WAIT_S: '4',
    };
    const api = new SealwatchProcess('api-gw', await freePort(), {
      ...common,
      SEALWATCH_ROLES: 'api,gateway',
      SEALWATCH_INSTANCE_ID: 'api-gw',
    });
    const procs = await Promise.all(
      [1, 2].map(
        async (i) =>
          new SealwatchProcess(`proc-${i}`, await freePort(), {
            ...common,
            SEALWATCH_ROLES: 'processor',
            SEALWATCH_INSTANCE_ID: `proc-${i}`,
          }),
      ),
    );
    const all = [api, ...procs];
    try {
      await api.start();
      await Promise.all(procs.map((p) => p.start()));
      const fleet = makeFleet(6, 'CHAOS');
      const movementOf = await register(api.url, fleet);
      const load = new FleetLoad(fleet, () => [api.url]);
      load.start();
      await sleep(2000);

      // 1. NATS killed, restarted on the same storage.
      await nats.kill();
      await sleep(3000);
      await nats.start();
      await sleep(3000);

      // 2. PostgreSQL killed; a processor killed during the outage and started while it lasts.
      await pg.kill();
      await sleep(1500);
      await procs[0].kill();
      await procs[0].start({ until: 'live' });
      await sleep(1500);
      await pg.start();
      await sleep(3000);

      // 3. Both at once.
      await Promise.all([nats.kill(), pg.kill()]);
      await sleep(3000);
      await Promise.all([nats.start(), pg.start()]);
      await sleep(3000);

      await load.stop();
      for (const node of all) await readyAgain(node);
      assert.ok(load.retries > 0, 'the outages interrupted requests');
      await verify(api.url, load, movementOf);
      for (const node of all) assert.doesNotMatch(node.output, /"level":(50|60)|FATAL|ERROR /, `${node.name} logged no error`);
    } finally {
      for (const node of all) await node.stop();
      await nats.destroy();
      await pg.destroy();
    }
  },
);
