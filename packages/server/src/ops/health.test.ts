/**
 * Health and metrics tell the truth: a failing dependency makes readiness fail with its cause,
 * each change is logged once, and /metrics still answers when a gauge's source throws or hangs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diskCheck, HealthMonitor, lagCheck, MAX_HEALTHY_LAG, type HealthCheck } from './health';
import { Metrics } from './metrics';

function recordingLog() {
  const lines: { level: string; msg: string }[] = [];
  return {
    lines,
    warn: (_o: object, msg: string) => lines.push({ level: 'warn', msg }),
    info: (_o: object, msg: string) => lines.push({ level: 'info', msg }),
  };
}

test('a failing probe makes the report failing with its cause; each change is logged once and handed on', async () => {
  let storeUp = true;
  const log = recordingLog();
  const changes: [string, string][] = [];
  const monitor = new HealthMonitor(
    {
      store: () => {
        if (!storeUp) throw new Error('connect ECONNREFUSED 127.0.0.1:15432');
        return { status: 'ok', detail: 'answers' };
      },
      disk: () => diskCheck(50e6, '/srv'),
    },
    log,
    (name, now) => changes.push([name, now.status]),
  );
  let r = await monitor.evaluate();
  assert.equal(r.status, 'failing', 'the disk under 100 MB fails');
  assert.equal(r.checks.store.status, 'ok');
  storeUp = false;
  await monitor.evaluate();
  r = await monitor.evaluate();
  assert.equal(r.checks.store.status, 'failing');
  assert.match(r.checks.store.detail, /ECONNREFUSED/);
  storeUp = true;
  r = await monitor.evaluate();
  assert.equal(r.checks.store.status, 'ok');
  assert.deepEqual(
    log.lines.map((l) => `${l.level} ${l.msg.split(':')[0]}`),
    ['warn disk failing', 'warn store failing', 'info store recovered'],
  );
  assert.deepEqual(changes, [
    ['disk', 'failing'],
    ['store', 'failing'],
    ['store', 'ok'],
  ]);
});

test('a probe that never answers is failing, not a hung health check', async () => {
  const monitor = new HealthMonitor({ store: () => new Promise<HealthCheck>(() => {}) }, recordingLog());
  const r = await monitor.evaluate();
  assert.equal(r.status, 'failing');
  assert.match(r.checks.store.detail, /no answer within/);
});

test('lag over the limit and low disk are degraded, not failing', () => {
  assert.equal(lagCheck(MAX_HEALTHY_LAG + 1, 'messages').status, 'degraded');
  assert.equal(lagCheck(3, 'messages').status, 'ok');
  assert.equal(diskCheck(500e6, '/srv').status, 'degraded');
  assert.equal(diskCheck(5e9, '/srv').status, 'ok');
});

test('/metrics text is produced while the alert count throws and the lag never answers; the failing collectors say 0', async () => {
  const metrics = new Metrics();
  metrics.watch({
    pendingCommitRows: () => 7,
    processorLag: () => new Promise<number>(() => {}),
    streamClients: () => 2,
    unresolvedAlerts: async () => {
      throw new Error('Connection terminated unexpectedly');
    },
  });
  metrics.watchHealth(() => ({ status: 'failing', checks: { store: { status: 'failing', detail: 'down' } } }));
  const text = await metrics.registry.metrics();
  assert.match(text, /^sealwatch_ingest_pending_rows 7$/m);
  assert.match(text, /^sealwatch_stream_clients 2$/m);
  assert.match(text, /^sealwatch_collector_up\{collector="alerts_unresolved"\} 0$/m);
  assert.match(text, /^sealwatch_collector_up\{collector="processor_lag"\} 0$/m);
  assert.match(text, /^sealwatch_collector_up\{collector="ingest_pending"\} 1$/m);
  assert.match(text, /^sealwatch_health_check\{check="store"\} 2$/m);
});

test('the disk check does not tell an outsider where the data lies', () => {
  assert.doesNotMatch(diskCheck(5e9, '/srv/secret-place').detail ?? '', /secret-place/);
});
