import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DOOR_LIGHT_LUX, sensorsOutOfRange, type SensorObservation, type SensorThreshold } from './sensor-range';
import { at, shuffled } from './test-builders';

/** Readings of one sensor every `everyS` from 0: value k at k × everyS seconds. */
const series = (sensor: string, values: readonly (number | null)[], device = 'REEFER-1', everyS = 60): SensorObservation[] =>
  values.map((v, k) => ({ time: at(k * everyS), device, seq: k + 1, sensors: v === null ? { humidity: 50 } : { [sensor]: v } }));
const reefer: SensorThreshold = { sensor: 'temperature', min: 2, max: 8 };

test('a reefer above 8 °C for 15 minutes is one episode from the first warm reading to the first cool one, with the worst value', () => {
  const temps = [4, 5, ...Array.from({ length: 16 }, (_, k) => 9 + (k === 7 ? 3.5 : k % 2)), 6, 5];
  const [e, ...more] = sensorsOutOfRange([reefer], series('temperature', temps));
  assert.equal(more.length, 0);
  assert.deepEqual([e.type, e.start, e.end], ['sensor_out_of_range', at(120), at(1080)]);
  assert.deepEqual(e.details, {
    device: 'REEFER-1',
    sensor: 'temperature',
    min: 2,
    max: 8,
    worstValue: 12.5,
    bound: 'max',
    worstAt: at(540),
    durationS: 960,
    lastOutAt: at(1020),
    confirmedAt: at(720),
    readings: 16,
  });
});

test('a 5-minute excursion is within the default 10 minutes; a 60 s minimum makes it an episode; below min counts too', () => {
  const temps = [4, 9, 9, 9, 9, 9, 9, 4];
  assert.deepEqual(sensorsOutOfRange([reefer], series('temperature', temps)), []);
  assert.equal(sensorsOutOfRange([{ ...reefer, minDurationS: 60 }], series('temperature', temps))[0].details.durationS, 360);
  const [cold] = sensorsOutOfRange([{ ...reefer, minDurationS: 0 }], series('temperature', [4, 1.5, -3, 0, 4]));
  assert.deepEqual([cold.start, cold.end, cold.details.bound, cold.details.worstValue], [at(60), at(240), 'min', -3]);
});

test('an excursion still under way at the last reading is ongoing; readings without the sensor do not break it', () => {
  const [e] = sensorsOutOfRange([reefer], series('temperature', [4, 10, null, 10, 11, null, 10, 10, 10, 10, 10, 10, 10, 10, 10]));
  assert.deepEqual([e.start, e.end, e.details.durationS, e.details.readings], [at(60), null, 780, 12]);
});

test('a shock is instantaneous: a single reading above the limit is an episode of duration 0 that has ended', () => {
  const got = sensorsOutOfRange([{ sensor: 'shock', max: 2 }], series('shock', [0.1, 0.2, 4.5, 0.1, 3, 6, 0.2, 2]));
  assert.deepEqual(
    got.map((e) => [e.start, e.end, e.details.durationS, e.details.worstValue]),
    [
      [at(120), at(120), 0, 4.5],
      [at(240), at(300), 60, 6],
    ],
  );
  const [last] = sensorsOutOfRange([{ sensor: 'shock', max: 2 }], series('shock', [0.1, 5]));
  assert.deepEqual([last.start, last.end], [at(60), at(60)]);
});

test('light inside the container above 10 lux means the door was opened', () => {
  const [e] = sensorsOutOfRange([{ sensor: 'light', max: DEFAULT_DOOR_LIGHT_LUX }], series('light', [0, 0, 350, 420, 0]));
  assert.deepEqual([e.start, e.end, e.details.doorOpened, e.details.worstValue], [at(120), at(240), true, 420]);
});

test("each device has its own episodes: a second sensor in range does not end the first one's excursion", () => {
  const a = series('temperature', [4, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 4], 'REEFER-1');
  const b = series('temperature', [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5], 'LOCK-1');
  const [e, ...more] = sensorsOutOfRange([reefer], [...a, ...b]);
  assert.equal(more.length, 0);
  assert.deepEqual([e.details.device, e.start, e.end], ['REEFER-1', at(60), at(720)]);
});

test('the episodes are the same in order and shuffled, for several thresholds and devices', () => {
  const obs = [
    ...series('temperature', [4, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 4, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12], 'REEFER-1'),
    ...series('temperature', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5], 'REEFER-2'),
    ...series('shock', [0, 3, 0, 0, 5, 5, 0], 'LOCK-1'),
  ];
  const ths: SensorThreshold[] = [reefer, { sensor: 'shock', max: 2 }];
  const inOrder = sensorsOutOfRange(ths, obs);
  assert.deepEqual(
    inOrder.map((e) => [e.details.device, e.start, e.end]),
    [
      ['REEFER-2', at(0), at(720)],
      ['LOCK-1', at(60), at(60)],
      ['REEFER-1', at(60), at(720)],
      ['LOCK-1', at(240), at(300)],
      ['REEFER-1', at(780), null],
    ],
  );
  for (const seed of [11, 12, 13, 14, 15]) assert.deepEqual(sensorsOutOfRange(ths, shuffled(obs, seed)), inOrder);
});
