/**
 * The storage contract of the IncidentStore (part of `runStoreContract`): incidents come back
 * whole, are written over their revision only, listed newest change first with filters and
 * scopes, the open ones of a movement found, written atomically with alerts by the processing
 * store; mutes set, replaced, listed while they hold, removed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  asAlertId,
  asDeviceId,
  asIncidentId,
  asMovementId,
  asOfficeCode,
  DomainError,
  toTimestamp,
  type Alert,
  type Incident,
  type Movement,
  type Timestamp,
} from '@sealwatch/core';
import type { Store } from '../ports';

const t0 = Date.UTC(2026, 10, 26, 3, 0, 0);
const at = (minutes: number): Timestamp => toTimestamp(t0 + minutes * 60_000);
const mov = asMovementId;

export function buildIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: asIncidentId('INC-1'),
    code: 'seal_broken',
    status: 'open',
    movement: mov('MOV-1'),
    cause: 'device:SEAL-A',
    severity: 'critical',
    openedAt: at(10),
    lastTime: at(11),
    position: { lat: -1.29, lon: 36.82 },
    container: 'CSQU3054383',
    seals: ['SW-000123'],
    devices: [asDeviceId('SEAL-A')],
    alerts: [asAlertId('AL-1'), asAlertId('AL-2')],
    types: ['seal_opened', 'rope_cut'],
    acknowledgedAt: null,
    assignee: null,
    outcome: null,
    closedAt: null,
    history: [
      { action: 'opened', at: at(10), by: null, alert: asAlertId('AL-1') },
      { action: 'grouped', at: at(11), by: null, alert: asAlertId('AL-2') },
    ],
    createdAt: at(10),
    updatedAt: at(11),
    revision: 1,
    ...overrides,
  };
}

const alert = (id: string, movement: string): Alert => ({
  id: asAlertId(id),
  type: 'rope_cut',
  severity: 'critical',
  status: 'open',
  movement: mov(movement),
  device: asDeviceId('SEAL-A'),
  time: at(10),
  lastTime: at(10),
  count: 1,
  details: { incident: 'INC-TX' },
  assignee: null,
  outcome: null,
  comment: null,
  history: [{ action: 'opened', at: at(10), by: null }],
  createdAt: at(10),
  updatedAt: at(10),
  revision: 1,
});

const isCode = (code: string) => (e: unknown) => e instanceof DomainError && e.code === code;

/** Registers the incident store tests; `withStore` gives each a fresh store. */
export function incidentStoreContract(
  withStore: (fn: (s: Store) => Promise<void>) => () => Promise<void>,
  buildMovement: (o: Partial<Movement>) => Movement,
): void {
  describe('incidents', () => {
    test(
      'an incident comes back whole; a change is written over its revision only',
      withStore(async (s) => {
        const i = buildIncident();
        assert.equal(await s.incidents.get(i.id), null);
        await s.incidents.save(i);
        assert.deepEqual(await s.incidents.get(i.id), i);
        const acknowledged = { ...i, acknowledgedAt: at(12), updatedAt: at(12), revision: 2 };
        await s.incidents.save(acknowledged);
        assert.deepEqual(await s.incidents.get(i.id), acknowledged);
        await assert.rejects(s.incidents.save({ ...i, assignee: 'stale', revision: 2 }), isCode('incident_changed'));
        await assert.rejects(s.incidents.save(buildIncident()), isCode('incident_changed'), 'revision 1 again is a second opening');
        assert.deepEqual(await s.incidents.get(i.id), acknowledged);
      }),
    );

    test(
      'lists newest change first, by movement and status, page by page; the open ones of a movement oldest first',
      withStore(async (s) => {
        await s.incidents.save(buildIncident({ id: asIncidentId('I1'), openedAt: at(5), updatedAt: at(30) }));
        await s.incidents.save(buildIncident({ id: asIncidentId('I2'), openedAt: at(1), updatedAt: at(20) }));
        await s.incidents.save(buildIncident({ id: asIncidentId('I3'), status: 'closed', updatedAt: at(40) }));
        await s.incidents.save(buildIncident({ id: asIncidentId('I4'), movement: mov('MOV-2'), updatedAt: at(50) }));
        const list = async (f: Parameters<Store['incidents']['list']>[0], limit = 10) =>
          (await s.incidents.list(f, { limit })).items.map((i) => i.id);
        assert.deepEqual(await list({}), ['I4', 'I3', 'I1', 'I2']);
        assert.deepEqual(await list({ movement: mov('MOV-1') }), ['I3', 'I1', 'I2']);
        assert.deepEqual(await list({ movement: mov('MOV-1'), status: 'open' }), ['I1', 'I2']);
        const first = await s.incidents.list({}, { limit: 3 });
        assert.deepEqual(
          first.items.map((i) => i.id),
          ['I4', 'I3', 'I1'],
        );
        assert.deepEqual(
          (await s.incidents.list({}, { limit: 3, cursor: first.nextCursor })).items.map((i) => i.id),
          ['I2'],
        );
        assert.deepEqual(
          (await s.incidents.openOf(mov('MOV-1'))).map((i) => i.id),
          ['I2', 'I1'],
        );
        assert.deepEqual(await s.incidents.openOf(mov('MOV-9')), []);
      }),
    );

    test(
      'lists only the incidents of movements in scope',
      withStore(async (s) => {
        await s.movements.create(buildMovement({ id: mov('M-KE'), reference: 'R1', trader: 'org-acme' }));
        await s.movements.create(
          buildMovement({
            id: mov('M-UG'),
            reference: 'R2',
            trader: 'org-beta',
            departureOffice: asOfficeCode('UGKLA200'),
            destinationOffice: asOfficeCode('RWKGL300'),
          }),
        );
        await s.incidents.save(buildIncident({ id: asIncidentId('I-KE'), movement: mov('M-KE') }));
        await s.incidents.save(buildIncident({ id: asIncidentId('I-UG'), movement: mov('M-UG') }));
        const list = async (f: Parameters<Store['incidents']['list']>[0]) =>
          (await s.incidents.list(f, { limit: 10 })).items.map((i) => i.id).sort();
        assert.deepEqual(await list({ visibleTo: { trader: 'org-beta' } }), ['I-UG']);
        assert.deepEqual(await list({ visibleTo: { offices: ['KEMBA100'] } }), ['I-KE']);
        assert.deepEqual(await list({ visibleTo: { offices: [] } }), []);
      }),
    );

    test(
      'the processing store writes incidents with their alerts in one transaction: a stale incident writes neither',
      withStore(async (s) => {
        const i = buildIncident({ id: asIncidentId('INC-TX'), alerts: [asAlertId('A-TX')] });
        await s.processing.record([], [alert('A-TX', 'MOV-1')], [i]);
        assert.deepEqual((await s.incidents.get(i.id))?.alerts, ['A-TX']);
        assert.equal((await s.alerts.get(asAlertId('A-TX')))?.details.incident, 'INC-TX');
        await assert.rejects(s.processing.record([], [alert('A-TX2', 'MOV-2')], [i]), isCode('incident_changed'));
        assert.equal(await s.alerts.get(asAlertId('A-TX2')), null, 'the alert was rolled back with the incident');
        const applied = await s.processing.commit({
          processor: 'p',
          checkpoint: 3,
          events: [],
          alerts: [alert('A-TX3', 'MOV-3')],
          incidents: [{ ...i, alerts: [...i.alerts, asAlertId('A-TX3')], revision: 2 }],
          deviceStates: [],
        });
        assert.equal(applied, true);
        assert.deepEqual((await s.incidents.get(i.id))?.alerts, ['A-TX', 'A-TX3']);
      }),
    );

    test(
      "a mute is set, replaced, listed while it holds, and removed, per organisation: one organisation's mute leaves another's alone",
      withStore(async (s) => {
        const m = {
          movement: mov('MOV-1'),
          organisation: 'kra',
          reason: 'escorted convoy, customs on board',
          until: at(120),
          by: 'op1',
          createdAt: at(0),
        };
        assert.equal(await s.incidents.getMute(m.movement, 'kra'), null);
        await s.incidents.setMute(m);
        assert.deepEqual(await s.incidents.getMute(m.movement, 'kra'), m);
        assert.equal(await s.incidents.getMute(m.movement, 'ura'), null, 'another organisation has no mute of it');
        await s.incidents.setMute({ ...m, until: at(60), reason: 'shortened' });
        await s.incidents.setMute({ ...m, movement: mov('MOV-2'), until: at(30) });
        await s.incidents.setMute({ ...m, organisation: 'ura', reason: 'our own mute', until: at(90) });
        assert.deepEqual((await s.incidents.getMute(m.movement, 'kra'))?.reason, 'shortened');
        assert.deepEqual((await s.incidents.getMute(m.movement, 'ura'))?.reason, 'our own mute');
        assert.deepEqual(
          (await s.incidents.activeMutes(at(10))).map((x) => [x.movement, x.organisation]),
          [
            ['MOV-2', 'kra'],
            ['MOV-1', 'kra'],
            ['MOV-1', 'ura'],
          ],
        );
        assert.deepEqual(
          (await s.incidents.activeMutes(at(10), 'ura')).map((x) => x.movement),
          ['MOV-1'],
        );
        assert.deepEqual(
          (await s.incidents.activeMutes(at(30), 'kra')).map((x) => x.movement),
          ['MOV-1'],
          'a mute ends at its until',
        );
        assert.equal(await s.incidents.removeMute(m.movement, 'kra'), true);
        assert.equal(await s.incidents.removeMute(m.movement, 'kra'), false);
        assert.equal(await s.incidents.getMute(m.movement, 'kra'), null);
        assert.equal((await s.incidents.getMute(m.movement, 'ura'))?.reason, 'our own mute', "removing one's own mute leaves the other's");
      }),
    );
  });
}
