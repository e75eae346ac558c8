/**
 * The device command queue: an authorised user queues a command for a device of a
 * movement it may see; a vendor listener delivers it when the device next connects or reports and
 * records the device's answer; a command nobody answers expires after SEALWATCH_COMMAND_TTL_S.
 * Queueing and cancelling are API changes (audited by the route); every delivery, answer and
 * expiry is recorded in the audit trail (kind `device_command`) once the store took it (a status
 * change is a compare-and-set, so only the writer that won records it).
 */
import { createHash } from 'node:crypto';
import {
  DomainError,
  asCommandId,
  assertCommandAllowed,
  cancelCommand,
  expireCommand,
  isCommandExpired,
  markCommandSent,
  queueCommand,
  recordCommandResult,
  toTimestamp,
  type CommandResult,
  type CommandStatus,
  type CommandType,
  type Device,
  type DeviceCommand,
  type DeviceId,
  type NewAuditEntry,
  type Principal,
} from '@sealwatch/core';
import { PLATFORM_ORG } from '../access/access.service';
import type { Scopes } from '../access/scope';
import type { SecretBox } from '../keys/secret-box';
import type { CustodyService } from '../custody/custody.service';
import type { Page, PageRequest, Store } from '../storage/ports';

export interface CommandRequest {
  type: CommandType;
  movement: string;
  reason: string;
  params: Record<string, unknown>;
}

interface Deps {
  store: Pick<Store, 'commands' | 'offices' | 'processing' | 'movements' | 'access'>;
  scopes: Pick<Scopes, 'device' | 'movement'>;
  /** Records entries in the audit trail (resolves once they are committed). */
  audit: (entries: NewAuditEntry[]) => Promise<void>;
  /** Finds the device a vendor identifier (id or IMEI) names. */
  deviceByIdentifier: (identifier: string) => Promise<Device | null>;
  now: () => number;
  newId: () => string;
  /** How long a command may wait for delivery and answer. */
  ttlMs: number;
  /** Seals a lock's unlock password at rest (the master key), like every other stored secret. */
  box?: SecretBox;
  /** Whether an office's area is sound enough to unlock inside it. */
  custody: Pick<CustodyService, 'isOfficeAreaSound'>;
  /** How old a device's last position may be for an unlock. */
  unlockPositionMaxAgeMs: number;
}

const passwordContext = (id: string) => `command-password:${id}`;

/** What a listener needs of the queue. */
export type CommandDelivery = Pick<CommandService, 'due' | 'markSent' | 'awaiting' | 'answer'>;

/** The audit entry of a command's change: sent (with the bytes' hash), answered, expired. */
function commandEntry(c: DeviceCommand, action: string, actor: string, extra: Record<string, unknown> = {}): NewAuditEntry {
  const time = toTimestamp(c.completedAt ?? c.sentAt ?? c.createdAt);
  return {
    kind: 'device_command',
    ref: `command:${c.id}:${c.status}`,
    time,
    actor,
    subjects: [c.device, c.movement, `command:${c.id}`],
    action,
    data: { command: c.id, type: c.type, status: c.status, requestedBy: c.requestedBy, result: c.result, ...extra },
  };
}

export class CommandService {
  constructor(private readonly deps: Deps) {}

