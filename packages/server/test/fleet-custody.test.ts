/**
 * The simulated fleet under the custody rules, on a real platform: `simulateFleet` with movements,
 * run twice with the same seed (the devices of the first run are re-used), declares, starts and
 * ends every movement without a refusal, and every message is accepted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { offices, SealwatchClient, simulateFleet } from '@sealwatch/sim';
import { injectFetch } from '../src/cli/inject-fetch';
import { startTestPlatform, TEST_TOKEN } from '../src/testing/test-platform';

test('a simulated fleet with movements runs twice under the custody rules: every step done, every message accepted', async () => {
  let t = Date.now();
  const p = await startTestPlatform({ SEALWATCH_TRANSIT_EVAL_S: '0', SEALWATCH_AUDIT_CHECKPOINT_S: '0' }, { now: () => t });
  try {
    const client = new SealwatchClient(injectFetch(p.http), 'http://in-process', TEST_TOKEN);
    for (const o of offices) await client.createOffice(o);
    for (const run of [1, 2]) {
      const r = await simulateFleet({
        client,
        devices: 4,
        intervalMs: 1000,
        durationS: 3,
        alg: 'EdDSA',
        seed: 'fleet-custody',
        movements: true,
        now: () => t,
        sleep: async (ms) => void (t += ms),
      });
      assert.equal(r.accepted, r.sent, `run ${run}: ${JSON.stringify(r)}`);
      const ended = (await p.http.inject({ method: 'GET', url: '/api/v1/movements?status=ended&limit=100', headers: p.auth })).json();
      assert.equal(ended.items.length, 4 * run, `run ${run}: every movement started and ended`);
      t += 60_000;
    }
  } finally {
    await p.cleanup();
  }
});
