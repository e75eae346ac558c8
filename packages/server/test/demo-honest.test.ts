/**
 * The demo tells the truth: its first ten minutes, run on a real platform, open the incidents it
 * scripts (the e-lock's tamper within the first minute, the Dar truck's rope cut) and nothing
 * else; the clean Rotterdam–Milan trip stays clean. Fast-forward is by backfill, not by clock
 * compression: the trucks' hours of history arrive at the start as store-and-forward, then the
 * platform and the demo share one clock that the test moves 2 s per round, each round's reports
 * made at that time and at road speed; the transit detectors run every 30 s of that time, as on the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert, Incident } from '@sealwatch/core';
import { seedDemoParties, SealwatchClient, startDemo } from '@sealwatch/sim';
import { injectFetch } from '../src/cli/inject-fetch';
import { startTestPlatform, TEST_TOKEN } from '../src/testing/test-platform';

test("the demo's first 10 minutes open only the scripted incidents; Rotterdam–Milan stays clean", { timeout: 10 * 60_000 }, async () => {
  // One clock for the platform and the demo, moved by the test: 2 s per round, and 2 s of road per round.
  const start = Date.now();
  let t = start;
  const p = await startTestPlatform(
    { SEALWATCH_TRANSIT_EVAL_S: '0', SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_ALERT_ESCALATE_S: '0' },
    { now: () => t },
  );
  try {
    const client = new SealwatchClient(injectFetch(p.http), 'http://in-process', TEST_TOKEN);
    await seedDemoParties(client);
    let next: { fn: () => void; ms: number } | null = null;
    const lines: string[] = [];
    const demo = await startDemo({
      client,
      seed: 'honest-demo-test',
      log: (l) => lines.push(l),
      intervalMs: 2000,
      now: () => t,
      setTimer: (fn, ms) => (next = { fn, ms }),
      clearTimer: () => (next = null),
    });
    let rounds = 0;
    while (t - start < 10 * 60_000) {
      const n = next as { fn: () => void; ms: number } | null;
      assert.ok(n, 'the demo set no timer');
      next = null;
      t += n.ms;
      n.fn();
      for (let i = 0; !next && i < 100_000; i++) await new Promise((r) => setImmediate(r));
      if (++rounds % 15 === 0) {
        await p.ctx.processor.idle();
        await p.transit.evaluateAll();
      }
    }
    await demo.stop();
    await p.ctx.processor.idle();
    await p.transit.evaluateAll();
    assert.deepEqual(
      lines.filter((l) => /not accepted|failed|could not/.test(l)),
      [],
      'every message accepted, every step done',
    );

    const movements = (await p.http.inject({ method: 'GET', url: '/api/v1/movements?status=in_transit', headers: p.auth })).json()
      .items as { id: string; reference: string }[];
    const corridorOf = new Map(movements.map((m) => [m.id, m.reference.split('-').slice(1, 3).join('-')]));
    assert.equal(movements.length, 3);
    const incidents = (await p.http.inject({ method: 'GET', url: '/api/v1/incidents?limit=1000', headers: p.auth })).json()
      .items as Incident[];
    const alerts = (await p.http.inject({ method: 'GET', url: '/api/v1/alerts?limit=1000', headers: p.auth })).json().items as Alert[];
    const summary = (items: { movement: string | null }[], what: (x: never) => string) =>
      items.map((x) => `${corridorOf.get(x.movement ?? '') ?? '?'} ${what(x as never)}`).sort();
    const measured = {
      incidents: summary(incidents, (i: Incident) => `${i.code} [${i.types.join(',')}] ${i.status}`),
      alerts: summary(alerts, (a: Alert) => `${a.type}×${a.count}`),
    };
    assert.deepEqual(
      summary(
        incidents.filter((i) => i.status === 'open'),
        (i: Incident) => i.code,
      ),
      ['DAR-KGL seal_broken', 'MSA-KLA seal_broken'],
      JSON.stringify(measured, null, 1),
    );
    assert.equal(incidents.length, 2, JSON.stringify(measured, null, 1));
    assert.deepEqual(
      alerts.filter((a) => corridorOf.get(a.movement ?? '') === 'RTM-MIL'),
      [],
      'the clean trip raised nothing',
    );
    assert.ok(
      alerts.every((a) => ['seal_tampered', 'seal_opened', 'rope_cut'].includes(a.type)),
      JSON.stringify(measured, null, 1),
    );
    const tamper = incidents.find((i) => corridorOf.get(i.movement) === 'MSA-KLA')!;
    assert.ok(Date.parse(tamper.openedAt) - start <= 60_000, `the tamper happened within the first minute: ${tamper.openedAt}`);
    process.stdout.write(`# demo, first 10 minutes: ${alerts.length} alerts, ${incidents.length} incidents: ${JSON.stringify(measured)}\n`);
  } finally {
    await p.cleanup();
  }
});
