import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidContainerNumber } from '@sealwatch/core';
import type { IngestResult } from './client';
import { fakeApi } from './fake-api';
import { corridors, offices } from './corridors';
import { deriveDemoKey } from './signer';
import { startDemo, summarise, type DemoOptions } from './demo';
import { distanceM } from '@sealwatch/core';

const T0 = Date.parse('2026-11-26T03:00:00.000Z');

/** A clock and a one-shot timer the test advances by hand. */
function fakeClock() {
  let t = T0;
  let next: { fn: () => void; ms: number } | null = null;
  return {
    now: () => t,
    setTimer: (fn: () => void, ms: number) => (next = { fn, ms }),
    clearTimer: (h: unknown) => {
      if (h === next) next = null;
    },
    pending: () => next !== null,
    /** Fires the timer and waits until the demo has finished that round and set the next timer. */
    async tick() {
      const n = next;
      assert.ok(n, 'the demo set no timer');
      next = null;
      t += n.ms;
      n.fn();
      for (let i = 0; !next && i < 1000; i++) await new Promise((r) => setImmediate(r));
      assert.ok(next, 'the demo did not schedule its next round');
    },
  };
}

async function runDemo(
  opts: {
    lastSeqs?: Record<string, number>;
    lastTimes?: Record<string, string>;
    departedAgoS?: DemoOptions['departedAgoS'];
    seedState?: (s: ReturnType<typeof fakeApi>['state']) => void;
  } = {},
) {
  const clock = fakeClock();
  const { api, state } = fakeApi(clock, opts.lastSeqs, opts.lastTimes);
  opts.seedState?.(state);
  const lines: string[] = [];
  const demo = await startDemo({
    client: api,
    seed: 'test-seed',
    log: (l) => lines.push(l),
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    departedAgoS: opts.departedAgoS,
  });
  return { clock, state, lines, demo };
}

test('registers the offices and one keyed device per corridor, then declares a movement each that departed hours ago', async () => {
  const { state, lines, demo } = await runDemo();
  assert.deepEqual([...state.offices.keys()].sort(), offices.map((o) => o.code).sort());
  assert.deepEqual([...state.devices.keys()].sort(), ['KE-ELOCK-0001', 'NL-ESEAL-0001', 'TZ-ESEAL-0001']);
  const lock = state.devices.get('KE-ELOCK-0001');
  assert.deepEqual(lock?.key, deriveDemoKey('test-seed', 'KE-ELOCK-0001', 'EdDSA').registration);
  assert.equal(lock?.kind, 'e_lock');
  assert.equal(lock?.reportIntervalS, 60, 'registered at the interval of its history reports');
  assert.equal(state.devices.get('NL-ESEAL-0001')?.key?.alg, 'ES256');
  assert.equal(state.devices.get('TZ-ESEAL-0001')?.key?.alg, 'HS256');
  assert.equal(state.movements.length, 3);
  const hoursAgo: Record<string, number> = { 'MSA-KLA': 5, 'RTM-MIL': 6, 'DAR-KGL': 4 };
  for (const m of state.movements) {
    assert.equal(state.custody.get(m.devices[0]), m.trader, 'each device is in the custody of the trader whose movement it seals');
    assert.equal(m.status, 'in_transit');
    const corridor = corridors.find((c) => m.reference.includes(c.id))!;
    const departure = T0 - hoursAgo[corridor.id] * 3_600_000;
    assert.equal(m.reference, `DEMO-${corridor.id}-${new Date(departure).toISOString().replace(/[-:T]/g, '').slice(0, 14)}`);
    assert.equal(m.startedAt, new Date(departure).toISOString(), 'started when it departed, hours ago');
    assert.equal(isValidContainerNumber(m.container), true, m.container);
    assert.deepEqual(m.route, corridor.route);
    assert.equal(m.departureOffice, corridor.departureOffice);
    assert.ok(Date.parse(m.timeLimit) > T0 + 6 * 3_600_000);
    assert.ok(m.seals.length >= 1 && m.authorizedStops.length >= 1 && m.corridorWidthM >= 1000);
    const sent = state.received.filter((p) => p.device === m.devices[0]);
    assert.equal(sent.length, hoursAgo[corridor.id] * 60 + 1, 'a report a minute since departure, then the first live one');
    assert.equal(sent[0].time, new Date(departure).toISOString());
    assert.equal(sent.at(-1)!.time, new Date(T0).toISOString());
  }
  assert.equal(lines.filter((l) => /departed \d h 00 min ago \(\d+ reports of history\)/.test(l)).length, 3, lines.join('\n'));
  await demo.stop();
});

