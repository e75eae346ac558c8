import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PAYLOAD_DEPTH, strictJsonProblem } from './strict-json';

test('a member name repeated in one object is refused, however it is escaped; the same name in two objects is fine', () => {
  assert.match(strictJsonProblem('{"device":"A","seq":1,"seq":2}')!, /"seq" appears twice/);
  assert.match(strictJsonProblem('{"seal":{"state":"closed","st\\u0061te":"open"}}')!, /"state" appears twice/);
  assert.equal(strictJsonProblem('{"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":2}]}'), null);
  assert.equal(strictJsonProblem('{"a":"seq","seq":"a, \\"seq\\": 1"}'), null, 'names inside values are values');
});

test('nesting beyond the limit is refused, at the limit it is read', () => {
  const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);
  assert.equal(strictJsonProblem(nested(MAX_PAYLOAD_DEPTH)), null);
  assert.match(strictJsonProblem(nested(MAX_PAYLOAD_DEPTH + 1))!, /nested deeper than 32/);
  assert.match(strictJsonProblem(`{"x":${'{"y":'.repeat(5000)}1${'}'.repeat(5000)}}`)!, /nested deeper/);
});

test('malformed text is left to JSON.parse to report', () => {
  for (const text of ['{"a":', '{"a\\', '"unterminated', '}}}]]]', '']) assert.equal(strictJsonProblem(text), null, text);
});

test('a member named __proto__ and a string with an unpaired surrogate are refused; paired surrogates are text', () => {
  assert.match(strictJsonProblem('{"device":"A","__proto__":{"x":1}}')!, /__proto__/);
  assert.match(strictJsonProblem('{"position":{"lat":1,"\\u005f_proto__":{}}}')!, /__proto__/);
  assert.equal(strictJsonProblem('{"note":"__proto__"}'), null, 'as a value it is only text');
  assert.match(strictJsonProblem('{"x":"\\ud800"}')!, /unpaired surrogate/);
  assert.match(strictJsonProblem('{"x":"a\\udc00b"}')!, /unpaired surrogate/);
  assert.match(strictJsonProblem('{"\\ud800":1}')!, /unpaired surrogate/);
  assert.equal(strictJsonProblem('{"x":"\\ud83d\\ude9a truck"}'), null);
});
