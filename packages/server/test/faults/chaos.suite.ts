/**
 * `npm run chaos`: the fault-injection scenario (chaos-scenario.ts) in full, two rounds of
 * NATS, PostgreSQL and both killed with -9 under load, with Sealwatch processes killed during the
 * outages. CHAOS_ROUNDS and CHAOS_DEVICES change its length and load. It prints its progress and
 * ends with the figures recorded in docs/operations.md.
 */
import { test } from 'node:test';
import { runChaos } from './chaos-scenario';

const rounds = Number(process.env.CHAOS_ROUNDS ?? 2);
const devices = Number(process.env.CHAOS_DEVICES ?? 12);
// A round takes about a minute on a quiet machine; the bound leaves room for a busy one.
const limitMs = 180_000 + rounds * 240_000;

test(
  `${rounds} round(s) of NATS, PostgreSQL and both killed with -9 under load, Sealwatch killed during each outage: nothing acknowledged lost or doubled, everything resumes by itself`,
  { timeout: limitMs + 30_000 },
  async (t) => {
    const r = await runChaos({ rounds, devices, limitMs, log: (line) => console.log(line) });
    t.diagnostic(
      `chaos: ${r.acked} acknowledged, ${r.lost} lost, ${r.duplicated} stored twice; ${r.retries} requests retried ` +
        `(${JSON.stringify(r.refusals)}); ready ${r.resumeSeconds.toFixed(1)} s after the last restart; ${r.seconds.toFixed(0)} s in all`,
    );
    t.diagnostic(`resumed after (s): ${JSON.stringify(r.resumeTimes)}`);
    t.diagnostic(`health seen: ${r.healthSeen.join('; ')}`);
  },
);
