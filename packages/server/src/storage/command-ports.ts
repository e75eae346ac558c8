/**
 * The command store port (part of `Store`): the device command queue. Every status
 * change is a compare-and-set on the status the writer read, so a cancel, a delivery on another
 * connection or gateway, an answer and an expiry can race without one overwriting another.
 */
import type { CommandId, CommandStatus, DeviceCommand, DeviceId, Timestamp } from '@sealwatch/core';
import type { Page, PageRequest } from './page';

export interface CommandStore {
  /** Stores a new command (its id is new). */
  create(c: DeviceCommand): Promise<void>;
  get(id: CommandId): Promise<DeviceCommand | null>;
  /** A device's commands, newest first (by creation time, then id). */
  listByDevice(device: DeviceId, page: PageRequest): Promise<Page<DeviceCommand>>;
  /** A device's commands in one of `statuses`, oldest first: what to send, what awaits an answer. */
  open(device: DeviceId, statuses: readonly CommandStatus[]): Promise<DeviceCommand[]>;
  /** Queued or sent commands whose expiry is at or before `at`, oldest expiry first, at most `limit`. */
  expiring(at: Timestamp, limit: number): Promise<DeviceCommand[]>;
  /**
   * Replaces the stored command with `c` (same id) only if its status is still `from`; true if it
   * was replaced, false if another writer changed it first (or it does not exist).
   */
  update(c: DeviceCommand, from: CommandStatus): Promise<boolean>;
}
