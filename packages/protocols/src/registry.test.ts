/** The list of listened protocols: unique names and ports, and each descriptor runs the protocol contract. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { commandCapabilities } from '@sealwatch/core';
import { vendorProtocols } from './registry';

test('every listened protocol has its own name and its own default port', () => {
  const names = vendorProtocols.map((p) => p.name);
  const ports = vendorProtocols.map((p) => p.defaultPort);
  assert.equal(new Set(names).size, names.length, names.join(', '));
  assert.equal(new Set(ports).size, ports.length, ports.join(', '));
  assert.deepEqual(
    ports,
    [...ports].sort((a, b) => a - b),
    'listed in port order, as the banner and the docs show them',
  );
});

test('every descriptor runs the protocol contract in <name>/<name>-protocol.test.ts', () => {
  for (const p of vendorProtocols) {
    const text = readFileSync(new URL(`./${p.name}/${p.name}-protocol.test.ts`, import.meta.url), 'utf8');
    assert.match(text, /runProtocolContract\(\w+Protocol, \{/, p.name);
  }
});

test("the command types each protocol's codec carries are the ones core's rules and the console offer", () => {
  const fromCodecs = Object.fromEntries(
    vendorProtocols.flatMap((p) => ('commands' in p && p.commands ? [[p.name, [...p.commands.types]]] : [])),
  );
  assert.deepEqual(fromCodecs, Object.fromEntries(Object.entries(commandCapabilities).map(([k, v]) => [k, [...v]])));
});
