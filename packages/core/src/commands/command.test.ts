import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors';
import { asDeviceId, asMovementId, asOfficeCode, toTimestamp } from '../ids';
import type { Area } from '../model';
import {
  asCommandId,
  cancelCommand,
  expireCommand,
  isCommandExpired,
  markCommandSent,
  queueCommand,
  recordCommandResult,
  type DeviceCommand,
} from './command';
import { assertCommandAllowed, supportedCommands, type CommandRequestFacts } from './command-rules';

const t0 = Date.UTC(2026, 10, 26, 8, 0, 0);
const lock = asDeviceId('LOCK-1');
const malaba: Area = {
  type: 'Polygon',
  coordinates: [
    [
      [34.26, 0.62],
      [34.29, 0.62],
      [34.29, 0.65],
      [34.26, 0.65],
      [34.26, 0.62],
    ],
  ],
};

const facts = (over: Partial<CommandRequestFacts> = {}): CommandRequestFacts => ({
  type: 'unlock',
  device: { id: lock, protocol: 'jt600' },
  movement: { id: asMovementId('MOV-1'), status: 'arrived', devices: [lock], destinationOffice: asOfficeCode('UGMAL') },
  destination: { code: asOfficeCode('UGMAL'), area: malaba, country: 'UG' },
  lastPosition: { lat: 0.635, lon: 34.275, time: toTimestamp(t0 - 60_000) },
  requesterCountry: 'UG',
  destinationAreaSound: true,
  now: toTimestamp(t0),
  maxPositionAgeMs: 10 * 60_000,
  ...over,
});
const refusal = (f: CommandRequestFacts): string | null => {
  try {
    assertCommandAllowed(f);
    return null;
  } catch (e) {
    assert.ok(e instanceof DomainError);
    return e.code;
  }
};

describe('the remote unlock rule', () => {
  test('allows an unlock of a device on an arrived movement whose last position is inside the destination office', () => {
    assert.equal(refusal(facts()), null);
  });

  test('refuses an unlock before arrival (movement_not_arrived), and after the movement ended', () => {
    for (const status of ['declared', 'in_transit', 'held'] as const) {
      assert.equal(refusal(facts({ movement: { ...facts().movement, status } })), 'movement_not_arrived', status);
    }
  });

  test('refuses every command under a movement that has ended: the device may seal another movement by now', () => {
    for (const type of ['unlock', 'lock', 'locate', 'custom'] as const) {
      assert.equal(
        refusal(facts({ type, device: { id: lock, protocol: 'jt808' }, movement: { ...facts().movement, status: 'ended' } })),
        'device_not_on_movement',
        type,
      );
    }
  });

  test("holds a custom frame to every rule of an unlock (it can be an unlock in the device's own words)", () => {
    assert.equal(refusal(facts({ type: 'custom' })), null, 'arrived, inside the office, destination administration');
    assert.equal(refusal(facts({ type: 'custom', movement: { ...facts().movement, status: 'in_transit' } })), 'movement_not_arrived');
    assert.equal(refusal(facts({ type: 'custom', requesterCountry: 'KE' })), 'not_destination_administration');
    assert.equal(refusal(facts({ type: 'custom', requesterCountry: null })), 'not_destination_administration');
    assert.equal(refusal(facts({ type: 'custom', lastPosition: null })), 'position_unknown');
  });

  test('refuses a device the movement does not list (device_not_on_movement), for every command type', () => {
    const movement = { ...facts().movement, devices: [asDeviceId('OTHER')] };
    assert.equal(refusal(facts({ movement })), 'device_not_on_movement');
    assert.equal(refusal(facts({ movement, type: 'custom' })), 'device_not_on_movement');
  });

  test('refuses an unlock when the device last reported a position outside the destination office (a circle area too)', () => {
    const fix = (lat: number, lon: number) => ({ lat, lon, time: toTimestamp(t0 - 60_000) });
    assert.equal(refusal(facts({ lastPosition: fix(-1.2921, 36.8219) })), 'outside_destination_office');
    const circle = { code: asOfficeCode('UGMAL'), area: { center: { lat: 0.635, lon: 34.275 }, radiusM: 500 }, country: 'UG' };
    assert.equal(refusal(facts({ destination: circle, lastPosition: fix(0.635, 34.279) })), null, 'about 450 m from the centre');
    assert.equal(
      refusal(facts({ destination: circle, lastPosition: fix(0.635, 34.285) })),
      'outside_destination_office',
      'about 1.1 km away',
    );
  });

  test('refuses an unlock of a device that never reported a position (position_unknown) or not recently (position_stale)', () => {
    assert.equal(refusal(facts({ lastPosition: null })), 'position_unknown');
    assert.equal(refusal(facts({ lastPosition: { lat: 0.635, lon: 34.275, time: toTimestamp(t0 - 11 * 60_000) } })), 'position_stale');
  });

  test('only the administration of the destination office unlocks (not_destination_administration): not another country, not a trader or the platform', () => {
    assert.equal(refusal(facts({ requesterCountry: 'KE' })), 'not_destination_administration');
    assert.equal(refusal(facts({ requesterCountry: null })), 'not_destination_administration');
    assert.equal(refusal(facts({ destination: null })), 'not_destination_administration');
  });

  test("refuses an unlock inside an office whose area is not of an office's size or outside its country (office_area_unsound)", () => {
    assert.equal(refusal(facts({ destinationAreaSound: false })), 'office_area_unsound');
  });

  test('refuses a command type the protocol cannot carry (command_not_supported) before anything else', () => {
    assert.equal(
      refusal(facts({ device: { id: lock, protocol: 'native' }, movement: { ...facts().movement, status: 'in_transit' } })),
      'command_not_supported',
    );
    assert.equal(refusal(facts({ type: 'lock' })), 'command_not_supported', 'JT600 locks re-lock by themselves');
    assert.deepEqual(supportedCommands('jt808'), ['unlock', 'lock', 'locate', 'custom']);
    assert.deepEqual(supportedCommands('teltonika'), []);
  });

  test('lock, locate and custom commands do not need an arrived movement', () => {
    const inTransit = { ...facts().movement, status: 'in_transit' as const };
    assert.equal(
      refusal(
        facts({
          type: 'lock',
          device: { id: lock, protocol: 'jt808' },
          movement: inTransit,
          lastPosition: { lat: -1.29, lon: 36.82, time: null },
          requesterCountry: null,
        }),
      ),
      null,
    );
    assert.equal(refusal(facts({ type: 'locate', device: { id: lock, protocol: 'jt808' }, movement: inTransit })), null);
  });
});