  /**
   * Queues a command for a device and movement both in the principal's scope (404 otherwise; the
   * movement named in the body: 422). Throws the rule's codes (command_not_supported,
   * device_not_on_movement, not_destination_administration, movement_not_arrived,
   * office_area_unsound, position_unknown, position_stale, outside_destination_office).
   */
  async request(principal: Principal, deviceId: string, r: CommandRequest): Promise<DeviceCommand> {
    const device = await this.deps.scopes.device(principal, deviceId);
    const movement = await this.deps.scopes.movement(principal, r.movement).catch((e: unknown) => {
      if (e instanceof DomainError && e.code === 'unknown_movement')
        throw new DomainError('unknown_movement', e.message, { field: 'movement' });
      throw e;
    });
    const [destination, state] = await Promise.all([
      this.deps.store.offices.get(movement.destinationOffice),
      this.deps.store.processing.deviceState(device.id),
    ]);
    const org = principal.organisation;
    assertCommandAllowed({
      type: r.type,
      device,
      movement,
      destination,
      lastPosition: state?.position ? { lat: state.position.lat, lon: state.position.lon, time: state.positionTime } : null,
      requesterCountry: org.kind === 'customs' ? org.country : null,
      destinationAreaSound: !!destination && this.deps.custody.isOfficeAreaSound(destination),
      now: toTimestamp(this.deps.now()),
      maxPositionAgeMs: this.deps.unlockPositionMaxAgeMs,
    });
    const id = asCommandId(this.deps.newId());
    const c = queueCommand(
      {
        id,
        device: device.id,
        movement: movement.id,
        type: r.type,
        params: this.sealPassword(id, r.params),
        requestedBy: principal.id,
        reason: r.reason,
      },
      this.deps.now(),
      this.deps.ttlMs,
    );
    await this.deps.store.commands.create(c);
    return c;
  }

  /** A device's commands (newest first) that the principal may see: those of movements in its scope. */
  async list(principal: Principal, deviceId: string, page: PageRequest): Promise<Page<DeviceCommand>> {
    const device = await this.deps.scopes.device(principal, deviceId);
    const p = await this.deps.store.commands.listByDevice(device.id, page);
    const visible = await Promise.all(p.items.map((c) => this.visible(principal, c)));
    return { items: p.items.filter((_, i) => visible[i]), nextCursor: p.nextCursor };
  }

  /** One command, if its movement is in the principal's scope; unknown_command (404) otherwise. */
  async get(principal: Principal, id: string): Promise<DeviceCommand> {
    const c = await this.deps.store.commands.get(asCommandId(id));
    if (!c || !(await this.visible(principal, c))) throw new DomainError('unknown_command', `no command with id ${id}`);
    return c;
  }

  /**
   * Withdraws a queued command (invalid_transition once it was sent or ended). Only the
   * organisation whose user queued it (or the platform) withdraws it: another administration that
   * sees the movement must not undo a command it did not give (403 not_command_requester).
   */
  async cancel(principal: Principal, id: string): Promise<DeviceCommand> {
    const c = await this.get(principal, id);
    if (principal.organisation.kind !== 'platform' && (await this.requesterOrganisation(c)) !== principal.organisation.id) {
      throw new DomainError('not_command_requester', `command ${id} was queued by another organisation; only it may cancel it`);
    }
    const cancelled = cancelCommand(c, principal.id, this.deps.now());
    if (!(await this.deps.store.commands.update(cancelled, c.status))) return this.cancel(principal, id);
    return cancelled;
  }

  /** The organisation of the user who queued the command (the platform for the installation token). */
  private async requesterOrganisation(c: DeviceCommand): Promise<string> {
    if (c.requestedBy === 'admin') return PLATFORM_ORG;
    return (await this.deps.store.access.getUser(c.requestedBy))?.organisation ?? PLATFORM_ORG;
  }

  /**
   * The commands to send a device now, oldest first: its queued commands, once the identifier
   * names a device registered for `protocol`. Expired ones are expired on the way.
   */
  async due(protocol: string, identifier: string): Promise<DeviceCommand[]> {
    const device = await this.deps.deviceByIdentifier(identifier);
    if (!device || device.protocol !== protocol) return [];
    const queued = await this.openOf(device.id, 'queued');
    // A command queued under a movement that has since ended is not sent: the device may seal
    // another movement by now, under another administration (it expires at its time limit).
    const live = await Promise.all(queued.map(async (c) => (await this.deps.store.movements.get(c.movement))?.status !== 'ended'));
    return queued.filter((_, i) => live[i]).map((c) => this.openPassword(c));
  }