test("a restart departs after the device's last report, so an earlier run's track never overlaps the new trip", async () => {
  const last = new Date(T0 - 10 * 60_000).toISOString();
  const { state, demo } = await runDemo({ lastSeqs: { 'NL-ESEAL-0001': 900 }, lastTimes: { 'NL-ESEAL-0001': last } });
  await demo.stop();
  const nl = state.received.filter((p) => p.device === 'NL-ESEAL-0001');
  assert.equal(nl[0].seq, 901);
  assert.equal(nl[0].time, new Date(T0 - 9 * 60_000).toISOString());
  assert.equal(nl.length, 10);
});

test("seq continues after the server's last seq and rises by one per message", async () => {
  const { clock, state, demo } = await runDemo({ lastSeqs: { 'KE-ELOCK-0001': 41 } });
  for (let i = 0; i < 5; i++) await clock.tick();
  await demo.stop();
  const seqs = (device: string) => state.received.filter((p) => p.device === device).map((p) => p.seq);
  const ke = seqs('KE-ELOCK-0001');
  assert.equal(ke[0], 42);
  assert.ok(
    ke.every((s, i) => s === 42 + i),
    'one more per message, history and live alike',
  );
  assert.equal(ke.length, 5 * 60 + 6);
  assert.deepEqual(seqs('NL-ESEAL-0001').slice(0, 3), [1, 2, 3]);
  assert.ok(
    state.received.every((p) => p.position && p.seal),
    'every message has a position and a seal',
  );
});

test('the e-lock reports a tampered seal within the first minute, the Dar truck a cut rope about two minutes in; no time is in the future', async () => {
  const { clock, state, demo } = await runDemo();
  while (clock.now() - T0 < 150_000) await clock.tick();
  await demo.stop();
  const tampered = state.received.find((p) => p.device === 'KE-ELOCK-0001' && p.seal.state === 'tampered');
  assert.ok(tampered, 'no tampered seal');
  assert.ok(Date.parse(tampered.time) - T0 <= 60_000, `tampered at ${tampered.time}`);
  const closedAgain = state.received.find(
    (p) => p.device === 'KE-ELOCK-0001' && p.seal.state === 'closed' && Date.parse(p.time) > Date.parse(tampered.time),
  );
  assert.ok(closedAgain, 'the lock never closed again');
  const cut = state.received.find((p) => p.device === 'TZ-ESEAL-0001' && p.seal.rope === 'cut');
  assert.ok(cut && cut.seal.state === 'open', 'no cut rope');
  assert.ok(Math.abs(Date.parse(cut.time) - T0 - 120_000) <= 2000, `rope cut at ${cut.time}`);
  assert.ok(
    state.received.filter((p) => p.device === 'NL-ESEAL-0001').every((p) => p.seal.state === 'closed'),
    'Rotterdam–Milan stays clean',
  );
  assert.deepEqual(state.notAccepted, [], 'every message accepted: signed right, seq new, time not ahead of the clock');
  assert.ok(state.received.length >= 3 * 75);
});

test('positions move along the route from the departure office, never faster than a truck', async () => {
  const { clock, state, demo } = await runDemo();
  for (let i = 0; i < 30; i++) await clock.tick();
  await demo.stop();
  const reports = state.received.filter((p) => p.device === 'NL-ESEAL-0001');
  const track = reports.map((p) => p.position);
  assert.ok(Math.abs(track[0].lat - 51.955) < 0.01 && Math.abs(track[0].lon - 4.045) < 0.01, 'departed from Maasvlakte');
  assert.ok(track[track.length - 1].lon > track[0].lon + 1, 'hours down the road now');
  let fastest = 0;
  for (let i = 1; i < reports.length; i++) {
    const dtS = (Date.parse(reports[i].time) - Date.parse(reports[i - 1].time)) / 1000;
    assert.ok(dtS > 0, 'times only go forward');
    fastest = Math.max(fastest, (distanceM(track[i - 1], track[i]) / dtS) * 3.6);
  }
  assert.ok(fastest < 110, `implied speed up to ${fastest.toFixed(0)} km/h`);
});

