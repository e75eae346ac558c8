import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addPoint,
  areaToSketch,
  emptySketch,
  handleAt,
  handlesOf,
  historyOf,
  lineToSketch,
  moveHandle,
  parseLatLon,
  push,
  removePoint,
  replace,
  rimPoint,
  sketchToArea,
  sketchToLine,
  undo,
} from './sketch';

test('three clicks make a polygon area with its ring closed; fewer are not an area yet', () => {
  let s = emptySketch('polygon');
  s = addPoint(s, [39.6, -4.0]);
  s = addPoint(s, [39.7, -4.0]);
  assert.equal(sketchToArea(s), null);
  s = addPoint(s, [39.7, -4.1]);
  assert.deepEqual(sketchToArea(s), {
    type: 'Polygon',
    coordinates: [
      [
        [39.6, -4.0],
        [39.7, -4.0],
        [39.7, -4.1],
        [39.6, -4.0],
      ],
    ],
  });
  assert.deepEqual(areaToSketch(sketchToArea(s)!), s, 'the closing vertex is dropped again when editing');
});

test('a circle takes its centre from the first point and its radius from the second, in metres', () => {
  let s = addPoint(emptySketch('circle'), [39.66, -4.05]);
  assert.equal(sketchToArea(s), null);
  s = addPoint(s, rimPoint([39.66, -4.05], 1500));
  assert.ok(Math.abs(s.radiusM - 1500) <= 1, `radius ${s.radiusM}`);
  assert.deepEqual(sketchToArea(s), { center: { lat: -4.05, lon: 39.66 }, radiusM: s.radiusM });
  // dragging the centre keeps the radius; dragging the rim handle changes it
  const moved = moveHandle(s, 0, [39.7, -4.0]);
  assert.equal(moved.radiusM, s.radiusM);
  assert.equal(handlesOf(moved).length, 2);
  assert.ok(Math.abs(moveHandle(s, 1, rimPoint([39.66, -4.05], 3000)).radiusM - 3000) <= 1);
  assert.deepEqual(removePoint(s, 0), emptySketch('circle'));
});

test('dragging a vertex moves it; undo steps back one edit, and the moves of one drag are one step', () => {
  let h = historyOf(emptySketch('line'));
  h = push(h, addPoint(h.sketch, [36.8, -1.3]));
  h = push(h, addPoint(h.sketch, [34.0, 0.5]));
  h = push(h, moveHandle(h.sketch, 1, [34.1, 0.6]));
  h = replace(h, moveHandle(h.sketch, 1, [34.2, 0.7]));
  assert.deepEqual(sketchToLine(h.sketch), {
    type: 'LineString',
    coordinates: [
      [36.8, -1.3],
      [34.2, 0.7],
    ],
  });
  h = undo(h);
  assert.deepEqual(h.sketch.points, [
    [36.8, -1.3],
    [34.0, 0.5],
  ]);
  h = undo(undo(h));
  assert.deepEqual(h.sketch.points, []);
  assert.equal(undo(h), h, 'nothing left to undo');
  assert.deepEqual(
    lineToSketch([
      [1, 2],
      [3, 4],
    ]).points,
    [
      [1, 2],
      [3, 4],
    ],
  );
});

test('typed coordinates are read latitude first; out-of-range or malformed text is refused', () => {
  assert.deepEqual(parseLatLon('-4.05, 39.66'), [39.66, -4.05]);
  assert.deepEqual(parseLatLon(' 0.5 34.1 '), [34.1, 0.5]);
  assert.deepEqual(parseLatLon('-4.05;39.66'), [39.66, -4.05]);
  assert.equal(parseLatLon('95, 10'), null);
  assert.equal(parseLatLon('10, 190'), null);
  assert.equal(parseLatLon('Mombasa'), null);
});

test('the handle under the pointer is the nearest within the tolerance', () => {
  assert.equal(
    handleAt(
      [
        [0, 0],
        [8, 0],
        [100, 100],
      ],
      [6, 0],
    ),
    1,
  );
  assert.equal(handleAt([[0, 0]], [20, 0]), -1);
});
