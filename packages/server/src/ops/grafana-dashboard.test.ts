import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestPlatform } from '../testing/test-platform';

const dashboardFile = fileURLToPath(new URL('../../../../docs/grafana-dashboard.json', import.meta.url));

interface Panel {
  title: string;
  targets: { expr: string; refId: string }[];
}

test('every metric the Grafana dashboard in docs/ queries is exported at /metrics', async () => {
  const dashboard = JSON.parse(readFileSync(dashboardFile, 'utf8')) as { panels: Panel[]; __inputs: { name: string }[] };
  assert.ok(dashboard.panels.length >= 8, 'the main figures');
  const queried = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/\bsealwatch_[a-z0-9_]+/g) ?? [])));
  assert.ok(queried.size >= 8);

  const p = await startTestPlatform({ SEALWATCH_MQTT_PORT: 'off' });
  try {
    const r = await p.http.inject({ method: 'GET', url: '/metrics' });
    assert.equal(r.statusCode, 200);
    const exported = new Set(
      [...r.body.matchAll(/^# TYPE (\S+) (\w+)$/gm)].flatMap(([, name, type]) =>
        type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
      ),
    );
    const missing = [...queried].filter((m) => !exported.has(m));
    assert.deepEqual(missing, [], `queried by docs/grafana-dashboard.json but not exported: ${missing.join(', ')}`);
  } finally {
    await p.cleanup();
  }
});