  /** A lock password is stored sealed, bound to its command; only the frame that is sent carries it in clear. */
  private sealPassword(id: string, params: Record<string, unknown>): Record<string, unknown> {
    if (!this.deps.box || typeof params.password !== 'string') return params;
    return { ...params, password: this.deps.box.seal(Buffer.from(params.password, 'utf8'), passwordContext(id)) };
  }

  /** The command with its password opened (one queued before sealing existed is used as stored). */
  private openPassword(c: DeviceCommand): DeviceCommand {
    const pw = c.params.password;
    if (!this.deps.box || typeof pw !== 'string' || !pw.startsWith('sw1.')) return c;
    return { ...c, params: { ...c.params, password: this.deps.box.open(pw, passwordContext(c.id)).toString('utf8') } };
  }

  /** A device's commands sent and waiting for an answer, oldest first (expired ones expired). */
  async awaiting(device: DeviceId): Promise<DeviceCommand[]> {
    return this.openOf(device, 'sent');
  }

  /**
   * Claims a queued command for sending (audited with the SHA-256 of `bytes`): false when it was
   * cancelled, expired or claimed by another connection meanwhile. Write the bytes only after true.
   */
  async markSent(c: DeviceCommand, bytes: Buffer): Promise<DeviceCommand | null> {
    const sent = markCommandSent(c, this.deps.now());
    if (!(await this.deps.store.commands.update(sent, 'queued'))) return null;
    // A frame carrying the lock's six-character password is not hashed: its hash would give the password away to a search.
    const evidence = c.params.password
      ? { bytesSha256: null, secretWithheld: 'password' }
      : { bytesSha256: createHash('sha256').update(bytes).digest('hex') };
    await this.deps.audit([commandEntry(sent, 'command_sent', 'system', { ...evidence, bytes: bytes.length })]);
    return sent;
  }

  /** Records the device's answer (audited): acknowledged when `ok`, failed otherwise. False if the command was no longer sent. */
  async answer(c: DeviceCommand, ok: boolean, result: CommandResult): Promise<boolean> {
    const done = recordCommandResult(c, ok, result, this.deps.now());
    if (!(await this.deps.store.commands.update(done, 'sent'))) return false;
    await this.deps.audit([commandEntry(done, ok ? 'command_acknowledged' : 'command_failed', `device:${c.device}`)]);
    return true;
  }

  /** Expires every open command whose time has come (run on a timer); returns how many. */
  async expireDue(): Promise<number> {
    let n = 0;
    for (;;) {
      const batch = await this.deps.store.commands.expiring(toTimestamp(this.deps.now()), 100);
      for (const c of batch) if (await this.expire(c)) n += 1;
      if (batch.length < 100) return n;
    }
  }

  private async expire(c: DeviceCommand): Promise<boolean> {
    const expired = expireCommand(c, this.deps.now());
    if (!(await this.deps.store.commands.update(expired, c.status))) return false;
    await this.deps.audit([commandEntry(expired, 'command_expired', 'system')]);
    return true;
  }

  private async openOf(device: DeviceId, status: CommandStatus): Promise<DeviceCommand[]> {
    const open = await this.deps.store.commands.open(device, [status]);
    const now = this.deps.now();
    const live: DeviceCommand[] = [];
    for (const c of open) {
      if (isCommandExpired(c, now)) await this.expire(c);
      else live.push(c);
    }
    return live;
  }

  private async visible(principal: Principal, c: DeviceCommand): Promise<boolean> {
    // A command is a customs act (who asked, why, an unlock's timing): the trader whose cargo it
    // concerns is told nothing of it before it happens; it sees the seal's state change afterwards.
    if (principal.organisation.kind === 'trader') return false;
    try {
      await this.deps.scopes.movement(principal, c.movement);
      return true;
    } catch (e) {
      if (e instanceof DomainError && e.code === 'unknown_movement') return false;
      throw e;
    }
  }
}
