import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMovementAction, isInTransitAt } from './movement-lifecycle';
import { DomainError } from '../errors';
import type { Movement } from '../model';
import { asMovementId, asOfficeCode, toTimestamp } from '../ids';

const buildMovement = (o: Partial<Movement> = {}): Movement => ({
  id: asMovementId('m1'),
  reference: 'MRN1',
  container: 'CSQU3054383',
  vehicle: null,
  trader: null,
  devices: [],
  seals: [],
  departureOffice: asOfficeCode('A'),
  destinationOffice: asOfficeCode('B'),
  route: null,
  corridorWidthM: 2000,
  authorizedStops: [],
  timeLimit: null,
  sensorThresholds: [],
  checkpoints: [],
  status: 'declared',
  createdAt: toTimestamp('2026-11-26T08:00:00Z'),
  startedAt: null,
  arrivedAt: null,
  endedAt: null,
  updatedAt: toTimestamp('2026-11-26T08:00:00Z'),
  ...o,
});
const now = toTimestamp('2026-11-26T12:00:00Z');

test('start, arrive, end walk the lifecycle and record the given times', () => {
  let m = buildMovement();
  m = applyMovementAction(m, 'start', now, toTimestamp('2026-11-26T09:00:00Z')).movement;
  assert.equal(m.status, 'in_transit');
  assert.equal(m.startedAt, '2026-11-26T09:00:00.000Z');
  const arrived = applyMovementAction(m, 'arrive', now);
  assert.equal(arrived.event, 'movement_arrived');
  assert.equal(arrived.movement.arrivedAt, now);
  m = applyMovementAction(arrived.movement, 'end', now).movement;
  assert.equal(m.status, 'ended');
});

test('a movement cannot arrive before it started, nor end before it arrived', () => {
  assert.throws(
    () => applyMovementAction(buildMovement(), 'arrive', now),
    (e) => e instanceof DomainError && e.code === 'invalid_transition',
  );
  const started = applyMovementAction(buildMovement(), 'start', now, toTimestamp('2026-11-26T09:00:00Z')).movement;
  assert.throws(
    () => applyMovementAction(started, 'end', now),
    (e) => e instanceof DomainError && e.code === 'invalid_transition',
  );
});

test('a recorded time far in the future or before the previous step is invalid_time', () => {
  assert.throws(
    () => applyMovementAction(buildMovement(), 'start', now, toTimestamp('2026-11-26T13:00:00Z')),
    (e) => e instanceof DomainError && e.code === 'invalid_time',
  );
  const started = applyMovementAction(buildMovement(), 'start', now, toTimestamp('2026-11-26T09:00:00Z')).movement;
  assert.throws(
    () => applyMovementAction(started, 'arrive', now, toTimestamp('2026-11-26T08:30:00Z')),
    (e) => e instanceof DomainError && e.code === 'invalid_time',
  );
});

test('a recorded time ahead of the clock beyond a minute is invalid_time; within it, the step is recorded at now', () => {
  const ahead = (ms: number) => toTimestamp(Date.parse(now) + ms);
  const started = applyMovementAction(buildMovement(), 'start', now, toTimestamp('2026-11-26T09:00:00Z')).movement;
  const arrived = applyMovementAction(started, 'arrive', now, toTimestamp('2026-11-26T10:00:00Z')).movement;
  assert.throws(
    () => applyMovementAction(arrived, 'end', now, ahead(4 * 60_000)),
    (e) => e instanceof DomainError && e.code === 'invalid_time',
  );
  const ended = applyMovementAction(arrived, 'end', now, ahead(30_000));
  assert.equal(ended.time, now, 'an end a few seconds ahead is not left running into the future');
  assert.equal(ended.movement.endedAt, now);
});

test('in transit at a time between departure and arrival, judged by the observation time', () => {
  const m = buildMovement({
    status: 'arrived',
    startedAt: toTimestamp('2026-11-26T09:00:00Z'),
    arrivedAt: toTimestamp('2026-11-26T11:00:00Z'),
  });
  assert.equal(isInTransitAt(m, toTimestamp('2026-11-26T10:00:00Z')), true);
  assert.equal(isInTransitAt(m, toTimestamp('2026-11-26T11:30:00Z')), false);
  assert.equal(isInTransitAt(m, toTimestamp('2026-11-26T08:30:00Z')), false);
  assert.equal(isInTransitAt(buildMovement(), now), false);
});
