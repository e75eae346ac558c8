/**
 * JT/T 808 commands: vehicle control 0x8500 (unlock, lock), position query 0x8201, and transparent
 * data 0x8900 (custom: `params.dataType` 0-255 and `params.data` as hex). Each is addressed with
 * the terminal's header and the stream's next serial number; the terminal's 0x0001, 0x0500 or
 * 0x0201 naming that serial answers it (0x0500: done when the door lock bit shows the state asked
 * for; 0x0001: result 0).
 */
import type { CommandAnswer, CommandCodec, CommandRequest } from '../descriptor';
import {
  encodeJt808LocationQuery,
  encodeJt808Transparent,
  encodeJt808VehicleControl,
  readJt808CommandAnswer,
  type Jt808CommandAnswer,
} from './jt808-commands';

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const hex = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
const generalResults: Record<number, string> = { 0: 'success', 1: 'failure', 2: 'message error', 3: 'not supported' };

function judge(asked: CommandRequest, a: Jt808CommandAnswer): ReturnType<CommandAnswer['judge']> {
  if (a.msgId === 0x0001) {
    const name = generalResults[a.result ?? -1] ?? `result ${a.result}`;
    return {
      ok: a.result === 0,
      detail: `terminal general response: ${name}`,
      data: { msgId: hex(a.msgId), answeredMsgId: hex(a.answeredMsgId ?? 0), result: a.result },
    };
  }
  const position = a.location?.position ?? null;
  const data = { msgId: hex(a.msgId), position, time: a.location?.time ?? null, status: a.location?.attributes?.status ?? null };
  if (a.msgId === 0x0500) {
    const locked = a.location?.attributes?.doorLocked === true;
    const ok = (asked.type === 'lock') === locked;
    return { ok, detail: `vehicle control response: door ${locked ? 'locked' : 'unlocked'}`, data: { ...data, doorLocked: locked } };
  }
  return { ok: true, detail: 'position query response', data };
}

export const jt808CommandCodec: CommandCodec = {
  types: ['unlock', 'lock', 'locate', 'custom'],
  paramsProblem({ type, params }) {
    if (type !== 'custom') return null;
    const t = params.dataType;
    if (!Number.isInteger(t) || (t as number) < 0 || (t as number) > 255) return 'params.dataType: the transparent data type byte, 0-255';
    if (!/^([0-9a-fA-F]{2}){1,1022}$/.test(str(params.data))) return 'params.data: the transparent data as hex, 1 to 1022 bytes';
    return null;
  },
  encode({ type, params }, to) {
    const j = to.jt808;
    if (!j) throw new Error('a JT/T 808 command needs the terminal header and a serial number');
    if (type === 'unlock' || type === 'lock') return encodeJt808VehicleControl(j.to, j.serial, type === 'lock');
    if (type === 'locate') return encodeJt808LocationQuery(j.to, j.serial);
    return encodeJt808Transparent(j.to, j.serial, params.dataType as number, Buffer.from(str(params.data), 'hex'));
  },
  answers({ bytes }) {
    const a = readJt808CommandAnswer(bytes);
    return a ? [{ to: { serial: a.answerSerial }, judge: (asked) => judge(asked, a) }] : [];
  },
};
