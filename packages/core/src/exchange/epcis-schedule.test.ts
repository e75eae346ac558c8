import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lastScheduledTime, scheduleError, scheduleMatches } from './epcis-schedule';

test('schedule grammar: numbers, ranges and lists in their ranges pass; anything else is named', () => {
  assert.equal(scheduleError({ second: '0', minute: '5,35', hour: '[1-3]', dayOfWeek: '[1-5],7', month: '12', dayOfMonth: '31' }), null);
  assert.match(scheduleError({ minute: '60' })!, /minute: 60 is outside 0–59/);
  assert.match(scheduleError({ hour: '[5-2]' })!, /runs backwards/);
  assert.match(scheduleError({ second: '0/30' })!, /neither a number nor a range/);
  assert.match(scheduleError({ dayOfWeek: '0' })!, /outside 1–7/);
  assert.match(scheduleError({ weekday: '1' } as never)!, /not a schedule field/);
});

test('a time matches when every given field matches in UTC; an omitted field matches any value; dayOfWeek 1 is Monday', () => {
  const s = { second: '0', minute: '5', hour: '1' };
  assert.equal(scheduleMatches(s, Date.parse('2026-12-07T01:05:00Z')), true);
  assert.equal(scheduleMatches(s, Date.parse('2026-12-07T01:05:01Z')), false);
  assert.equal(scheduleMatches(s, Date.parse('2026-12-07T02:05:00Z')), false);
  // 2026-12-07 is a Monday.
  assert.equal(scheduleMatches({ dayOfWeek: '1' }, Date.parse('2026-12-07T13:00:00Z')), true);
  assert.equal(scheduleMatches({ dayOfWeek: '[6-7]' }, Date.parse('2026-12-07T13:00:00Z')), false);
  assert.equal(scheduleMatches({ dayOfWeek: '7' }, Date.parse('2026-12-06T13:00:00Z')), true);
});

test('the latest query time after the last run: the newest one only, none when the schedule did not come round', () => {
  const s = { second: '0' };
  const t = Date.parse('2026-12-07T10:00:30Z');
  assert.equal(lastScheduledTime(s, t, t + 20_000), null);
  assert.equal(lastScheduledTime(s, t, t + 200_000), Date.parse('2026-12-07T10:03:00Z'));
  assert.equal(lastScheduledTime({ second: '30' }, t - 1000, t), t, 'the end of the interval is inside it');
  assert.equal(lastScheduledTime({ second: '30' }, t, t), null, 'the start is not');
});
