/**
 * Each shipped exercise, run through the API as a class would (DESIGN §8, issue 15): the real
 * detectors must raise the situation it trains, and nothing else, from the exercise's data file
 * as shipped. For each, one trainee does what the objectives ask and scores full marks; another
 * ignores it and scores low. A scenario that no longer produces its situation fails here.
 * All twelve runs go on at once (started before the tests), with the transit rules every second.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { distanceM } from '@sealwatch/core';
import { findOffice } from '@sealwatch/sim';
import { startTestPlatform, TEST_TOKEN } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
let base = '';
const users: Record<string, string> = {};

const call = async (method: string, path: string, token: string, body?: unknown) => {
  const r = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  return { status: r.status, text, json: () => JSON.parse(text) };
};
/** Polls until `f` answers; the limit is generous (a minute of the exercise's own time at most, plus slack). */
const until = async <T>(what: string, f: () => Promise<T | null | undefined | false>, seconds = 150): Promise<T> => {
  for (let i = 0; i < seconds * 4; i++) {
    const v = await f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
};

interface Run {
  id: string;
  token: string;
  movement: string;
}
interface Incident {
  id: string;
  code: string;
  status: string;
  alerts: string[];
  openedAt: string;
  position: { lat: number; lon: number } | null;
}
const runs: Record<string, { good: Run; idle: Run }> = {};
const EXERCISES = [
  'seal-tampered-en-route',
  'rope-cut-near-destination',
  'diversion-road-closure',
  'signal-lost-dead-zone',
  'missed-rfid-checkpoint',
  'battery-will-not-last',
];

before(
  async () => {
    p = await startTestPlatform({ SEALWATCH_TRANSIT_EVAL_S: '1', SEALWATCH_AUDIT_CHECKPOINT_S: '0' });
    base = (await p.listen()).replace('localhost', '127.0.0.1');
    const admin = (path: string, body: unknown) => call('POST', path, TEST_TOKEN, body);
    assert.equal((await admin('/api/v1/organisations', { id: 'kra', name: 'KRA', kind: 'customs', country: null })).status, 201);
    for (const [name, role] of [
      ['instructor', 'instructor'],
      ['good', 'officer'],
      ['idle', 'officer'],
    ]) {
      const u = await admin('/api/v1/users', {
        username: name,
        name,
        organisation: 'kra',
        roles: [role],
        password: `${name} long password`,
      });
      assert.equal(u.status, 201, u.text);
      users[`${name}Id`] = u.json().id;
      users[name] = (await admin('/api/v1/tokens', { name: 'test', user: u.json().id })).json().token;
    }
    for (const id of EXERCISES) {
      const start = async (who: string) => {
        const r = await call('POST', `/api/v1/training/exercises/${id}/runs`, users.instructor, { trainee: users[`${who}Id`], class: id });
        assert.equal(r.status, 201, `${id}: ${r.text}`);
        return r.json() as Run;
      };
      runs[id] = { good: await start('good'), idle: await start('idle') };
    }
  },
  { timeout: 120_000 },
);
after(() => p.cleanup());

const incidents = async (run: Run): Promise<Incident[]> => (await call('GET', '/api/v1/incidents?limit=100', run.token)).json().items;
const alertsOf = async (run: Run) =>
  (await call('GET', '/api/v1/alerts?limit=100', run.token)).json().items as Array<{
    id: string;
    type: string;
    time: string;
    details: Record<string, any>;
  }>;
const incidentOf = (run: Run, code: string) => until(`a ${code} incident`, async () => (await incidents(run)).find((i) => i.code === code));
const act = async (run: Run, incident: Incident, action: string, body: unknown = {}) => {
  const r = await call('POST', `/api/v1/incidents/${incident.id}/${action}`, run.token, body);
  assert.equal(r.status, 200, `${action}: ${r.text}`);
};

/** The incident is the only one of the run (nothing spurious: no signal_lost from the start, no stop, no deviation). */
async function onlyIncident(run: Run, code: string): Promise<void> {
  assert.deepEqual(
    (await incidents(run)).map((i) => i.code),
    [code],
    'the run raised other incidents than the one it trains',
  );
}

/** Finishes both runs; the trainee who did the work scores full marks, the one who ignored it at most `idleMax`. */
async function finishBoth(id: string, idleMax: number): Promise<void> {
  const good = (await call('POST', `/api/v1/training/runs/${runs[id].good.id}/finish`, users.instructor)).json();
  const idle = (await call('POST', `/api/v1/training/runs/${runs[id].idle.id}/finish`, users.instructor)).json();
  assert.equal(good.score.total, good.score.max, JSON.stringify(good.score.items));
  assert.ok(good.score.max >= 10);
  assert.ok(idle.score.total <= idleMax, `the idle trainee scored ${idle.score.total}: ${JSON.stringify(idle.score.items)}`);
}

test('seal tampered en route: a seal_tampered alert in a seal_broken incident; acknowledge, dispatch, note, confirm', async () => {
  const { good, idle } = runs['seal-tampered-en-route'];
  const incident = await incidentOf(good, 'seal_broken');
  assert.ok((await alertsOf(good)).some((a) => a.type === 'seal_tampered'));
  await act(good, incident, 'acknowledge');
  await act(good, incident, 'assign', { assignee: 'Mobile unit 3' });
  await act(good, incident, 'note', { comment: 'Unit 3 sent to the truck near Voi' });
  await act(good, incident, 'close', { outcome: 'confirmed', comment: 'shackle forced, container held' });
  await incidentOf(idle, 'seal_broken');
  await onlyIncident(good, 'seal_broken');
  await onlyIncident(idle, 'seal_broken');
  await finishBoth('seal-tampered-en-route', 0);
});

test('rope cut near the destination: rope_cut within 60 km of Kampala; acknowledge, dispatch the destination team, confirm', async () => {
  const { good, idle } = runs['rope-cut-near-destination'];
  const incident = await incidentOf(good, 'seal_broken');
  const rope = (await alertsOf(good)).find((a) => a.type === 'rope_cut');
  assert.ok(rope, 'a rope_cut alert');
  const kampala = findOffice('UGKLA').area as { center: { lat: number; lon: number } };
  const km = distanceM(rope.details.position, kampala.center) / 1000;
  assert.ok(km < 60 && km > 20, `cut ${Math.round(km)} km from Kampala`);
  await act(good, incident, 'acknowledge');
  await act(good, incident, 'assign', { assignee: 'Kampala office team' });
  await act(good, incident, 'close', { outcome: 'confirmed', comment: 'rope found cut at the office' });
  await incidentOf(idle, 'seal_broken');
  await onlyIncident(good, 'seal_broken');
  await onlyIncident(idle, 'seal_broken');
  await finishBoth('rope-cut-near-destination', 0);
});

test('diversion with a reason: route_deviation over 2 km off the corridor; note the road closure, close as false alarm, no dispatch', async () => {
  const { good, idle } = runs['diversion-road-closure'];
  const incident = await incidentOf(good, 'route_deviation');
  const deviation = (await alertsOf(good)).find((a) => a.type === 'route_deviation');
  assert.ok(deviation && deviation.details.maxDistanceM > 2000, JSON.stringify(deviation?.details));
  await act(good, incident, 'acknowledge');
  await act(good, incident, 'close', { outcome: 'false_alarm', comment: 'police detour around a road closure, driver called' });
  await incidentOf(idle, 'route_deviation');
  await onlyIncident(good, 'route_deviation');
  await onlyIncident(idle, 'route_deviation');
  // Not escalating is worth its points even to the one who did nothing; the rest is not.
  await finishBoth('diversion-road-closure', 2);
});

test('signal lost in a dead zone: signal_lost, then the buffered history clears it with no gap; close as false alarm', async () => {
  const { good, idle } = runs['signal-lost-dead-zone'];
  const incident = await incidentOf(good, 'signal_lost');
  await act(good, incident, 'acknowledge', { comment: 'known dead zone past Morogoro' });
  // The history comes back a minute in and retracts the silence: the alert is cleared, nothing else raised.
  const cleared = await until('the history to clear the silence', async () => {
    const a = (await alertsOf(good)).find((x) => x.type === 'signal_lost');
    return a?.details.cleared ? a : null;
  });
  assert.equal(cleared.details.cleared.reason, 'retracted', 'the buffered history leaves no gap');
  const observations = (await call('GET', '/api/v1/devices/TRN-ELOCK-04/observations?limit=500', good.token)).json().items;
  const times = observations.map((o: { time: string }) => Date.parse(o.time)).sort((a: number, b: number) => a - b);
  assert.ok(times.length > 200);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] <= 61_000, 'a reading every minute in the history');
  await act(good, incident, 'close', { outcome: 'false_alarm', comment: 'history complete, seal closed throughout' });
  await incidentOf(idle, 'signal_lost');
  await onlyIncident(good, 'signal_lost');
  await onlyIncident(idle, 'signal_lost');
  await finishBoth('signal-lost-dead-zone', 3);
});