describe('the command lifecycle', () => {
  const queued = (): DeviceCommand =>
    queueCommand(
      {
        id: asCommandId('CMD-1'),
        device: lock,
        movement: asMovementId('MOV-1'),
        type: 'unlock',
        params: {},
        requestedBy: 'u-officer',
        reason: 'goods released',
      },
      t0,
      3600_000,
    );

  test('queued with an expiry ttl later; sent; acknowledged with the device answer', () => {
    const c = queued();
    assert.equal(c.status, 'queued');
    assert.equal(c.expiresAt, '2026-11-26T09:00:00.000Z');
    const sent = markCommandSent(c, t0 + 60_000);
    assert.equal(sent.sentAt, '2026-11-26T08:01:00.000Z');
    const done = recordCommandResult(sent, true, { detail: 'RC-Unlock ACK', data: { type: 'RC-Unlock ACK' } }, t0 + 65_000);
    assert.equal(done.status, 'acknowledged');
    assert.equal(done.completedAt, '2026-11-26T08:01:05.000Z');
    assert.deepEqual(done.result, { detail: 'RC-Unlock ACK', data: { type: 'RC-Unlock ACK' } });
    assert.equal(recordCommandResult(sent, false, { detail: 'refused', data: {} }, t0).status, 'failed');
  });

  test('expires when the ttl runs out, whether never sent or never answered; final commands never expire', () => {
    const c = queued();
    assert.equal(isCommandExpired(c, t0 + 3599_999), false);
    assert.equal(isCommandExpired(c, t0 + 3600_000), true);
    assert.equal(expireCommand(c, t0 + 3600_000).result?.data.wasStatus, 'queued');
    const sent = markCommandSent(c, t0 + 1000);
    const expired = expireCommand(sent, t0 + 3600_000);
    assert.equal(expired.status, 'expired');
    assert.match(expired.result!.detail, /did not answer/);
    assert.equal(isCommandExpired(expired, t0 + 9_999_999), false);
  });

  test('only a queued command can be cancelled or sent; only a sent one answered (invalid_transition)', () => {
    const cancelled = cancelCommand(queued(), 'u-sup', t0 + 10);
    assert.equal(cancelled.status, 'cancelled');
    for (const f of [
      () => markCommandSent(cancelled, t0),
      () => cancelCommand(markCommandSent(queued(), t0), 'x', t0),
      () => recordCommandResult(queued(), true, { detail: '', data: {} }, t0),
      () => expireCommand(cancelled, t0),
    ]) {
      assert.throws(f, (e: unknown) => e instanceof DomainError && e.code === 'invalid_transition');
    }
  });
});
