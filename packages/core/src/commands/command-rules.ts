/**
 * Whether a command may be queued: which protocols can carry which commands, and the
 * customs rule for a remote unlock. A seal is opened remotely only where the goods are meant to be
 * released: on a movement that has arrived at its office of destination, for a device of that
 * movement, asked by the administration of that office, with a fresh position of the device inside
 * the office's area. Pure: the caller loads the movement, the office and the device's last position.
 */
import { DomainError } from '../errors';
import { isInArea } from '../geo/area';
import type { Timestamp } from '../ids';
import type { Device, Movement, Office, Position } from '../model';
import type { CommandType } from './command';

/**
 * The commands each device protocol can carry, from what its encoder sends:
 * JT600/JT701 `(P43,<password>)`; eSeal `RC-Unlock` and free commands; JT/T 808 vehicle control
 * 0x8500 (unlock, lock), position query 0x8201 and transparent data 0x8900.
 */
export const commandCapabilities: Readonly<Record<string, readonly CommandType[]>> = {
  jt600: ['unlock', 'custom'],
  eseal: ['unlock', 'custom'],
  jt808: ['unlock', 'lock', 'locate', 'custom'],
};

/** The command types a device of `protocol` can be sent (none for protocols without commands). */
export const supportedCommands = (protocol: string): readonly CommandType[] => commandCapabilities[protocol] ?? [];

export interface CommandRequestFacts {
  type: CommandType;
  device: Pick<Device, 'id' | 'protocol'>;
  movement: Pick<Movement, 'id' | 'status' | 'devices' | 'destinationOffice'>;
  /** The movement's office of destination (null if it is not registered). */
  destination: Pick<Office, 'code' | 'area' | 'country'> | null;
  /** The device's last known position and when it was taken, or null when it never reported one. */
  lastPosition: (Pick<Position, 'lat' | 'lon'> & { time: Timestamp | null }) | null;
  /** The country of the requesting customs administration; null for any other party. */
  requesterCountry: string | null;
  /** Whether the destination office's area is of an office's size and inside its country. */
  destinationAreaSound: boolean;
  now: Timestamp;
  /** How old the last position may be for an unlock, in milliseconds. */
  maxPositionAgeMs: number;
}

/**
 * Throws a DomainError when the command may not be queued:
 * - `command_not_supported`: the device's protocol cannot carry this command type;
 * - `device_not_on_movement`: the device is not listed on the movement;
 * - `not_destination_administration` (unlock): the requester is not the customs administration of
 *   the office of destination's country (only it releases the goods);
 * - `movement_not_arrived` (unlock): the movement is not `arrived` (in transit, or already ended);
 * - `office_area_unsound` (unlock): the destination office's area is larger than an office or
 *   outside its country, so being inside it proves nothing;
 * - `position_unknown` / `position_stale` (unlock): no position, or none within `maxPositionAgeMs`;
 * - `outside_destination_office` (unlock): the last position is outside the office's area.
 */
export function assertCommandAllowed(f: CommandRequestFacts): void {
  if (!supportedCommands(f.device.protocol).includes(f.type)) {
    throw new DomainError('command_not_supported', `devices of protocol ${f.device.protocol} cannot be sent a ${f.type} command`, {
      protocol: f.device.protocol,
      type: f.type,
      supported: supportedCommands(f.device.protocol),
    });
  }
  if (!f.movement.devices.includes(f.device.id)) {
    throw new DomainError('device_not_on_movement', `device ${f.device.id} is not listed on movement ${f.movement.id}`, {
      device: f.device.id,
      movement: f.movement.id,
    });
  }
  if (f.movement.status === 'ended') {
    throw new DomainError('device_not_on_movement', `movement ${f.movement.id} has ended: its devices take no more commands under it`, {
      device: f.device.id,
      movement: f.movement.id,
    });
  }
  // A custom frame is sent as written and can be an unlock in the device's own words (JT600
  // "(P43,…)", eSeal "RC-Unlock"), so it is held to every rule of an unlock.
  if (f.type !== 'unlock' && f.type !== 'custom') return;
  if (!f.destination || f.requesterCountry === null || f.requesterCountry !== f.destination.country) {
    throw new DomainError(
      'not_destination_administration',
      `only the customs administration of the office of destination (${f.destination?.country ?? 'unregistered'}) may unlock a device of movement ${f.movement.id}`,
      { office: f.movement.destinationOffice },
    );
  }
  if (f.movement.status !== 'arrived') {
    throw new DomainError(
      'movement_not_arrived',
      `movement ${f.movement.id} is ${f.movement.status}; a remote unlock needs it arrived at its office of destination`,
      { status: f.movement.status },
    );
  }
  if (!f.destinationAreaSound) {
    throw new DomainError(
      'office_area_unsound',
      `office ${f.destination.code}'s area is larger than an office or outside ${f.destination.country}; correct it before unlocking there`,
      { office: f.destination.code },
    );
  }
  if (!f.lastPosition || !f.lastPosition.time) {
    throw new DomainError(
      'position_unknown',
      `device ${f.device.id} has reported no position; an unlock needs one inside office ${f.destination.code}`,
      { office: f.destination.code },
    );
  }
  if (Date.parse(f.now) - Date.parse(f.lastPosition.time) > f.maxPositionAgeMs) {
    throw new DomainError(
      'position_stale',
      `device ${f.device.id}'s last position is from ${f.lastPosition.time}, older than ${Math.round(f.maxPositionAgeMs / 1000)} s`,
      { positionTime: f.lastPosition.time, maxAgeS: Math.round(f.maxPositionAgeMs / 1000) },
    );
  }
  if (!isInArea(f.lastPosition, f.destination.area)) {
    throw new DomainError(
      'outside_destination_office',
      `device ${f.device.id} last reported a position outside office ${f.destination.code}`,
      { office: f.destination.code, position: { lat: f.lastPosition.lat, lon: f.lastPosition.lon } },
    );
  }
}
