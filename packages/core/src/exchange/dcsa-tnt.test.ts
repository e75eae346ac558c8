import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dcsaEquipmentEvents, dcsaIotEvents, type DcsaMovementInput } from './dcsa-tnt';

// Plain strings for ids and times: the brands only matter to the compiler.
type Loose = Parameters<typeof dcsaIotEvents>[1];

const movement = {
  container: 'CSQU3054383',
  seals: ['KE-1', 'A-SEAL-NUMBER-LONGER-THAN-15'],
  departureOffice: 'KEMBA',
  destinationOffice: 'UGMAL',
} as unknown as DcsaMovementInput['movement'];
const events = [
  { id: 'e1', type: 'movement_started' as const, time: '2026-12-01T08:00:00.000Z', createdAt: '2026-12-01T08:00:01.000Z' },
  { id: 'e2', type: 'seal_opened' as const, time: '2026-12-01T09:00:00.000Z', createdAt: '2026-12-01T09:00:01.000Z' },
  { id: 'e3', type: 'movement_arrived' as const, time: '2026-12-01T10:00:00.000Z', createdAt: '2026-12-01T10:00:01.000Z' },
] as unknown as DcsaMovementInput['events'];

test('a started and an arrived movement give GTOT and GTIN; seals too long for T&T 2.2 are left out; an unknown office keeps its code as the name', () => {
  const out = dcsaEquipmentEvents({
    movement,
    events,
    offices: { KEMBA: { name: 'Mombasa Port', position: { lat: -4.0435, lon: 39.6682 } } },
    sealTypes: {},
  });
  assert.deepEqual(
    out.map((e) => [e.equipmentEventTypeCode, e.eventID]),
    [
      ['GTOT', 'e1'],
      ['GTIN', 'e3'],
    ],
  );
  assert.deepEqual(out[0].seals, [{ sealNumber: 'KE-1', sealSource: 'CUS', sealType: 'BLT' }]);
  assert.deepEqual(out[0].eventLocation, { locationName: 'Mombasa Port', latitude: '-4.0435000', longitude: '39.6682000' });
  assert.deepEqual(out[1].eventLocation, { locationName: 'UGMAL' });
});

test('a movement without a container has no equipment events', () => {
  assert.deepEqual(dcsaEquipmentEvents({ movement: { ...movement, container: null }, events, offices: {}, sealTypes: {} }), []);
});

test('door events on each change of the reported door state per device, a location event per fix', () => {
  const o = (id: number, device: string, door: 'open' | 'closed' | null, position = false) => ({
    id,
    device,
    time: `2026-12-01T08:0${id}:00.000Z`,
    receivedAt: `2026-12-01T08:0${id}:01.000Z`,
    door,
    position: position ? { lat: 1, lon: 2, accuracy: null, speed: null, heading: null, source: 'gnss' } : null,
  });
  const out = dcsaIotEvents(
    'CSQU3054383',
    [o(1, 'a', 'closed'), o(2, 'a', 'closed', true), o(3, 'b', 'closed'), o(4, 'a', 'open'), o(5, 'a', null, true)] as unknown as Loose,
    (id, code) => `${id}${code}`,
  );
  assert.deepEqual(
    out.map((e) => e.eventID),
    ['1DRC', '2LOC', '3DRC', '4DRO', '5LOC'],
  );
  assert.deepEqual(out[1].geoLocation, { latitude: '1.0000000', longitude: '2.0000000' });
});
