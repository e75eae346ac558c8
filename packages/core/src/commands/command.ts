/**
 * Device commands: what a customs user asks a device to do (a remote unlock at the
 * destination office, a lock, a position request, a vendor command), queued until the device next
 * connects, then sent, then answered or expired. Pure: times come in as arguments.
 *
 * Lifecycle: `queued` → `sent` → `acknowledged` | `failed`; `queued` or `sent` → `expired` when the
 * device did not answer before `expiresAt`; `queued` → `cancelled` by a user. The last four are final.
 */
import type { Brand, DeviceId, MovementId, Timestamp } from '../ids';
import { DomainError } from '../errors';

export type CommandId = Brand<string, 'CommandId'>;
export const asCommandId = (s: string) => s as CommandId;

export const commandTypes = ['unlock', 'lock', 'locate', 'custom'] as const;
export type CommandType = (typeof commandTypes)[number];

export const commandStatuses = ['queued', 'sent', 'acknowledged', 'failed', 'expired', 'cancelled'] as const;
export type CommandStatus = (typeof commandStatuses)[number];

/** What the device answered (or why there is no answer), as recorded evidence. */
export interface CommandResult {
  /** A short human statement, e.g. "RC-Unlock ACK" or "unlock refused by the lock (password check 0)". */
  detail: string;
  /** The vendor fields of the answer (kept raw), or the expiry facts. */
  data: Record<string, unknown>;
}

export interface DeviceCommand {
  id: CommandId;
  device: DeviceId;
  /** The movement the command is given for: its scope decides who may see and ask. */
  movement: MovementId;
  type: CommandType;
  /** Type-specific parameters: a lock password, a vendor command text. */
  params: Record<string, unknown>;
  status: CommandStatus;
  /** The user (principal id) who asked. */
  requestedBy: string;
  /** Why the user asked (mandatory; part of the evidence). */
  reason: string;
  createdAt: Timestamp;
  /** After this time an unsent or unanswered command expires. */
  expiresAt: Timestamp;
  sentAt: Timestamp | null;
  /** When the command reached a final status. */
  completedAt: Timestamp | null;
  result: CommandResult | null;
}

/** The statuses a command never leaves. */
export const isFinalCommandStatus = (s: CommandStatus): boolean => s !== 'queued' && s !== 'sent';

/** A new command, queued until `now + ttlMs`. */
export function queueCommand(
  c: Pick<DeviceCommand, 'id' | 'device' | 'movement' | 'type' | 'params' | 'requestedBy' | 'reason'>,
  now: number,
  ttlMs: number,
): DeviceCommand {
  return {
    ...c,
    status: 'queued',
    createdAt: new Date(now).toISOString() as Timestamp,
    expiresAt: new Date(now + ttlMs).toISOString() as Timestamp,
    sentAt: null,
    completedAt: null,
    result: null,
  };
}

const move = (c: DeviceCommand, from: readonly CommandStatus[], to: CommandStatus): void => {
  if (!from.includes(c.status))
    throw new DomainError('invalid_transition', `command ${c.id} is ${c.status}; it cannot become ${to}`, { from: c.status, to });
};

/** The command written to the device at `now`. Throws invalid_transition unless queued. */
export function markCommandSent(c: DeviceCommand, now: number): DeviceCommand {
  move(c, ['queued'], 'sent');
  return { ...c, status: 'sent', sentAt: new Date(now).toISOString() as Timestamp };
}

/** The device's answer: acknowledged (`ok`) or failed. Throws invalid_transition unless sent. */
export function recordCommandResult(c: DeviceCommand, ok: boolean, result: CommandResult, now: number): DeviceCommand {
  const status = ok ? 'acknowledged' : 'failed';
  move(c, ['sent'], status);
  return { ...c, status, completedAt: new Date(now).toISOString() as Timestamp, result };
}

/** A user withdraws a command the device has not been sent yet. Throws invalid_transition otherwise. */
export function cancelCommand(c: DeviceCommand, by: string, now: number): DeviceCommand {
  move(c, ['queued'], 'cancelled');
  return {
    ...c,
    status: 'cancelled',
    completedAt: new Date(now).toISOString() as Timestamp,
    result: { detail: `cancelled by ${by}`, data: { by } },
  };
}

/** True when the command is still open (queued or sent) and its time to live has run out at `now`. */
export function isCommandExpired(c: DeviceCommand, now: number): boolean {
  return !isFinalCommandStatus(c.status) && Date.parse(c.expiresAt) <= now;
}

/** The command expired at `now` (it was never sent, or the device never answered). Throws unless open. */
export function expireCommand(c: DeviceCommand, now: number): DeviceCommand {
  move(c, ['queued', 'sent'], 'expired');
  const detail =
    c.status === 'queued'
      ? 'the device did not connect before the command expired'
      : 'the device did not answer before the command expired';
  return {
    ...c,
    status: 'expired',
    completedAt: new Date(now).toISOString() as Timestamp,
    result: { detail, data: { wasStatus: c.status, expiresAt: c.expiresAt } },
  };
}
