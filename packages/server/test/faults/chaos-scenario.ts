/**
 * Fault injection on a cluster of its own: a private PostgreSQL and a private NATS JetStream
 * server (never the machine's shared ones), an API+gateway process and two processors, a fleet
 * sending signed messages throughout. Each round kills, with SIGKILL and under load: NATS alone
 * (the API+gateway killed too while it is down and started again before it is back, so it must
 * start without it), PostgreSQL alone (a processor killed and started again during the outage),
 * then both at once (the other processor killed and restarted during it). Nobody intervenes
 * afterwards: every process must become ready again by itself, the partitions must be owned once
 * each, every acknowledged message must be stored exactly once, and each movement's seal_tampered
 * alert must count exactly the tamper readings stored.
 */
import assert from 'node:assert/strict';
import { freePort, SealwatchProcess } from '../harness';
import { FleetLoad, makeFleet } from '../load';
import { TOKEN, register, storedSeqs, verify } from '../fleet-checks';
import { PrivateNats, PrivatePostgres } from './services';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PARTITIONS = 4;
// A process starts in a few seconds, but the suite must pass on a machine busy with other work.
const START = { timeoutMs: 120_000 };

export interface ChaosOptions {
  /** How many times the three faults are repeated. */
  rounds: number;
  devices: number;
  /** Past this, every process started here is killed and the test process exits with a failure. */
  limitMs: number;
  log: (line: string) => void;
}

export interface ChaosResult {
  acked: number;
  stored: number;
  /** Acknowledged and not stored. */
  lost: number;
  /** Stored more than once. */
  duplicated: number;
  /** Stored without an answer having reached the device (its answer was cut by a fault): allowed. */
  storedUnanswered: number;
  retries: number;
  /** Refused ingest requests by status and problem code. */
  refusals: Record<string, number>;
  /** Each (process, check, state) seen on /healthz/ready while it ran. */
  healthSeen: string[];
  /** Seconds from the last dependency's restart until every process was ready again. */
  resumeSeconds: number;
  /** Per fault, seconds from the dependency's restart until every process was ready and messages were acknowledged again. */
  resumeTimes: Record<string, number[]>;
  seconds: number;
}

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const t0 = Date.now();
  const pg = new PrivatePostgres(await freePort());
  const nats = new PrivateNats(await freePort());
  const common = {
    DATABASE_URL: pg.url,
    NATS_URL: nats.url,
    SEALWATCH_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
    SEALWATCH_DB_SCHEMA: 'chaos',
    SEALWATCH_CLUSTER_NAME: 'chaos',
    SEALWATCH_PARTITIONS: String(PARTITIONS),
    SEALWATCH_ADMIN_TOKEN: TOKEN,
    SEALWATCH_NATS_ACK_WAIT_S: '4',
    // The whole fleet sends from 127.0.0.1: the per-address ingest limit would throttle it as one sender.
    SEALWATCH_RATE_INGEST_PER_MIN: '0',
  };
  const api = new SealwatchProcess('api-gw', await freePort(), {
    ...common,
    SEALWATCH_ROLES: 'api,gateway',
    SEALWATCH_INSTANCE_ID: 'api-gw',
  });
  const procs: SealwatchProcess[] = [];
  for (const i of [1, 2])
    procs.push(
      new SealwatchProcess(`proc-${i}`, await freePort(), { ...common, SEALWATCH_ROLES: 'processor', SEALWATCH_INSTANCE_ID: `proc-${i}` }),
    );
  const all = [api, ...procs];
  // A hard bound even if a step hangs: kill what was started here (the exit hooks of the harness
  // and of services.ts SIGKILL every process still running) and fail.
  const watchdog = setTimeout(() => {
    o.log(`[chaos] not finished within ${o.limitMs / 1000} s: killing its processes and failing`);
    for (const node of all) o.log(`--- ${node.name} (last lines)\n${node.output.slice(-2000)}`);
    process.exit(1);
  }, o.limitMs);
  watchdog.unref();
  let load: FleetLoad | null = null;
  const say = (m: string) =>
    o.log(`[chaos +${((Date.now() - t0) / 1000).toFixed(1)} s] ${m}${load ? ` (acked so far: ${load.ackedCount})` : ''}`);
  const healthSeen = new Set<string>();
  let watching = true;
  const watch = watchHealth(all, healthSeen, () => watching);
  try {
    await pg.start();
    await nats.start();
    say(`private PostgreSQL on port ${pg.port}, private NATS on port ${nats.port}`);
    await api.start(START);
    await Promise.all(procs.map((p) => p.start(START)));
    say('cluster ready: api-gw, proc-1, proc-2');
    const fleet = makeFleet(o.devices, 'CHAOS');
    const movementOf = await register(api.url, fleet);
    load = new FleetLoad(fleet, () => [api.url]);
    load.start();
    await sleep(2000);

    const resumeTimes: Record<string, number[]> = {};
    /**
     * After a fault: waits (bounded) until every process is ready again and the fleet's messages
     * are acknowledged again, so that the next fault also strikes under load, and notes how long.
     */
    const resumed = async (fault: string, since: number) => {
      const before = load!.ackedCount;
      for (const node of all) await readyAgain(node);
      for (let i = 0; load!.ackedCount < before + 50; i++) {
        if (i > 1200) throw new Error(`ingest did not resume after ${fault}: ${JSON.stringify([...load!.codes])}`);
        await sleep(100);
      }
      const s = (Date.now() - since) / 1000;
      (resumeTimes[fault] ??= []).push(s);
      say(`resumed by itself ${s.toFixed(1)} s after ${fault} came back`);
    };
    let lastRestart = 0;
    for (let round = 1; round <= o.rounds; round++) {
      say(`round ${round}/${o.rounds}: NATS killed -9`);
      await nats.kill();
      await sleep(1500);
      say('api-gw killed -9 during the NATS outage, started again while it lasts');
      await api.kill();
      await api.start({ until: 'live', ...START });
      await sleep(1500);
      await nats.start();
      say('NATS started again on its storage');
      await resumed('NATS', Date.now());

      say(`round ${round}/${o.rounds}: PostgreSQL killed -9`);
      await pg.kill();
      await sleep(1500);
      say('proc-1 killed -9 during the PostgreSQL outage, started again while it lasts');
      await procs[0].kill();
      await procs[0].start({ until: 'live', ...START });
      await sleep(1500);
      await pg.start();
      say('PostgreSQL started again on its data');
      await resumed('PostgreSQL', Date.now());

      say(`round ${round}/${o.rounds}: NATS and PostgreSQL killed -9 at once`);
      await Promise.all([nats.kill(), pg.kill()]);
      await sleep(1500);
      say('proc-2 killed -9 during the double outage, started again while it lasts');
      await procs[1].kill();
      await procs[1].start({ until: 'live', ...START });
      await sleep(1500);
      await Promise.all([nats.start(), pg.start()]);
      lastRestart = Date.now();
      say('NATS and PostgreSQL started again');
      await resumed('NATS and PostgreSQL', lastRestart);
    }

    await load.stop();
    say('load stopped; waiting for every process to be ready by itself');
    for (const node of all) await readyAgain(node);
    const resumeSeconds = (Date.now() - lastRestart) / 1000;
    say(`every process ready again (${resumeSeconds.toFixed(1)} s after the last restart)`);
    await partitionsOwnedOnce(procs);
    say('every partition owned by exactly one processor');
    watching = false;
    await watch;

    const tally = await tallyStorage(api.url, load);
    say(
      `acknowledged ${tally.acked}, stored ${tally.stored}, lost ${tally.lost}, stored twice ${tally.duplicated}, stored without an answer ${tally.storedUnanswered}`,
    );
    const result: ChaosResult = {
      ...tally,
      retries: load.retries,
      refusals: Object.fromEntries(load.codes),
      healthSeen: [...healthSeen].sort(),
      resumeSeconds,
      resumeTimes,
      seconds: (Date.now() - t0) / 1000,
    };
    assert.equal(tally.lost, 0, 'no acknowledged message lost');
    assert.equal(tally.duplicated, 0, 'no message stored twice');
    assert.ok(load.retries > 0, 'the outages interrupted requests');
    await verify(api.url, load, movementOf);
    say('storage and seal_tampered alerts match what was acknowledged');
    for (const node of all) assert.doesNotMatch(node.output, /"level":(50|60)|FATAL|ERROR /, `${node.name} logged no error`);
    return result;
  } finally {
    watching = false;
    await load?.stop();
    for (const node of all) await node.stop();
    await nats.destroy();
    await pg.destroy();
    clearTimeout(watchdog);
  }
}

