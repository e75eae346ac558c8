import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPlatform, mombasaOffice } from '../testing/test-platform';
import { masterKeyFile } from '../keys/master-key';
import { deviceProtocolPorts } from '../config/config';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TEST_DATABASE_URL, TEST_MASTER_KEY } from '../testing/test-cluster';
import { checkSchema, formatDoctor, runDoctor, type Check } from './doctor';

/** Every device listener and the broker off: these tests bind only what they name. */
const QUIET = {
  SEALWATCH_HTTP_HOST: '127.0.0.1',
  SEALWATCH_MQTT_PORT: 'off',
  ...Object.fromEntries(Object.keys(deviceProtocolPorts).map((p) => [`SEALWATCH_PORT_${p.toUpperCase()}`, 'off'])),
};
const named = (checks: Check[], name: string) =>
  checks.find((c) => c.name === name) ?? assert.fail(`no ${name} check in ${JSON.stringify(checks)}`);
const listen = () =>
  new Promise<Server & { port: number }>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => resolve(Object.assign(s, { port: (s.address() as { port: number }).port })));
  });

test('a fresh data directory with free ports is ready to start, and doctor creates nothing in it', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'sealwatch-doctor-')), 'data');
  const free = await listen();
  const port = free.port;
  await new Promise((r) => free.close(r));
  const checks = await runDoctor({ ...QUIET, SEALWATCH_DATA_DIR: dir, SEALWATCH_HTTP_PORT: String(port) });
  assert.deepEqual(
    checks.filter((c) => c.status !== 'ok'),
    [],
  );
  assert.match(named(checks, 'ports').detail, new RegExp(`${port} \\(HTTP\\)`));
  assert.match(named(checks, 'database').detail, /no database yet/);
  assert.match(named(checks, 'master key').detail, /generated into .*master\.key on the first start/);
  assert.match(formatDoctor(checks).at(-1)!, /^ready to start/);
  assert.throws(() => rmSync(dir), /ENOENT/, 'doctor must not create the data directory');
});

test('a busy HTTP port fails with the variable to change; a busy device port only warns', async () => {
  const http = await listen();
  const device = await listen();
  try {
    const dir = mkdtempSync(join(tmpdir(), 'sealwatch-doctor-'));
    const checks = await runDoctor({
      ...QUIET,
      SEALWATCH_DATA_DIR: dir,
      SEALWATCH_HTTP_PORT: String(http.port),
      SEALWATCH_PORT_JT808: String(device.port),
    });
    const h = named(checks, `port ${http.port}`);
    assert.equal(h.status, 'fail');
    assert.match(h.fix!, /SEALWATCH_HTTP_PORT/);
    const d = named(checks, `port ${device.port}`);
    assert.equal(d.status, 'warn');
    assert.match(d.fix!, /SEALWATCH_PORT_JT808/);
    const report = formatDoctor(checks);
    assert.ok(report.includes(`      fix: ${h.fix}`));
    assert.match(report.at(-1)!, /^1 problem\(s\) to fix before starting, 1 warning/);
    rmSync(dir, { recursive: true });
  } finally {
    http.close();
    device.close();
  }
});

