import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Agreement } from './agreement';
import { copyPurgeDueAt, copyPurgePlan, retentionBeyondAgreement } from './copy-retention';

const DAY = 86_400_000;
const agreement: Agreement = { fields: ['position', 'seal', 'trader'], positionsInside: 'whole_route', retentionDays: 30 };
const arrived = '2026-12-01T10:00:00.000Z';
const at = (days: number) => Date.parse(arrived) + days * DAY;

test('a copy is due for purging retentionDays after the first of its ends here, and never while it has not ended', () => {
  assert.equal(copyPurgeDueAt([null, null], 30), null);
  const left = '2026-11-30T08:00:00.000Z';
  assert.equal(copyPurgeDueAt([arrived, null], 30), Date.parse(arrived) + 30 * DAY);
  assert.equal(copyPurgeDueAt([arrived, left], 2), Date.parse(left) + 2 * DAY, 'leaving the territory ends it here');
});

test("each data class goes on the receiver's own day, shorter than the agreement's, and the whole copy on the agreement's", () => {
  const own = { position: 7, trader: 14 };
  assert.deepEqual(copyPurgePlan([null], agreement, own, [], at(400)), { whole: false, classes: [] }, 'not ended here: nothing');
  assert.deepEqual(copyPurgePlan([arrived], agreement, own, [], at(6)), { whole: false, classes: [] });
  assert.deepEqual(copyPurgePlan([arrived], agreement, own, [], at(7)), { whole: false, classes: ['position'] });
  assert.deepEqual(copyPurgePlan([arrived], agreement, own, ['position'], at(8)), { whole: false, classes: [] }, 'purged once');
  assert.deepEqual(copyPurgePlan([arrived], agreement, own, ['position'], at(14)), { whole: false, classes: ['trader'] });
  assert.deepEqual(copyPurgePlan([arrived], agreement, own, ['position', 'trader'], at(30)), { whole: true, classes: [] });
});

test('a class the receiver would keep longer than the agreement is held to the agreement, and refused when set', () => {
  assert.deepEqual(copyPurgePlan([arrived], agreement, { seal: 90 }, [], at(29)), { whole: false, classes: [] });
  assert.deepEqual(copyPurgePlan([arrived], agreement, { seal: 90 }, [], at(30)), { whole: true, classes: [] });
  assert.equal(retentionBeyondAgreement({ position: 7, seal: 30 }, agreement), null);
  assert.equal(retentionBeyondAgreement({ seal: 31, goods: 90 }, agreement), "seal, goods kept longer than the agreement's 30 days");
});

test('a class kept 0 days goes as soon as the movement ends here', () => {
  assert.deepEqual(copyPurgePlan([arrived], agreement, { sensors: 0 }, [], at(0)), { whole: false, classes: ['sensors'] });
});
