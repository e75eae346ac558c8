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
import { FleetLoad, makeFleet } from './load';
import { clusterNamespace } from '../src/testing/test-cluster';

import { TOKEN, register, verify } from './fleet-checks';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test(
  'embedded mode: SIGKILL during load, three times; every acknowledged message stored once, alerts exact',
  { timeout: 180_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sealwatch-crash-'));
    const node = new SealwatchProcess('embedded', await freePort(), {
      SEALWATCH_DATA_DIR: dir,
      SEALWATCH_ADMIN_TOKEN: TOKEN,
      SEALWATCH_MQTT_PORT: 'off',
    });
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
  },
);

test(
  'cluster mode: gateways and processors killed during load; every acknowledged message stored once, alerts exact',
  { timeout: 600_000 },
  async () => {
    const ns = clusterNamespace(4);
    const common = { ...ns.env, SEALWATCH_ADMIN_TOKEN: TOKEN, SEALWATCH_NATS_ACK_WAIT_S: '4' };
    const api1 = new SealwatchProcess('api-1', await freePort(), {
      ...common,
      SEALWATCH_ROLES: 'api,gateway',
      SEALWATCH_INSTANCE_ID: 'api-1',
    });
    const gw2 = new SealwatchProcess('gw-2', await freePort(), { ...common, SEALWATCH_ROLES: 'gateway', SEALWATCH_INSTANCE_ID: 'gw-2' });
    const procs = [1, 2].map(
      async (i) =>
        new SealwatchProcess(`proc-${i}`, await freePort(), {
          ...common,
          SEALWATCH_ROLES: 'processor',
          SEALWATCH_INSTANCE_ID: `proc-${i}`,
        }),
    );
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
  },
);