test('missed RFID checkpoint: checkpoint_missed for the Mariakani portal; acknowledge, dispatch, note', async () => {
  const { good, idle } = runs['missed-rfid-checkpoint'];
  const incident = await incidentOf(good, 'other');
  const missed = (await alertsOf(good)).find((a) => a.type === 'checkpoint_missed');
  assert.equal(missed?.details.readerId, 'TRN-READER-05');
  await act(good, incident, 'acknowledge');
  await act(good, incident, 'assign', { assignee: 'Mobile unit 1' });
  await act(good, incident, 'note', { comment: 'Unit 1 to read the seal at the Voi weighbridge' });
  await incidentOf(idle, 'other');
  await onlyIncident(good, 'other');
  await onlyIncident(idle, 'other');
  await finishBoth('missed-rfid-checkpoint', 0);
});

test('battery that will not last: battery_insufficient while the truck still stands at the office of departure', async () => {
  const { good, idle } = runs['battery-will-not-last'];
  const incident = await incidentOf(good, 'device_fault');
  const battery = (await alertsOf(good)).find((a) => a.type === 'battery_insufficient');
  assert.ok(battery, 'a battery_insufficient alert');
  const movement = (await call('GET', `/api/v1/movements/${good.movement}`, good.token)).json();
  assert.ok(Date.parse(incident.openedAt) - Date.parse(movement.startedAt) < 600_000, 'raised before the truck leaves (10 minutes in)');
  const dar = findOffice('TZDAR').area as { center: { lat: number; lon: number }; radiusM: number };
  assert.ok(distanceM(incident.position ?? battery.details.position ?? dar.center, dar.center) < dar.radiusM);
  await act(good, incident, 'acknowledge');
  await act(good, incident, 'assign', { assignee: 'Device technician' });
  await act(good, incident, 'close', { outcome: 'confirmed', comment: 'lock swapped before departure' });
  await incidentOf(idle, 'device_fault');
  await onlyIncident(good, 'device_fault');
  await onlyIncident(idle, 'device_fault');
  await finishBoth('battery-will-not-last', 0);
});
