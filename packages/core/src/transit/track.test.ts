import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareTrack, fixesOf, sortTrack, type TrackObservation } from './track';
import type { Observation } from '../model';
import { at, buildReports, buildTrack, shuffled } from './test-builders';

test('a stored observation is a track observation as it is', () => {
  const stored = { time: at(0), device: 'LOCK-1', seq: 1, position: { lat: -1.29, lon: 36.82 } } as unknown as Observation;
  const o: TrackObservation = stored;
  assert.equal(fixesOf([o]).length, 1);
});

test('observations at the same time are ordered by device, seq and position, never by arrival', () => {
  const same = [
    ...buildTrack(
      [
        [-1.3, 36.8, 60],
        [-1.31, 36.81, 60],
      ],
      'TRACKER-2',
    ),
    ...buildTrack([[-1.3, 36.8, 60]], 'LOCK-1'),
    ...buildTrack([[-1.29, 36.79, 0]], 'TRACKER-2'),
  ];
  const order = sortTrack(same).map((o) => `${o.time}|${o.device}|${o.seq}`);
  assert.deepEqual(order, [`${at(0)}|TRACKER-2|1`, `${at(60)}|LOCK-1|1`, `${at(60)}|TRACKER-2|1`, `${at(60)}|TRACKER-2|2`]);
  for (const seed of [1, 2, 3, 4]) assert.deepEqual(sortTrack(shuffled(same, seed)), sortTrack(same));
  assert.equal(compareTrack(same[0], same[0]), 0);
});

test('sortTrack returns a copy and leaves its input alone', () => {
  const input = buildReports([120, 0, 60]);
  const sorted = sortTrack(input);
  assert.deepEqual(
    input.map((o) => o.time),
    [at(120), at(0), at(60)],
  );
  assert.deepEqual(
    sorted.map((o) => o.time),
    [at(0), at(60), at(120)],
  );
});

test('fixes leave out observations without a finite position and read a missing accuracy as 0 m', () => {
  const obs: TrackObservation[] = [
    ...buildTrack([
      [-1.3, 36.8, 0],
      [-1.31, 36.81, 60, 25],
    ]),
    ...buildReports([30]),
    { time: at(90), position: { lat: Number.NaN, lon: 36.8 } },
  ];
  assert.deepEqual(
    fixesOf(obs).map((f) => [f.t - Date.parse(at(0)), f.accuracyM]),
    [
      [0, 0],
      [60_000, 25],
    ],
  );
});