async function readyAgain(node: SealwatchProcess): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const r = await fetch(`${node.url}/healthz/ready`).catch(() => null);
    if (r?.status === 200) return;
    await r?.body?.cancel();
    await sleep(100);
  }
  throw new Error(`${node.name} did not become ready again: ${node.output.slice(-3000)}`);
}

/** Waits (bounded) until the processors' owned partitions cover every partition exactly once. */
async function partitionsOwnedOnce(procs: SealwatchProcess[]): Promise<void> {
  let owned: number[][] = [];
  for (let i = 0; i < 300; i++) {
    owned = await Promise.all(
      procs.map(async (p) => ((await (await fetch(`${p.url}/healthz/ready`)).json()) as { partitions?: number[] }).partitions ?? []),
    );
    const flat = owned.flat().sort((a, b) => a - b);
    if (flat.length === PARTITIONS && flat.every((p, i) => p === i)) return;
    await sleep(200);
  }
  assert.fail(`partitions not owned once each: ${JSON.stringify(owned)}`);
}

/** Polls every process's readiness and notes each (process, check, state) seen. */
async function watchHealth(nodes: SealwatchProcess[], seen: Set<string>, go: () => boolean): Promise<void> {
  while (go()) {
    await Promise.all(
      nodes.map(async (n) => {
        const r = await fetch(`${n.url}/healthz/ready`, { signal: AbortSignal.timeout(3000) }).catch(() => null);
        if (!r) return seen.add(`${n.name} (no answer)`);
        const body = (await r.json().catch(() => ({}))) as { checks?: Record<string, { status: string }>; waitingFor?: string[] };
        for (const [check, c] of Object.entries(body.checks ?? {})) seen.add(`${n.name} ${check} ${c.status}`);
        for (const w of body.waitingFor ?? []) seen.add(`${n.name} waiting for ${w}`);
      }),
    );
    await sleep(500);
  }
}

/** Waits (bounded) for the processors to store what was acknowledged, then counts per device. */
async function tallyStorage(url: string, load: FleetLoad) {
  const t = { acked: 0, stored: 0, lost: 0, duplicated: 0, storedUnanswered: 0 };
  for (const [device, acked] of load.acked) {
    let seqs = await storedSeqs(url, device);
    for (const end = Date.now() + 60_000; new Set(seqs).size < acked.size && Date.now() < end; seqs = await storedSeqs(url, device))
      await sleep(250);
    const stored = new Set(seqs);
    t.acked += acked.size;
    t.stored += seqs.length;
    t.duplicated += seqs.length - stored.size;
    t.lost += [...acked].filter((s) => !stored.has(s)).length;
    t.storedUnanswered += [...stored].filter((s) => !acked.has(s)).length;
  }
  return t;
}
