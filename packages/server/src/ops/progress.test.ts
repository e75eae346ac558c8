import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { progressReporter } from './progress';

function capture(isTTY: boolean) {
  const out = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  out.on('data', (c) => {
    text += c.toString();
  });
  return { out, text: () => text };
}

test('into a file or a pipe, each stage writes one line when it ends and no carriage returns', () => {
  const c = capture(false);
  const p = progressReporter(c.out);
  for (let i = 1; i <= 1000; i++) p.update('signing EdDSA', i, 1000);
  for (let i = 1; i <= 10; i++) p.update('posting', i, 10);
  assert.equal(c.text(), '  signing EdDSA: 1000/1000 done\n  posting: 10/10 done\n');
});

test('on a terminal the bar is redrawn in place, only when it grows, and ends its line', () => {
  const c = capture(true);
  const p = progressReporter(c.out);
  for (let i = 1; i <= 1000; i++) p.update('signing EdDSA', i, 1000);
  const text = c.text();
  const redraws = text.split('\r').length - 1;
  assert.ok(redraws >= 30 && redraws <= 32, `${redraws} redraws`);
  assert.match(text, /\[#{30}\] 1000\/1000\n$/);
});
