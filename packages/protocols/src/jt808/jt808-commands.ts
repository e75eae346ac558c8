/**
 * Commands of the platform to a JT/T 808 terminal, and the terminal's answers to them
 * (JT/T 808-2013 §8.1, §8.2, §8.21, §8.22, §8.51, §8.52):
 * - vehicle control 0x8500: one control byte, bit 0 = 0 unlock the door(s), 1 lock them; the
 *   terminal answers 0x0500 with the answered serial number and a location report whose status bit
 *   12 tells the door lock state (0 unlocked, 1 locked). E-locks and padlocks speaking JT/T 808
 *   implement their lock through this door lock;
 * - position query 0x8201 (empty body), answered by 0x0201: answered serial number and a location report;
 * - downlink transparent data 0x8900: a type byte and the vendor's bytes, answered by the general
 *   response 0x0001 (answered serial, answered message id, result 0 ok / 1 failed / 2 wrong / 3 unsupported),
 *   which a terminal may also send for 0x8500 and 0x8201 when it cannot do them.
 * The serial number of each platform message is the platform's own counter; answers name it.
 */
import type { DecodedObservation } from '../decoded';
import { encodeJt808TerminalMessage, type Jt808Terminal } from './jt808-encoder';
import { readJt808Location } from './jt808-location';
import { encodeJt808Message, readJt808Message, type Jt808Header } from './jt808-message';

export const JT808_COMMAND_MSG = {
  vehicleControl: 0x8500,
  vehicleControlResponse: 0x0500,
  locationQuery: 0x8201,
  locationQueryResponse: 0x0201,
  transparentDown: 0x8900,
  terminalGeneralResponse: 0x0001,
} as const;

type To = Pick<Jt808Header, 'version' | 'phoneBytes'>;

/** Vehicle control 0x8500: `lock` false unlocks (control bit 0 = 0), true locks. */
export const encodeJt808VehicleControl = (to: To, serial: number, lock: boolean): Buffer =>
  encodeJt808Message(JT808_COMMAND_MSG.vehicleControl, to, serial, Buffer.from([lock ? 1 : 0]));

/** Position query 0x8201. */
export const encodeJt808LocationQuery = (to: To, serial: number): Buffer =>
  encodeJt808Message(JT808_COMMAND_MSG.locationQuery, to, serial, Buffer.alloc(0));

/** Downlink transparent data 0x8900: a message type byte and the content (at most 1022 bytes). */
export function encodeJt808Transparent(to: To, serial: number, type: number, content: Buffer): Buffer {
  if (!Number.isInteger(type) || type < 0 || type > 0xff || content.length > 1022)
    throw new RangeError('transparent data: a type byte and at most 1022 bytes');
  return encodeJt808Message(JT808_COMMAND_MSG.transparentDown, to, serial, Buffer.concat([Buffer.from([type]), content]));
}

/** A terminal's answer to a platform command. */
export interface Jt808CommandAnswer {
  /** The message id of the answer (0x0001, 0x0500 or 0x0201). */
  msgId: number;
  /** The serial number of the platform message it answers. */
  answerSerial: number;
  /** 0x0001: the answered message id and the result byte. */
  answeredMsgId?: number;
  result?: number;
  /** 0x0500 / 0x0201: the location the terminal attached (named by the phone number digits). */
  location?: DecodedObservation;
}

/** Reads a frame as a command answer; null when it is no answer (or does not decode). */
export function readJt808CommandAnswer(frame: Buffer): Jt808CommandAnswer | null {
  const m = readJt808Message(frame);
  if (typeof m === 'string') return null;
  const { header: h, body } = m;
  if (h.msgId === JT808_COMMAND_MSG.terminalGeneralResponse) {
    if (body.length < 5) return null;
    return { msgId: h.msgId, answerSerial: body.readUInt16BE(0), answeredMsgId: body.readUInt16BE(2), result: body[4] };
  }
  if (h.msgId === JT808_COMMAND_MSG.vehicleControlResponse || h.msgId === JT808_COMMAND_MSG.locationQueryResponse) {
    if (body.length < 2) return null;
    const location = readJt808Location(body.subarray(2), h.phone);
    return { msgId: h.msgId, answerSerial: body.readUInt16BE(0), ...(typeof location === 'string' ? {} : { location }) };
  }
  return null;
}

/** The terminal's side, for tests and the simulator: a general response 0x0001. */
export function encodeJt808TerminalResponse(
  terminal: Jt808Terminal,
  serial: number,
  answerSerial: number,
  answeredMsgId: number,
  result: number,
): Buffer {
  const body = Buffer.alloc(5);
  body.writeUInt16BE(answerSerial, 0);
  body.writeUInt16BE(answeredMsgId, 2);
  body[4] = result;
  return encodeJt808TerminalMessage(terminal, JT808_COMMAND_MSG.terminalGeneralResponse, serial, body);
}

/** The terminal's side: 0x0500 (vehicle control) or 0x0201 (position query) with a location body. */
export function encodeJt808LocatedAnswer(
  terminal: Jt808Terminal,
  msgId: 0x0500 | 0x0201,
  serial: number,
  answerSerial: number,
  locationBody: Buffer,
): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(answerSerial, 0);
  return encodeJt808TerminalMessage(terminal, msgId, serial, Buffer.concat([head, locationBody]));
}
