import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adviseDeviceClass, defaultDeviceCostModel, deviceCostModelSchema } from './device-advice';

const shortTrip = { distanceKm: 500, durationH: 10, readersOnRoute: 4 };

test('a low-risk movement is advised the passive seal, 31.25 cheaper than the active e-lock', () => {
  const a = adviseDeviceClass(5, shortTrip);
  assert.equal(a.recommended, 'passive');
  assert.deepEqual(
    a.options.map((o) => [o.deviceClass, o.expectedCost, o.savingVsMostExpensive]),
    [
      ['passive', 14.75, 31.25],
      ['semi_active', 25, 21],
      ['active', 46, 0],
    ],
  );
  const passive = a.options[0];
  assert.deepEqual(
    [passive.rental, passive.infrastructure, passive.inspectionProbability, passive.expectedInspectionCost],
    [3, 2, 0.0325, 9.75],
  );
});

test('a high-risk long trip with sparse readers is advised the active e-lock, saving 51.5', () => {
  const a = adviseDeviceClass(60, { distanceKm: 1200, durationH: 30, readersOnRoute: 4 });
  assert.equal(a.recommended, 'active');
  assert.equal(a.inspectionProbabilityWithout, 0.6);
  assert.deepEqual(
    a.options.map((o) => [o.deviceClass, o.expectedCost, o.inspectionProbability]),
    [
      ['active', 102, 0.09],
      ['semi_active', 147, 0.42],
      ['passive', 153.5, 0.495],
    ],
  );
  assert.equal(a.options[0].savingVsMostExpensive, 51.5);
  assert.equal(a.options[0].rental, 60, 'two started days of rental');
});

test('the advice climbs from passive to semi-active to active as the risk rises, never back', () => {
  const rec = [0, 10, 20, 25, 30, 50, 90].map((s) => adviseDeviceClass(s, shortTrip).recommended);
  assert.deepEqual(rec, ['passive', 'passive', 'semi_active', 'semi_active', 'active', 'active', 'active']);
});

test('no device avoids the random rate', () => {
  for (const o of adviseDeviceClass(0, shortTrip).options) assert.equal(o.inspectionProbability, defaultDeviceCostModel.randomRate);
});

test('without readers on the route, passive and semi-active are infeasible and ranked last', () => {
  const a = adviseDeviceClass(5, { distanceKm: 300, durationH: 6, readersOnRoute: 0 });
  assert.equal(a.recommended, 'active');
  assert.deepEqual(
    a.options.map((o) => [o.deviceClass, o.feasible, o.savingVsMostExpensive]),
    [
      ['active', true, 0],
      ['passive', false, 0],
      ['semi_active', false, 0],
    ],
  );
});

test("the cost model is the administration's: its schema accepts the default and rejects nonsense", () => {
  assert.equal(deviceCostModelSchema.safeParse(JSON.parse(JSON.stringify(defaultDeviceCostModel))).success, true);
  const bad = { ...defaultDeviceCostModel, currency: 'dollars', inspectionCost: -1 };
  const r = deviceCostModelSchema.safeParse(bad);
  assert.equal(r.success, false);
  if (!r.success) assert.deepEqual(r.error.issues.map((i) => i.path.join('.')).sort(), ['currency', 'inspectionCost']);
  const dear = adviseDeviceClass(5, shortTrip, {
    ...defaultDeviceCostModel,
    classes: { ...defaultDeviceCostModel.classes, passive: { ...defaultDeviceCostModel.classes.passive, perTrip: 100 } },
  });
  assert.equal(dear.recommended, 'semi_active');
});
