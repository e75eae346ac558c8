import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { configVariables, loadConfig, ConfigError } from './config';

test('zero variables give the embedded defaults', () => {
  const c = loadConfig({});
  assert.equal(c.http.port, 8080);
  assert.equal(c.demo.enabled, true);
  assert.ok(c.sqlite.file.endsWith('/data/sealwatch.db'));
  assert.equal(c.listeners.jt600, 5014);
  assert.equal(c.listeners.teratrack, 5239);
  assert.equal(c.adminToken, null);
  assert.ok(Object.isFrozen(c));
});

test('honours the SEALWATCH_* variables, and off for a listener', () => {
  const c = loadConfig({
    SEALWATCH_HTTP_PORT: '9090',
    SEALWATCH_DEMO: 'false',
    SEALWATCH_DATA_DIR: '/tmp/sw',
    SEALWATCH_PORT_GT06: 'off',
    SEALWATCH_ADMIN_TOKEN: 'x'.repeat(32),
  });
  assert.equal(c.http.port, 9090);
  assert.equal(c.demo.enabled, false);
  assert.equal(c.sqlite.file, '/tmp/sw/sealwatch.db');
  assert.equal(c.listeners.gt06, 'off');
  assert.equal(c.adminToken, 'x'.repeat(32));
});

test('alert escalation defaults to 15 minutes, can be set or turned off, and refuses a negative time', () => {
  assert.equal(loadConfig({}).alertEscalateS, 900);
  assert.equal(loadConfig({ SEALWATCH_ALERT_ESCALATE_S: '120' }).alertEscalateS, 120);
  assert.equal(loadConfig({ SEALWATCH_ALERT_ESCALATE_S: '0' }).alertEscalateS, 0);
  assert.throws(() => loadConfig({ SEALWATCH_ALERT_ESCALATE_S: '-5' }), ConfigError);
});

test('a bad start lists every bad variable at once', () => {
  try {
    loadConfig({ SEALWATCH_HTTP_PORT: 'eighty', SEALWATCH_DEMO: 'maybe', SEALWATCH_ADMIN_TOKEN: 'short' });
    assert.fail('expected ConfigError');
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    const vars = e.problems.map((p) => p.split(':')[0]).sort();
    assert.deepEqual(vars, ['SEALWATCH_ADMIN_TOKEN', 'SEALWATCH_DEMO', 'SEALWATCH_HTTP_PORT']);
  }
});

test('cluster settings: roles need NATS, NATS needs PostgreSQL', () => {
  const c = loadConfig({
    DATABASE_URL: 'postgres://u@127.0.0.1/db',
    SEALWATCH_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
    NATS_URL: 'nats://127.0.0.1:4222',
    SEALWATCH_ROLES: 'gateway',
    SEALWATCH_INSTANCE_ID: 'gw-1',
  });
  assert.deepEqual(c.roles, { gateway: true, processor: false, api: false });
  assert.equal(c.cluster.instanceId, 'gw-1');
  assert.equal(c.cluster.partitions, 16);
  assert.throws(() => loadConfig({ NATS_URL: 'nats://127.0.0.1:4222' }), /NATS_URL: needs DATABASE_URL/);
  assert.throws(() => loadConfig({ SEALWATCH_ROLES: 'api' }), /separate roles need NATS_URL/);
  assert.throws(() => loadConfig({ SEALWATCH_ROLES: 'janitor' }), /SEALWATCH_ROLES/);
});

test('.env.example documents exactly the variables the configuration reads', () => {
  const text = readFileSync(new URL('../../../../.env.example', import.meta.url), 'utf8');
  const documented = [...text.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
  assert.deepEqual([...new Set(documented)].sort(), [...configVariables].sort());
});
