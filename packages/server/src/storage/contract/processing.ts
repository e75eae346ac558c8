/** Storage contract, processing: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asAlertId, asEventId } from '@sealwatch/core';
import { at, dev, buildEvent, buildAlert, buildDeviceState, ids, type WithStore } from './fixtures';

export function processingContract(withStore: WithStore): void {
  describe('processing', () => {
    test(
      'checkpoint is 0 for a processor that never committed',
      withStore(async (s) => {
        assert.equal(await s.processing.checkpoint('detectors'), 0);
      }),
    );

    test(
      'commit stores events, alerts, device states and the checkpoint together',
      withStore(async (s) => {
        const event = buildEvent();
        const alert = buildAlert();
        const state = buildDeviceState();
        await s.processing.commit({ processor: 'detectors', checkpoint: 7, events: [event], alerts: [alert], deviceStates: [state] });
        assert.equal(await s.processing.checkpoint('detectors'), 7);
        assert.deepEqual((await s.events.list({}, { limit: 10 })).items, [event]);
        assert.deepEqual(await s.alerts.get(alert.id), alert);
        assert.deepEqual(await s.processing.deviceState(state.device), state);
      }),
    );

    test(
      'commit by observation ids applies once per observation, in any order of batches, and says whether it applied',
      withStore(async (s) => {
        const later = await s.processing.commit({
          processor: 'p-1',
          checkpoint: 50,
          observationIds: [5, 6],
          events: [buildEvent({ id: asEventId('EV-later') })],
          alerts: [],
          deviceStates: [],
        });
        assert.equal(later, true);
        // An earlier batch committed after a later one still applies: no position makes it a replay.
        const earlier = await s.processing.commit({
          processor: 'p-1',
          checkpoint: 20,
          observationIds: [3, 4],
          events: [buildEvent({ id: asEventId('EV-earlier') })],
          alerts: [],
          deviceStates: [],
        });
        assert.equal(earlier, true);
        assert.equal(await s.processing.checkpoint('p-1'), 50);
        // One id already processed: the whole commit is skipped.
        const overlap = await s.processing.commit({
          processor: 'p-1',
          checkpoint: 60,
          observationIds: [4, 7],
          events: [buildEvent({ id: asEventId('EV-overlap') })],
          alerts: [],
          deviceStates: [],
        });
        assert.equal(overlap, false);
        assert.deepEqual((await s.events.list({}, { limit: 10 })).items.map((e) => e.id).sort(), ['EV-earlier', 'EV-later']);
        assert.deepEqual(await s.processing.unprocessed([8, 4, 7, 3]), [7, 8]);
        assert.deepEqual(await s.processing.unprocessed([]), []);
      }),
    );

    test(
      'a device state is never replaced by an older one',
      withStore(async (s) => {
        const newer = buildDeviceState({ lastTime: at(20), lastSeq: 20 });
        await s.processing.commit({ processor: 'p-1', checkpoint: 1, observationIds: [1], events: [], alerts: [], deviceStates: [newer] });
        await s.processing.commit({
          processor: 'p-1',
          checkpoint: 2,
          observationIds: [2],
          events: [],
          alerts: [],
          deviceStates: [{ ...newer, lastTime: at(10), lastSeq: 10 }],
        });
        assert.deepEqual(await s.processing.deviceState(newer.device), newer);
      }),
    );

    test(
      'ignores a commit whose checkpoint is not past the stored one',
      withStore(async (s) => {
        const alert = buildAlert();
        const state = buildDeviceState();
        await s.processing.commit({
          processor: 'detectors',
          checkpoint: 10,
          events: [buildEvent()],
          alerts: [alert],
          deviceStates: [state],
        });
        for (const checkpoint of [10, 4]) {
          await s.processing.commit({
            processor: 'detectors',
            checkpoint,
            events: [buildEvent({ id: asEventId(`EV-replay-${checkpoint}`) })],
            alerts: [{ ...alert, count: 99, updatedAt: at(99) }],
            deviceStates: [{ ...state, lastSeq: 99 }],
          });
        }
        assert.equal(await s.processing.checkpoint('detectors'), 10);
        assert.deepEqual(
          (await s.events.list({}, { limit: 10 })).items.map((e) => e.id),
          ['EV-1'],
        );
        assert.deepEqual(await s.alerts.get(alert.id), alert);
        assert.deepEqual(await s.processing.deviceState(state.device), state);
      }),
    );

    test(
      'keeps one checkpoint per processor',
      withStore(async (s) => {
        await s.processing.commit({ processor: 'detectors', checkpoint: 10, events: [], alerts: [], deviceStates: [] });
        await s.processing.commit({ processor: 'exporter', checkpoint: 3, events: [], alerts: [], deviceStates: [] });
        await s.processing.commit({ processor: 'detectors', checkpoint: 12, events: [], alerts: [], deviceStates: [] });
        assert.equal(await s.processing.checkpoint('detectors'), 12);
        assert.equal(await s.processing.checkpoint('exporter'), 3);
      }),
    );

    test(
      'a later commit keeps an event id already stored and upserts its alerts and states',
      withStore(async (s) => {
        const event = buildEvent();
        await s.processing.record([event], []);
        await s.processing.commit({
          processor: 'detectors',
          checkpoint: 1,
          events: [],
          alerts: [buildAlert()],
          deviceStates: [buildDeviceState()],
        });
        const repeated = buildAlert({
          count: 2,
          lastTime: at(20),
          updatedAt: at(20),
          revision: 2,
          history: [...buildAlert().history, { action: 'repeated', at: at(20), by: null }],
        });
        const moved = buildDeviceState({ lastSeq: 43, position: { lat: -1.3, lon: 36.9 }, positionTime: at(20) });
        await s.processing.commit({
          processor: 'detectors',
          checkpoint: 2,
          events: [{ ...event, details: { changed: true } }],
          alerts: [repeated],
          deviceStates: [moved],
        });
        assert.deepEqual((await s.events.list({}, { limit: 10 })).items, [event]);
        assert.deepEqual(await s.alerts.get(repeated.id), repeated);
        assert.deepEqual(await s.processing.deviceState(moved.device), moved);
        assert.equal(await s.processing.checkpoint('detectors'), 2);
      }),
    );

    test(
      'a commit that fails part-way stores nothing',
      withStore(async (s) => {
        // A BigInt cannot be serialised as JSON, so the alert fails after the event was written.
        const broken = buildAlert({ details: { reading: 10n } });
        await assert.rejects(
          s.processing.commit({
            processor: 'detectors',
            checkpoint: 5,
            events: [buildEvent()],
            alerts: [buildAlert({ id: asAlertId('AL-0') }), broken],
            deviceStates: [buildDeviceState()],
          }),
        );
        assert.equal(await s.processing.checkpoint('detectors'), 0);
        assert.deepEqual((await s.events.list({}, { limit: 10 })).items, []);
        assert.equal(await s.alerts.get(asAlertId('AL-0')), null);
        assert.equal(await s.processing.deviceState(dev('SEAL-A')), null);
      }),
    );

    test(
      'record saves events and alerts without moving any checkpoint, ignoring known event ids',
      withStore(async (s) => {
        const event = buildEvent({ type: 'seq_conflict', movement: null, observation: null });
        const alert = buildAlert({ type: 'message_forged', movement: null });
        await s.processing.record([event], [alert]);
        await s.processing.record([{ ...event, details: { other: 1 } }], [{ ...alert, status: 'acknowledged', revision: 2 }]);
        assert.deepEqual((await s.events.list({}, { limit: 10 })).items, [event]);
        assert.equal((await s.alerts.get(alert.id))?.status, 'acknowledged');
        assert.equal(await s.processing.checkpoint('detectors'), 0);
      }),
    );

    test(
      'deviceState is null for an unknown device; deviceStates gives only the known ones',
      withStore(async (s) => {
        const a = buildDeviceState();
        const b = buildDeviceState({ device: dev('SEAL-B'), position: null, positionTime: null, seal: null, battery: null, lastSeq: null });
        await s.processing.commit({ processor: 'detectors', checkpoint: 1, events: [], alerts: [], deviceStates: [a, b] });
        assert.equal(await s.processing.deviceState(dev('SEAL-Z')), null);
        assert.deepEqual(await s.processing.deviceState(b.device), b);
        const states = await s.processing.deviceStates([dev('SEAL-B'), dev('SEAL-Z'), dev('SEAL-A')]);
        assert.deepEqual(
          [...states].sort((x, y) => x.device.localeCompare(y.device)),
          [a, b],
        );
        assert.deepEqual(await s.processing.deviceStates([]), []);
      }),
    );
  });
}
