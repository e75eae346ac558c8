/** Storage contract, alerts: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError, asAlertId, asEventId, type Alert } from '@sealwatch/core';
import { at, dev, mov, buildEvent, buildAlert, allPages, ids, type WithStore } from './fixtures';
import type { Store } from '../ports';

export function alertsContract(withStore: WithStore): void {
  describe('alerts', () => {
    test(
      'saves an alert and reads details and history back intact',
      withStore(async (s) => {
        const alert = buildAlert();
        await s.alerts.save(alert);
        assert.deepEqual(await s.alerts.get(alert.id), alert);
        assert.equal(await s.alerts.get(asAlertId('AL-404')), null);
      }),
    );

    test(
      'save with an existing id replaces the alert',
      withStore(async (s) => {
        const alert = buildAlert();
        await s.alerts.save(alert);
        const resolved: Alert = {
          ...alert,
          status: 'resolved',
          outcome: 'false_alarm',
          comment: 'door sensor fault',
          assignee: 'officer-7',
          count: 3,
          lastTime: at(40),
          updatedAt: at(50),
          revision: 2,
          history: [
            ...alert.history,
            { action: 'resolved', at: at(50), by: 'officer-7', outcome: 'false_alarm', comment: 'door sensor fault' },
          ],
        };
        await s.alerts.save(resolved);
        assert.deepEqual(await s.alerts.get(alert.id), resolved);
        assert.deepEqual((await s.alerts.list({}, { limit: 10 })).items, [resolved]);
      }),
    );

    test(
      'lists alerts newest first by updatedAt then id, in pages of 2',
      withStore(async (s) => {
        const rows: [string, number][] = [
          ['A2', 2],
          ['A5', 5],
          ['A1', 1],
          ['A4', 2],
          ['A3', 3],
        ];
        for (const [id, m] of rows) await s.alerts.save(buildAlert({ id: asAlertId(id), movement: mov(`MOV-${id}`), updatedAt: at(m) }));
        const pages = await allPages((cursor) => s.alerts.list({}, { limit: 2, cursor }));
        assert.deepEqual(ids(pages), [['A5', 'A3'], ['A4', 'A2'], ['A1']]);
      }),
    );

    test(
      'filters alerts by movement, device, type and status',
      withStore(async (s) => {
        const alerts = [
          buildAlert({ id: asAlertId('A1'), updatedAt: at(1) }),
          buildAlert({ id: asAlertId('A2'), updatedAt: at(2), type: 'route_deviation', severity: 'major' }),
          buildAlert({ id: asAlertId('A3'), updatedAt: at(3), movement: mov('MOV-2'), device: dev('SEAL-B'), status: 'acknowledged' }),
          buildAlert({ id: asAlertId('A4'), updatedAt: at(4), movement: null, type: 'battery_low', status: 'resolved' }),
        ];
        for (const a of alerts) await s.alerts.save(a);
        const list = async (filter: Parameters<Store['alerts']['list']>[0]) =>
          (await s.alerts.list(filter, { limit: 10 })).items.map((a) => a.id);
        assert.deepEqual(await list({ movement: mov('MOV-1') }), ['A2', 'A1']);
        assert.deepEqual(await list({ device: dev('SEAL-A') }), ['A4', 'A2', 'A1']);
        assert.deepEqual(await list({ type: 'seal_opened' }), ['A3', 'A1']);
        assert.deepEqual(await list({ status: 'open' }), ['A2', 'A1']);
        assert.deepEqual(await list({ type: 'seal_opened', status: 'acknowledged', movement: mov('MOV-2'), device: dev('SEAL-B') }), [
          'A3',
        ]);
        assert.deepEqual(await list({ type: 'rope_cut' }), []);
      }),
    );

    test(
      'a change is written only over the revision it was made from; a stale one is alert_changed and leaves the alert as it was',
      withStore(async (s) => {
        const alert = buildAlert();
        await s.alerts.save(alert);
        const acknowledged = { ...alert, status: 'acknowledged' as const, revision: 2, updatedAt: at(20) };
        await s.alerts.save(acknowledged);
        // Another writer's change made from revision 1 too (e.g. a processor counting a repeat):
        const stale = { ...alert, count: 2, revision: 2, updatedAt: at(21) };
        await assert.rejects(s.alerts.save(stale), (e: unknown) => e instanceof DomainError && e.code === 'alert_changed');
        assert.deepEqual(await s.alerts.get(alert.id), acknowledged);
        // Saving the same alert as new again (revision 1) is a conflict too.
        await assert.rejects(s.alerts.save(alert), (e: unknown) => e instanceof DomainError && e.code === 'alert_changed');
      }),
    );

    test(
      'a movement has at most one unresolved alert of a type; after resolution a new one may open',
      withStore(async (s) => {
        const first = buildAlert({ id: asAlertId('A1') });
        await s.alerts.save(first);
        await assert.rejects(
          s.alerts.save(buildAlert({ id: asAlertId('A2') })),
          (e: unknown) => e instanceof DomainError && e.code === 'alert_changed',
        );
        await s.alerts.save({ ...first, status: 'resolved', outcome: 'confirmed', revision: 2 });
        await s.alerts.save(buildAlert({ id: asAlertId('A2') }));
        assert.equal((await s.alerts.findUnresolved('seal_opened', mov('MOV-1'), null))?.id, 'A2');
      }),
    );

    test(
      'a processing commit by observation that loses an alert race applies nothing and says so',
      withStore(async (s) => {
        const alert = buildAlert();
        await s.alerts.save({ ...alert });
        await s.alerts.save({ ...alert, status: 'acknowledged', revision: 2 });
        const applied = await s.processing.commit({
          processor: 'p-1',
          checkpoint: 9,
          observationIds: [9],
          events: [buildEvent({ id: asEventId('EV-race') })],
          alerts: [{ ...alert, count: 2, revision: 2 }],
          deviceStates: [],
        });
        assert.equal(applied, false);
        assert.deepEqual(await s.processing.unprocessed([9]), [9]);
        assert.deepEqual((await s.events.list({}, { limit: 10 })).items, []);
        assert.equal((await s.alerts.get(alert.id))?.status, 'acknowledged');
      }),
    );

    test(
      'findUnresolved gives the unresolved alert of the type for the movement and ignores resolved ones',
      withStore(async (s) => {
        await s.alerts.save(buildAlert({ id: asAlertId('A1'), status: 'resolved', outcome: 'confirmed' }));
        assert.equal(await s.alerts.findUnresolved('seal_opened', mov('MOV-1'), dev('SEAL-A')), null);
        const acknowledged = buildAlert({ id: asAlertId('A2'), status: 'acknowledged', updatedAt: at(20) });
        await s.alerts.save(acknowledged);
        await s.alerts.save(buildAlert({ id: asAlertId('A3'), type: 'rope_cut' }));
        await s.alerts.save(buildAlert({ id: asAlertId('A4'), movement: mov('MOV-2') }));
        assert.deepEqual(await s.alerts.findUnresolved('seal_opened', mov('MOV-1'), dev('SEAL-A')), acknowledged);
        assert.equal(await s.alerts.findUnresolved('route_deviation', mov('MOV-1'), dev('SEAL-A')), null);
        assert.equal(await s.alerts.findUnresolved('seal_opened', mov('MOV-3'), dev('SEAL-A')), null);
      }),
    );

    test(
      'countUnresolved counts unresolved alerts by type, or by movement among those asked',
      withStore(async (s) => {
        await s.alerts.save(buildAlert({ id: asAlertId('A1') }));
        await s.alerts.save(buildAlert({ id: asAlertId('A2'), type: 'rope_cut' }));
        await s.alerts.save(buildAlert({ id: asAlertId('A3'), movement: mov('MOV-2'), status: 'acknowledged' }));
        await s.alerts.save(buildAlert({ id: asAlertId('A4'), movement: mov('MOV-3'), status: 'resolved' }));
        assert.deepEqual(await s.alerts.countUnresolved('type'), { seal_opened: 2, rope_cut: 1 });
        assert.deepEqual(await s.alerts.countUnresolved('movement', [mov('MOV-1'), mov('MOV-3')]), { 'MOV-1': 2 });
        assert.deepEqual(await s.alerts.countUnresolved('movement', []), {});
      }),
    );

    test(
      'findUnresolved keys on the device when the movement is null',
      withStore(async (s) => {
        const deviceAlert = buildAlert({ id: asAlertId('A1'), type: 'battery_low', movement: null, device: dev('SEAL-A') });
        await s.alerts.save(deviceAlert);
        await s.alerts.save(
          buildAlert({ id: asAlertId('A2'), type: 'battery_low', movement: null, device: dev('SEAL-B'), status: 'resolved' }),
        );
        assert.deepEqual(await s.alerts.findUnresolved('battery_low', null, dev('SEAL-A')), deviceAlert);
        assert.equal(await s.alerts.findUnresolved('battery_low', null, dev('SEAL-B')), null);
        // An alert of a movement is not the device's own alert.
        await s.alerts.save(buildAlert({ id: asAlertId('A3'), type: 'signal_lost', device: dev('SEAL-C') }));
        assert.equal(await s.alerts.findUnresolved('signal_lost', null, dev('SEAL-C')), null);
      }),
    );
  });
}
