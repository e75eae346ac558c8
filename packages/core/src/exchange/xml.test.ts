import { test } from 'node:test';
import assert from 'node:assert/strict';
import { childNamed, parseXml, writeXml } from './xml';

test('reads elements by local name, text with entities, character references and CDATA', () => {
  const r = parseXml(
    '<?xml version="1.0"?><!-- c --><ncts:A xmlns:ncts="x" k=\'v&amp;w\'><b>a &lt; b &#233;&#x41;</b><c><![CDATA[<raw>]]></c><d/></ncts:A>',
  );
  assert.ok(r.ok);
  assert.equal(r.root.name, 'A');
  assert.equal(r.root.attributes.k, 'v&w');
  assert.equal(childNamed(r.root, 'b')?.text, 'a < b éA');
  assert.equal(childNamed(r.root, 'c')?.text, '<raw>');
  assert.deepEqual(childNamed(r.root, 'd')?.children, []);
});

test('refuses a DOCTYPE (no entity expansion), mismatched tags, two roots and unclosed elements', () => {
  for (const bad of ['<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', '<a><b></a></b>', '<a/><b/>', '<a><b>', 'text', '<a>x</a>tail'])
    assert.equal(parseXml(bad).ok, false, bad);
});

test('writes what it reads back', () => {
  const xml = writeXml({ name: 'a', attributes: { q: '"1"' }, children: [{ name: 'b', text: 'x & <y>' }, null] });
  const r = parseXml(xml);
  assert.ok(r.ok);
  assert.equal(r.root.attributes.q, '"1"');
  assert.equal(childNamed(r.root, 'b')?.text, 'x & <y>');
});