test('movements left open by an earlier run are ended; others are left alone', async () => {
  const base = {
    container: 'MSKU9070323',
    devices: ['X'],
    seals: [],
    departureOffice: 'A',
    destinationOffice: 'B',
    route: corridors[0].route,
    corridorWidthM: 2000,
    authorizedStops: [],
    timeLimit: '2026-12-01T00:00:00.000Z',
  };
  const { state, lines, demo } = await runDemo({
    seedState: (s) =>
      s.movements.push(
        { ...base, id: 'old-1', reference: 'DEMO-MSA-KLA-20261125000000', status: 'in_transit' },
        { ...base, id: 'old-2', reference: 'DEMO-RTM-MIL-20261125000000', status: 'declared' },
        { ...base, id: 'real-1', reference: '26KE1234567890ABC1', status: 'in_transit' },
      ),
  });
  await demo.stop();
  assert.equal(state.movements.find((m) => m.id === 'old-1')?.status, 'ended');
  assert.equal(state.movements.find((m) => m.id === 'old-2')?.status, 'ended');
  assert.equal(state.movements.find((m) => m.id === 'real-1')?.status, 'in_transit');
  assert.ok(lines.some((l) => l.includes('DEMO-MSA-KLA-20261125000000')));
});

test('at the end of a trip the movement is arrived and ended and a new one starts on the same route', async () => {
  const { clock, state, demo } = await runDemo({ departedAgoS: (_v, durationS) => durationS }); // a minute of road left
  for (let i = 0; i < 35; i++) await clock.tick();
  await demo.stop();
  const msa = state.movements.filter((m) => m.reference.startsWith('DEMO-MSA-KLA-'));
  assert.ok(msa.length >= 2, `only ${msa.length} Mombasa movements`);
  assert.equal(msa[0].status, 'ended');
  assert.equal(msa[msa.length - 1].status, 'in_transit');
  assert.equal(new Set(msa.map((m) => m.reference)).size, msa.length);
});

test('a failed send is logged, not thrown, and the same messages are sent again', async () => {
  const { clock, state, lines, demo } = await runDemo();
  state.failNextIngest = true;
  await clock.tick();
  const failed = state.ingestCalls[state.ingestCalls.length - 1];
  await clock.tick();
  const retried = state.ingestCalls[state.ingestCalls.length - 1];
  await demo.stop();
  assert.ok(
    lines.some((l) => /sending 3 messages failed.*ECONNREFUSED/.test(l)),
    lines.join('\n'),
  );
  assert.deepEqual(retried.slice(0, failed.length), failed);
  assert.equal(retried.length, failed.length + 3);
});

test('stop clears the timer', async () => {
  const { clock, demo } = await runDemo();
  assert.equal(clock.pending(), true);
  await demo.stop();
  assert.equal(clock.pending(), false);
});

test('stop waits for a send in flight and schedules nothing after it', async () => {
  const { clock, state, demo } = await runDemo();
  let release = () => {};
  state.gate = new Promise<void>((r) => (release = r));
  const before = state.received.length;
  void clock.tick().catch(() => {}); // the round blocks in ingest, so no next timer yet
  await new Promise((r) => setImmediate(r));
  let stopped = false;
  const stopping = demo.stop().then(() => (stopped = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(stopped, false, 'stop returned while a send was in flight');
  release();
  await stopping;
  assert.equal(state.received.length, before + 3);
  assert.equal(clock.pending(), false);
});

test('summarise reports non-accepted results in one line', () => {
  assert.equal(summarise([{ device: 'A', seq: 1, status: 'accepted' }]), '');
  const line = summarise([
    { device: 'A', seq: 1, status: 'accepted' },
    { device: 'A', seq: 2, status: 'rejected', reason: 'bad_signature' },
    { device: 'B', seq: 9, status: 'duplicate' },
  ]);
  assert.match(line, /^2 of 3 messages not accepted: 1 rejected bad_signature, 1 duplicate; first A#2/);
  assert.ok(!line.includes('\n'));
});
