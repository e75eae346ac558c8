/**
 * Whether a command may be queued: which protocols can carry which commands, and the
 * customs rule for a remote unlock. A seal is opened remotely only where the goods are meant to be
 * released: on a movement that has arrived at its office of destination, for a device of that
 * movement, and, when the device's last position is known, with that position inside the office's
 * area. Pure: the caller loads the movement, the office and the device's last position.
 */
import { DomainError } from '../errors';
import { isInArea } from '../geo/area';
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
  destination: Pick<Office, 'code' | 'area'> | null;
  /** The device's last known position, or null when it never reported one. */
  lastPosition: Pick<Position, 'lat' | 'lon'> | null;
}

/**
 * Throws a DomainError when the command may not be queued:
 * - `command_not_supported`: the device's protocol cannot carry this command type;
 * - `device_not_on_movement`: the device is not listed on the movement;
 * - `movement_not_arrived` (unlock): the movement is not `arrived` (in transit, or already ended);
 * - `outside_destination_office` (unlock): the device last reported a position outside the office
 *   of destination's area (a device with no position yet is not refused on this ground).
 */
export function assertCommandAllowed(f: CommandRequestFacts): void {
  if (!supportedCommands(f.device.protocol).includes(f.type)) {
    throw new DomainError('command_not_supported', `devices of protocol ${f.device.protocol} cannot be sent a ${f.type} command`, { protocol: f.device.protocol, type: f.type, supported: supportedCommands(f.device.protocol) });
  }
  if (!f.movement.devices.includes(f.device.id)) {
    throw new DomainError('device_not_on_movement', `device ${f.device.id} is not listed on movement ${f.movement.id}`, { device: f.device.id, movement: f.movement.id });
  }
  if (f.type !== 'unlock') return;
  if (f.movement.status !== 'arrived') {
    throw new DomainError('movement_not_arrived', `movement ${f.movement.id} is ${f.movement.status}; a remote unlock needs it arrived at its office of destination`, { status: f.movement.status });
  }
  if (f.lastPosition && f.destination && !isInArea(f.lastPosition, f.destination.area)) {
    throw new DomainError('outside_destination_office', `device ${f.device.id} last reported a position outside office ${f.destination.code}`, { office: f.destination.code, position: { lat: f.lastPosition.lat, lon: f.lastPosition.lon } });
  }
}
