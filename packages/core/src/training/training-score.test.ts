import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Incident, IncidentHistoryEntry } from '../incidents/incident';
import type { Timestamp } from '../ids';
import { parseExercise, type Criterion } from './exercise';
import { scoreRun } from './training-score';

const at = (s: number) => new Date(Date.parse('2026-12-06T10:00:00.000Z') + s * 1000).toISOString() as Timestamp;
const criteria: Criterion[] = [
  { id: 'ack', kind: 'acknowledged', incident: 'seal_broken', withinS: 120, points: 3 },
  { id: 'dispatch', kind: 'assigned', incident: 'seal_broken', points: 2 },
  { id: 'note', kind: 'noted', incident: 'seal_broken', minLength: 10, points: 2 },
  { id: 'confirm', kind: 'closed', incident: 'seal_broken', outcome: 'confirmed', points: 3 },
];

function incident(code: Incident['code'], history: Omit<IncidentHistoryEntry, 'by'>[] & { by?: string }[]): Incident {
  return {
    id: `inc-${code}`,
    code,
    createdAt: at(20),
    history: [{ action: 'opened', at: at(20), by: null }, ...history.map((h) => ({ by: 'trainee', ...h }))],
  } as unknown as Incident;
}

test('a trainee who acknowledges in time, dispatches, notes and confirms scores full marks, with the evidence', () => {
  const score = scoreRun(criteria, [
    incident('seal_broken', [
      { action: 'acknowledged', at: at(65) },
      { action: 'assigned', at: at(80), assignee: 'Mobile unit 3' },
      { action: 'noted', at: at(90), comment: 'Unit 3 sent to Voi weighbridge' },
      { action: 'closed', at: at(300), outcome: 'confirmed', comment: 'seal found broken' },
    ]),
  ]);
  assert.deepEqual([score.total, score.max], [10, 10]);
  assert.equal(score.items[0].evidence.timeToAcknowledgeS, 45);
  assert.equal(score.items[1].evidence.assignee, 'Mobile unit 3');
  assert.equal(score.items[2].evidence.note, 'Unit 3 sent to Voi weighbridge');
  assert.equal(score.items[3].evidence.outcome, 'confirmed');
});

test('ignoring the incident scores nothing; a late acknowledgement half; the wrong outcome nothing', () => {
  assert.deepEqual(
    scoreRun(criteria, [incident('seal_broken', [])]).items.map((i) => i.points),
    [0, 0, 0, 0],
  );
  const late = scoreRun(criteria, [
    incident('seal_broken', [
      { action: 'acknowledged', at: at(400) },
      { action: 'closed', at: at(500), outcome: 'false_alarm', comment: 'ok' },
    ]),
  ]);
  assert.deepEqual(
    late.items.map((i) => i.points),
    [1, 0, 0, 0],
  );
  assert.match(late.items[3].evidence.summary, /false_alarm \(expected confirmed\)/);
  // the same, for a console to word in its language
  assert.deepEqual(
    [late.items[3].kind, late.items[3].incidentCode, late.items[3].evidence.code, late.items[3].evidence.vars],
    ['closed', 'seal_broken', 'closed', { outcome: 'false_alarm', expected: 'confirmed' }],
  );
});

test('not escalating: dispatching or confirming a diversion with a reason loses the points; no incident yet keeps them', () => {
  const c: Criterion[] = [{ id: 'calm', kind: 'not_escalated', incident: 'route_deviation', points: 2 }];
  assert.equal(scoreRun(c, []).total, 2);
  assert.equal(scoreRun(c, [incident('route_deviation', [{ action: 'closed', at: at(60), outcome: 'false_alarm' }])]).total, 2);
  assert.equal(scoreRun(c, [incident('route_deviation', [{ action: 'assigned', at: at(60), assignee: 'patrol' }])]).total, 0);
});

test('an exercise file with a step after its end is refused with the path', () => {
  const base = {
    id: 'x-test',
    title: 'Test',
    summary: 'A test',
    corridor: 'MSA-KLA',
    device: { id: 'TRN-1', class: 'active', kind: 'e_lock', reportIntervalS: 60 },
    movement: { container: 'MSCU4403320', seals: ['S1'] },
    trip: { speedKmh: 60, departedMinutesAgo: 10 },
    durationS: 60,
    objectives: ['Do it'],
    criteria,
  };
  assert.equal(parseExercise(base, 'x.json').id, 'x-test');
  assert.throws(
    () => parseExercise({ ...base, script: [{ atS: 120, seal: { state: 'open' } }] }, 'x.json'),
    /x\.json: script\.0: a step after the end/,
  );
});
