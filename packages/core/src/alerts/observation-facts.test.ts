import { test } from 'node:test';
import assert from 'node:assert/strict';
import { observationFacts, type ObservationContext } from './observation-facts';

const ctx = (over: Partial<ObservationContext> = {}): ObservationContext => ({
  previous: null,
  current: true,
  inTransit: true,
  insideDestination: false,
  ...over,
});
const brief = (fs: ReturnType<typeof observationFacts>) => fs.map((f) => `${f.type}${f.alert ? '!' : ''}`);

test('an opening in transit is an alert; after arrival inside the office of destination a plain fact', () => {
  assert.deepEqual(brief(observationFacts({ seal: { state: 'open' } }, ctx())), ['seal_opened!']);
  const atOffice = observationFacts({ seal: { state: 'open' } }, ctx({ inTransit: false, insideDestination: true }));
  assert.deepEqual(brief(atOffice), ['seal_opened']);
  assert.equal(atOffice[0].details.atDestination, true);
  assert.deepEqual(
    brief(observationFacts({ seal: { state: 'open' } }, ctx({ inTransit: false, insideDestination: false }))),
    ['seal_opened!'],
    'after arrival, outside the office',
  );
});

test('a late reading is judged against the intact baseline, not the newer state', () => {
  const previous = { seal: { state: 'open' as const }, battery: null };
  assert.deepEqual(brief(observationFacts({ seal: { state: 'open' } }, ctx({ previous }))), [], 'current: nothing changed');
  assert.deepEqual(
    brief(observationFacts({ seal: { state: 'open' } }, ctx({ previous, current: false }))),
    ['seal_opened!'],
    'late: still an opening',
  );
});

test('battery_low once on crossing, in transit and on current readings only', () => {
  assert.deepEqual(observationFacts({ battery: { level: 19 } }, ctx({ previous: { seal: null, battery: { level: 25 } } })), [
    { type: 'battery_low', details: { level: 19, voltage: null }, alert: true },
  ]);
  assert.deepEqual(brief(observationFacts({ battery: { level: 18 } }, ctx({ previous: { seal: null, battery: { level: 19 } } }))), []);
  assert.deepEqual(brief(observationFacts({ battery: { level: 19 } }, ctx({ current: false }))), []);
  assert.deepEqual(brief(observationFacts({ battery: { level: 19 } }, ctx({ inTransit: false }))), []);
});