test('an installation that has run: its database opens, its key opens its secrets; another key, a lost key file or a clock behind the trail fail', async () => {
  const p = await startTestPlatform({ SEALWATCH_MQTT_PORT: 'off' });
  const dir = p.dir;
  try {
    const r = await p.http.inject({ method: 'POST', url: '/api/v1/offices', headers: p.auth, payload: mombasaOffice });
    assert.equal(r.statusCode, 201);
    await p.stop();
    const env = { ...QUIET, SEALWATCH_DATA_DIR: dir, SEALWATCH_HTTP_PORT: '0' };

    const good = await runDoctor(env);
    assert.deepEqual(
      good.filter((c) => c.status !== 'ok'),
      [],
    );
    assert.match(named(good, 'database').detail, /sealwatch\.db opens/);
    assert.match(named(good, 'schema').detail, /^at migration \d+, as this build/);
    assert.match(named(good, 'master key').detail, /master\.key: key \S+, opens the [1-9]\d* sealed secret/);

    const other = await runDoctor({ ...env, SEALWATCH_MASTER_KEY: Buffer.alloc(32, 9).toString('base64') });
    const k = named(other, 'master key');
    assert.equal(k.status, 'fail');
    assert.match(k.detail, /SEALWATCH_MASTER_KEY does not open audit_signing_key_pkcs8/);

    const behind = await runDoctor(env, () => Date.now() - 3_600_000);
    assert.equal(named(behind, 'clock').status, 'fail');
    assert.match(named(behind, 'clock').detail, /behind the newest audit entry/);

    rmSync(masterKeyFile(dir));
    const lost = named(await runDoctor(env), 'master key');
    assert.equal(lost.status, 'fail');
    assert.match(lost.detail, /master\.key is missing but the database holds [1-9]\d* sealed secret/);
    assert.match(lost.fix!, /restore master\.key from the backup/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the schema check: same as the build is ok, missing steps warn to back up first, a newer schema fails', () => {
  const steps = [
    { version: 1, name: 'a', sql: '' },
    { version: 2, name: 'b', sql: '' },
  ];
  assert.equal(checkSchema([1, 2], steps).status, 'ok');
  assert.equal(checkSchema([], steps).status, 'ok');
  const upgrade = checkSchema([1], steps);
  assert.equal(upgrade.status, 'warn');
  assert.match(upgrade.detail, /apply migration\(s\) 2/);
  assert.match(upgrade.fix!, /back up first/);
  const newer = checkSchema([1, 2, 3], steps);
  assert.equal(newer.status, 'fail');
  assert.match(newer.detail, /migration 3, newer than this build \(2\)/);
});

test('a bad configuration is reported variable by variable', async () => {
  const checks = await runDoctor({ SEALWATCH_HTTP_PORT: 'eighty', SEALWATCH_LOG_LEVEL: 'loud' });
  assert.equal(checks.length, 2);
  assert.ok(checks.every((c) => c.name === 'configuration' && c.status === 'fail'));
  assert.match(checks.map((c) => c.detail).join('\n'), /SEALWATCH_HTTP_PORT[\s\S]*SEALWATCH_LOG_LEVEL/);
});

test("on PostgreSQL: the machine's server is reachable, its schema opens with the cluster's key and not with another; a closed port fails", async () => {
  const schema = `sw_doctor_${randomBytes(4).toString('hex')}`;
  const p = await startTestPlatform({ DATABASE_URL: TEST_DATABASE_URL, SEALWATCH_DB_SCHEMA: schema, SEALWATCH_MQTT_PORT: 'off' });
  await p.stop();
  const env = {
    ...QUIET,
    SEALWATCH_HTTP_PORT: '0',
    DATABASE_URL: TEST_DATABASE_URL,
    SEALWATCH_DB_SCHEMA: schema,
    SEALWATCH_MASTER_KEY: TEST_MASTER_KEY,
  };
  try {
    const good = await runDoctor(env);
    assert.deepEqual(
      good.filter((c) => c.status !== 'ok'),
      [],
    );
    assert.match(named(good, 'database').detail, new RegExp(`PostgreSQL reachable, schema ${schema}`));
    assert.match(named(good, 'master key').detail, /opens the [1-9]\d* sealed secret/);

    const other = named(await runDoctor({ ...env, SEALWATCH_MASTER_KEY: Buffer.alloc(32, 9).toString('base64') }), 'master key');
    assert.equal(other.status, 'fail');

    const closed = await listen();
    const port = closed.port;
    await new Promise((r) => closed.close(r));
    const down = named(await runDoctor({ ...env, DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test` }), 'database');
    assert.equal(down.status, 'fail');
    assert.match(down.detail, /PostgreSQL not reachable: .*ECONNREFUSED/);
  } finally {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
});
