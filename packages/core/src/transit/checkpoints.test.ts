import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkpointFindings, type Checkpoint, type CheckpointMissed, type CheckpointUnexpected } from './checkpoints';
import type { ReadObservation } from './device-cloned';
import { at, shuffled } from './test-builders';

const h = 3600;
const SEAL = '3074257bf7194e4000001a85';
/** Mombasa port gate → Mariakani weighbridge → Voi → Malaba border, with deadlines for the last two. */
const itinerary: Checkpoint[] = [
  { readerId: 'RD-PORT', order: 1, name: 'Mombasa port gate' },
  { readerId: 'RD-MARIAKANI', order: 2 },
  { readerId: 'RD-VOI', order: 3, expectedBy: at(6 * h) },
  { readerId: 'RD-MALABA', order: 4, expectedBy: at(30 * h) },
];
/** Narrows a finding to a checkpoint_missed (and checks that it is one). */
const missed = (f: CheckpointMissed | CheckpointUnexpected): CheckpointMissed => {
  assert.equal(f.type, 'checkpoint_missed');
  return f as CheckpointMissed;
};
let seq = 0;
/** A reader's report at `s` seconds with the tags it read (each read a second before the report). */
const read = (reader: string, s: number, epcs: string[] = [SEAL]): ReadObservation => ({
  time: at(s),
  device: reader,
  seq: ++seq,
  position: null,
  reads: epcs.map((epc) => ({ epc, time: at(s - 1) })),
});

test('a seal read at every checkpoint in order, in time, misses nothing', () => {
  const obs = [read('RD-PORT', 60), read('RD-MARIAKANI', h), read('RD-VOI', 4 * h), read('RD-MALABA', 20 * h)];
  assert.deepEqual(checkpointFindings(itinerary, [SEAL], obs, at(40 * h)), []);
});

test('Mariakani skipped: missed when Voi reads the seal, dated at that read', () => {
  const obs = [read('RD-PORT', 60), read('RD-VOI', 4 * h)];
  const [f, ...more] = checkpointFindings(itinerary, [SEAL], obs, at(5 * h));
  assert.equal(more.length, 0);
  assert.deepEqual([f.type, f.time], ['checkpoint_missed', at(4 * h - 1)]);
  assert.deepEqual(f.details, {
    readerId: 'RD-MARIAKANI',
    order: 2,
    name: null,
    reasons: ['skipped'],
    expectedBy: null,
    laterCheckpoint: { readerId: 'RD-VOI', order: 3, readAt: at(4 * h - 1) },
    readAt: null,
  });
});

test('a checkpoint read only after a later one is skipped too, and says when it was read', () => {
  const obs = [read('RD-PORT', 60), read('RD-VOI', 4 * h), read('RD-MARIAKANI', 5 * h)];
  const f = missed(checkpointFindings(itinerary, [SEAL], obs, at(5 * h))[0]);
  assert.deepEqual([f.details.readerId, f.details.reasons, f.details.readAt], ['RD-MARIAKANI', ['skipped'], at(5 * h - 1)]);
});

test('Voi not read by its deadline is overdue at the deadline, not before; a later read keeps it missed', () => {
  const obs = [read('RD-PORT', 60), read('RD-MARIAKANI', h)];
  assert.deepEqual(checkpointFindings(itinerary, [SEAL], obs, at(6 * h)), []);
  const [first, ...more] = checkpointFindings(itinerary, [SEAL], obs, at(6 * h + 1));
  assert.equal(more.length, 0);
  const f = missed(first);
  assert.deepEqual([f.time, f.details.readerId, f.details.reasons, f.details.laterCheckpoint], [at(6 * h), 'RD-VOI', ['overdue'], null]);
  const late = checkpointFindings(itinerary, [SEAL], [...obs, read('RD-VOI', 7 * h)], at(8 * h));
  assert.deepEqual(
    late.map(missed).map((x) => [x.time, x.details.readerId, x.details.readAt]),
    [[at(6 * h), 'RD-VOI', at(7 * h - 1)]],
  );
});

test('skipped and overdue at once is one finding with both reasons, dated at the earlier evidence', () => {
  const obs = [read('RD-PORT', 60), read('RD-MARIAKANI', h), read('RD-MALABA', 10 * h)];
  const [first, ...more] = checkpointFindings(itinerary, [SEAL], obs, at(12 * h));
  assert.equal(more.length, 0);
  const f = missed(first);
  assert.deepEqual([f.time, f.details.readerId, f.details.reasons], [at(6 * h), 'RD-VOI', ['skipped', 'overdue']]);
});

test('a read at a reader of no checkpoint is checkpoint_unexpected at its first read; other tags and future reads do not count', () => {
  const obs = [
    read('RD-PORT', 60),
    read('RD-MARIAKANI', h),
    read('RD-VOI', 4 * h),
    read('RD-KIBWEZI', 3 * h, [SEAL.toUpperCase()]),
    read('RD-KIBWEZI', 3 * h + 120),
    read('RD-NAIVASHA', 5 * h, ['other']),
    read('RD-MALABA', 50 * h),
  ];
  const got = checkpointFindings(itinerary, [SEAL], obs, at(10 * h));
  assert.deepEqual(got, [
    {
      type: 'checkpoint_unexpected',
      time: at(3 * h - 1),
      details: { readerId: 'RD-KIBWEZI', epcs: [SEAL], reads: 2, lastReadAt: at(3 * h + 119) },
    },
  ]);
});

test('the findings are the same in order and shuffled; reads delivered late retract a skip', () => {
  const obs = [read('RD-PORT', 60), read('RD-VOI', 4 * h), read('RD-KIBWEZI', 3 * h), read('RD-MALABA', 40 * h), read('RD-PORT', 90)];
  const inOrder = checkpointFindings(itinerary, [SEAL], obs, at(41 * h));
  assert.deepEqual(
    inOrder.map((f) => [f.time, f.type, f.details.readerId]),
    [
      [at(3 * h - 1), 'checkpoint_unexpected', 'RD-KIBWEZI'],
      [at(4 * h - 1), 'checkpoint_missed', 'RD-MARIAKANI'],
      [at(30 * h), 'checkpoint_missed', 'RD-MALABA'],
    ],
  );
  for (const seed of [51, 52, 53, 54, 55])
    assert.deepEqual(checkpointFindings(itinerary, [SEAL], shuffled(obs, seed), at(41 * h)), inOrder);
  const buffered = checkpointFindings(itinerary, [SEAL], [...obs, read('RD-MARIAKANI', 2 * h)], at(41 * h));
  assert.deepEqual(
    buffered.map((f) => f.details.readerId),
    ['RD-KIBWEZI', 'RD-MALABA'],
  );
});
