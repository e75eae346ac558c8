/**
 * The bytes of a queued command in each protocol that carries commands, the parameters each
 * needs (checked when the command is queued), and how a listener delivers due commands.
 * - jt600 (JT701 e-locks): unlock `(P43,<params.password>)`; custom: `params.text`, one `( … )` frame;
 * - eseal: unlock `RC-Unlock`; custom: `params.text`, the message type and fields (e.g. `RC-NFC DEL`);
 * - jt808: unlock / lock: vehicle control 0x8500; locate: position query 0x8201; custom: transparent
 *   data 0x8900 with `params.dataType` (0-255) and `params.data` (hex).
 */
import type { DeviceCommand } from '@sealwatch/core';
import { encodeEsealCommand, encodeEsealUnlock } from '@sealwatch/protocols/eseal/eseal-encoder';
import { encodeJt600Text, encodeJt600Unlock } from '@sealwatch/protocols/jt600/jt600-commands';
import { encodeJt808LocationQuery, encodeJt808Transparent, encodeJt808VehicleControl } from '@sealwatch/protocols/jt808/jt808-commands';
import type { CommandAddress } from '@sealwatch/protocols';
import type { CommandDelivery } from './command.service';

/** Where a command goes: the device's own identifier in its protocol, and for JT/T 808 the header and serial to use. */
export type CommandTarget = CommandAddress;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Why the parameters cannot make a frame for this protocol, or null when they can. */
export function commandParamsProblem(protocol: string, c: Pick<DeviceCommand, 'type' | 'params'>): string | null {
  const { type, params } = c;
  if (protocol === 'jt600' && type === 'unlock' && !/^[0-9A-Za-z]{6}$/.test(str(params.password)))
    return "params.password: a JT701 unlock needs the lock's six-character static password";
  if (protocol === 'jt600' && type === 'custom' && !/^\([\x20-\x28\x2a-\x7e]{1,200}\)$/.test(str(params.text)))
    return 'params.text: one "( … )" JT600 text frame of printable ASCII';
  if (protocol === 'eseal' && type === 'custom' && !/^[\x20-\x7e]{1,200}$/.test(str(params.text)))
    return 'params.text: the eSeal message type and fields, printable ASCII';
  if (protocol === 'jt808' && type === 'custom') {
    const t = params.dataType;
    if (!Number.isInteger(t) || (t as number) < 0 || (t as number) > 255) return 'params.dataType: the transparent data type byte, 0-255';
    if (!/^([0-9a-fA-F]{2}){1,1022}$/.test(str(params.data))) return 'params.data: the transparent data as hex, 1 to 1022 bytes';
  }
  return null;
}

/** The frame of a command (whose parameters passed `commandParamsProblem`). */
export function encodeCommandFrame(protocol: string, c: Pick<DeviceCommand, 'type' | 'params'>, target: CommandTarget): Buffer {
  const { type, params } = c;
  switch (protocol) {
    case 'jt600':
      return type === 'unlock' ? encodeJt600Unlock(str(params.password)) : encodeJt600Text(str(params.text));
    case 'eseal':
      return type === 'unlock' ? encodeEsealUnlock(target.identifier) : encodeEsealCommand(target.identifier, str(params.text));
    case 'jt808': {
      const j = target.jt808;
      if (!j) throw new Error('a JT/T 808 command needs the terminal header and a serial number');
      if (type === 'unlock' || type === 'lock') return encodeJt808VehicleControl(j.to, j.serial, type === 'lock');
      if (type === 'locate') return encodeJt808LocationQuery(j.to, j.serial);
      return encodeJt808Transparent(j.to, j.serial, params.dataType as number, Buffer.from(str(params.data), 'hex'));
    }
    default:
      throw new Error(`protocol ${protocol} carries no commands`);
  }
}

/**
 * Sends a device's due commands on its connection, oldest first: each is claimed (marked sent,
 * audited) before its bytes are written, so two connections of one device never both send it.
 * `target` gives each command's addressing (JT/T 808: a fresh serial per command). Returns the
 * commands sent, with the target they were sent to.
 */
export async function sendDueCommands(
  commands: CommandDelivery,
  protocol: string,
  identifier: string,
  write: (bytes: Buffer) => void,
  target: () => CommandTarget = () => ({ identifier }),
): Promise<{ command: DeviceCommand; target: CommandTarget }[]> {
  const out: { command: DeviceCommand; target: CommandTarget }[] = [];
  for (const c of await commands.due(protocol, identifier)) {
    const t = target();
    const bytes = encodeCommandFrame(protocol, c, t);
    const sent = await commands.markSent(c, bytes);
    if (!sent) continue;
    write(bytes);
    out.push({ command: sent, target: t });
  }
  return out;
}
