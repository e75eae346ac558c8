import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterPoints, labelGroups, pickCluster, type MapPoint } from './cluster';

const p = (id: string, x: number, y: number, state: MapPoint['state'] = 'ok'): MapPoint => ({ id, x, y, state });

test('points within one 44 px cell merge into one cluster at their mean, coloured by the worst state', () => {
  // k = 44: a cell is one world unit
  const clusters = clusterPoints([p('a', 10.1, 10.1), p('b', 10.5, 10.3, 'alert'), p('c', 10.9, 10.8, 'idle')], 44);
  assert.equal(clusters.length, 1);
  const [c] = clusters;
  assert.equal(c.count, 3);
  assert.equal(c.state, 'alert');
  assert.deepEqual(c.counts, { idle: 1, ok: 1, alert: 1, broken: 0 });
  assert.ok(Math.abs(c.x - 10.5) < 1e-9 && Math.abs(c.y - 10.4) < 1e-9);
  assert.equal(c.id, null);
});

test('zooming in splits a cluster into single markers', () => {
  const points = [p('a', 10.1, 10.1), p('b', 10.6, 10.6)];
  assert.equal(clusterPoints(points, 44).length, 1);
  const zoomed = clusterPoints(points, 440);
  assert.equal(zoomed.length, 2);
  assert.deepEqual(zoomed.map((c) => c.id).sort(), ['a', 'b']);
});

test('a broken seal is never hidden inside a cluster and is drawn last (on top)', () => {
  const clusters = clusterPoints([p('a', 1.1, 1.1), p('b', 1.2, 1.2), p('x', 1.15, 1.15, 'broken')], 44, 44, (q) => q.state === 'broken');
  assert.equal(clusters.length, 2);
  assert.equal(clusters.at(-1)!.id, 'x');
  assert.equal(clusters[0].count, 2);
});

test('10,000 points: each counted in exactly one cluster', () => {
  const points: MapPoint[] = [];
  for (let i = 0; i < 10_000; i++) points.push(p(`d${i}`, 140 + (i % 100) * 0.05, 120 + Math.floor(i / 100) * 0.05));
  const clusters = clusterPoints(points, 8);
  assert.equal(
    clusters.reduce((n, c) => n + c.count, 0),
    10_000,
  );
  assert.equal(new Set(clusters.flatMap((c) => c.ids)).size, 10_000);
  assert.ok(clusters.length < 100);
});

test('a click picks the cluster under the pointer, the topmost first', () => {
  const clusters = clusterPoints([p('a', 10, 10), p('b', 20, 20, 'broken')], 44);
  const view = { k: 44, x: 0, y: 0 };
  assert.equal(pickCluster(clusters, view, 440 + 3, 440 - 2)?.id, 'a');
  assert.equal(pickCluster(clusters, view, 880, 880)?.id, 'b');
  assert.equal(pickCluster(clusters, view, 600, 600), null);
});

test('office labels closer than the gap share one label; those apart keep their own', () => {
  const groups = labelGroups(
    [
      { label: 'KEMAL', x: 100, y: 100 },
      { label: 'UGMAL', x: 96, y: 101 },
      { label: 'KEMBA', x: 400, y: 300 },
      { label: 'RWRUS', x: 200, y: 200 },
      { label: 'TZRUS', x: 203, y: 201 },
    ],
    40,
  );
  assert.deepEqual(groups, [
    { text: 'KEMAL · UGMAL', x: 100, y: 100 },
    { text: 'KEMBA', x: 400, y: 300 },
    { text: 'RWRUS · TZRUS', x: 200, y: 200 },
  ]);
});
