/**
 * The vendor listener ports are declared once, by the protocol descriptors: the configuration's
 * defaults come from them, and .env.example and docs/devices.md, written for people, must say the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { portVariable, vendorProtocols } from '@sealwatch/protocols/registry';
import { loadConfig } from './config';

const read = (path: string) => readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');

test("every protocol descriptor has a listener port setting, its default the descriptor's port, and `off` disables it", () => {
  const defaults = loadConfig({ SEALWATCH_DEMO: 'false' });
  const off = loadConfig({ SEALWATCH_DEMO: 'false', ...Object.fromEntries(vendorProtocols.map((p) => [portVariable(p), 'off'])) });
  assert.deepEqual(Object.keys(defaults.listeners).sort(), vendorProtocols.map((p) => p.name).sort());
  for (const p of vendorProtocols) {
    assert.equal(defaults.listeners[p.name], p.defaultPort, p.name);
    assert.equal(off.listeners[p.name], 'off', p.name);
  }
});

test(".env.example lists each listener port variable with the descriptor's default port", () => {
  const text = read('.env.example');
  const documented = [...text.matchAll(/^SEALWATCH_PORT_([A-Z0-9]+)=(.*)$/gm)].filter(([, name]) => name !== 'HTTP' && name !== 'MQTT');
  assert.deepEqual(
    documented.map(([, name, value]) => `SEALWATCH_PORT_${name}=${value}`).sort(),
    vendorProtocols.map((p) => `${portVariable(p)}=${p.defaultPort}`).sort(),
  );
});

test("docs/devices.md gives each protocol's port and variable in its table, and no other listener port", () => {
  const text = read('docs/devices.md');
  const rows = [...text.matchAll(/\| (\d+) \(`(SEALWATCH_PORT_[A-Z0-9]+)`\) \|/g)].map(([, port, variable]) => `${variable}=${port}`);
  assert.deepEqual(rows.sort(), vendorProtocols.map((p) => `${portVariable(p)}=${p.defaultPort}`).sort());
});
