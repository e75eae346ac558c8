/**
 * JT/T 808 (Chinese national standard for road transport vehicle terminals, 2013 and 2019
 * editions; Traccar port 5015): one entry point for a frame cut by Jt808FrameSplitter.
 * Terminal messages read here: registration 0x0100 (answered 0x8100), authentication 0x0102,
 * heartbeat 0x0002, logout 0x0003, terminal general response 0x0001, location report 0x0200,
 * batch location 0x0704, the vendor batch 0x0210, and Jointech's 0x5501/0x5502. Every terminal message is answered with the
 * platform general response 0x8001 (§8.2) unless it has its own reply; the terminal's own general
 * response 0x0001 is an answer and gets none. The device identifier is the terminal phone number's
 * BCD digits as sent (12 digits in 2013, 20 in 2019), or the IMEI a non-BCD number field encodes.
 */
import type { DecodeResult, DecodedObservation } from '../decoded';
import { readJointechLocation } from './jt808-jointech';
import { readJt808Location, readJt808Time } from './jt808-location';
import { readJt808Transparent } from './jt808-transparent';
import { emptyObservation } from '../decoded';
import {
  JT808_MSG,
  jt808GeneralResponse,
  jt808JointechResponse,
  jt808RegisterResponse,
  readJt808Message,
  type Jt808Header,
} from './jt808-message';

export type Jt808Kind = 'register' | 'authenticate' | 'heartbeat' | 'logout' | 'location' | 'response' | 'other';

export interface Jt808Decoded {
  result: DecodeResult;
  /** What the message is, for the listener's session (e.g. registration needs the device known first). */
  kind: Jt808Kind;
  /** The terminal phone number digits; null when the frame could not be read. */
  identifier: string | null;
  header: Jt808Header | null;
  /** What to send back once the observations are durable; null when the terminal waits for nothing. */
  reply: Buffer | null;
}

/** The authentication code given at registration: the phone number digits (the standard leaves the choice to the platform). */
export const jt808AuthCode = (header: Pick<Jt808Header, 'phone'>) => header.phone;

const KINDS: Record<number, Jt808Kind> = {
  [JT808_MSG.register]: 'register',
  [JT808_MSG.authenticate]: 'authenticate',
  [JT808_MSG.heartbeat]: 'heartbeat',
  [JT808_MSG.logout]: 'logout',
  [JT808_MSG.terminalGeneralResponse]: 'response',
  [JT808_MSG.locationReport]: 'location',
  [JT808_MSG.locationBatch]: 'location',
  [JT808_MSG.locationBatchVendor]: 'location',
  [JT808_MSG.jointechLocation]: 'location',
  [JT808_MSG.jointechLocationBlind]: 'location',
};

function readBatch(body: Buffer, id: string): DecodedObservation[] | string {
  // §8.40 table 83: count (WORD), type (BYTE: 0 normal batch, 1 blind-area re-upload), then items of WORD length + location body.
  if (body.length < 3) return `batch body of ${body.length} bytes is shorter than count and type`;
  const count = body.readUInt16BE(0);
  const type = body[2];
  const out: DecodedObservation[] = [];
  let at = 3;
  for (let i = 0; i < count; i++) {
    if (at + 2 > body.length) return `batch ends before item ${i + 1} of ${count}`;
    const length = body.readUInt16BE(at);
    if (at + 2 + length > body.length) return `batch item ${i + 1} of ${length} bytes runs past the end of the body`;
    const o = readJt808Location(body.subarray(at + 2, at + 2 + length), id);
    if (typeof o === 'string') return `batch item ${i + 1}: ${o}`;
    o.attributes = { ...o.attributes, batchType: type, buffered: type === 1 };
    out.push(o);
    at += 2 + length;
  }
  if (at !== body.length) return `${body.length - at} bytes left over after ${count} batch items`;
  return out;
}

/**
 * The vendor batch 0x0210: location bodies each behind a 1-byte length, to the end of the body;
 * or, with a 7-byte body, the battery level and the BCD time of a report without a position.
 */
function readVendorBatch(body: Buffer, id: string): DecodedObservation[] | string {
  if (body.length === 7) {
    const time = readJt808Time(body, 1);
    if (!time) return `time ${body.subarray(1, 7).toString('hex')} (BCD YYMMDDhhmmss) is not a time`;
    const o = emptyObservation(id);
    o.time = time;
    if (body[0] <= 100) o.battery = { level: body[0] };
    o.attributes = { batteryLevel: body[0] };
    return [o];
  }
  const out: DecodedObservation[] = [];
  for (let at = 0, i = 1; at < body.length; i++) {
    const length = body[at];
    if (at + 1 + length > body.length) return `batch item ${i} of ${length} bytes runs past the end of the body`;
    const o = readJt808Location(body.subarray(at + 1, at + 1 + length), id);
    if (typeof o === 'string') return `batch item ${i}: ${o}`;
    out.push(o);
    at += 1 + length;
  }
  if (out.length === 0) return 'batch of no items';
  return out;
}

/**
 * Decodes one frame (flags included, as received) into observations and the reply the terminal
 * waits for. `platformSerial` is the serial number of the reply (the platform's own counter).
 * Registration is answered as accepted; the listener answers result 4 (no such terminal) itself
 * when no device is registered under the phone number.
 */
export function decodeJt808Frame(frame: Buffer, platformSerial = 0): Jt808Decoded {
  const m = readJt808Message(frame);
  if (typeof m === 'string') return { result: { ok: false, detail: m }, kind: 'other', identifier: null, header: null, reply: null };
  const { header: h, body } = m;
  const kind = KINDS[h.msgId] ?? 'other';
  const base = { kind, identifier: h.phone, header: h };
  const fail = (detail: string): Jt808Decoded => ({ ...base, result: { ok: false, detail }, reply: null });
  const jointech = h.msgId === JT808_MSG.jointechLocation || h.msgId === JT808_MSG.jointechLocationBlind;
  // Jointech uses the properties' upper bits for its own purposes; for standard messages they mean RSA.
  if (!jointech && h.encryption !== 0)
    return fail(`body is encrypted (properties bits 10-12 = ${h.encryption}); encryption is not supported`);
  if (h.subpackage)
    return fail(
      `message 0x${h.msgId.toString(16).padStart(4, '0')} is packet ${h.subpackage.index} of ${h.subpackage.total}; subpackage reassembly is not supported`,
    );
  const ok = (observations: DecodedObservation[], reply: Buffer | null): Jt808Decoded => ({
    ...base,
    result: { ok: true, observations },
    reply,
  });
  switch (h.msgId) {
    case JT808_MSG.register:
      return ok([], jt808RegisterResponse(h, platformSerial, 0, jt808AuthCode(h)));
    case JT808_MSG.terminalGeneralResponse:
      return ok([], null);
    case JT808_MSG.locationReport: {
      const o = readJt808Location(body, h.phone);
      return typeof o === 'string' ? fail(o) : ok([o], jt808GeneralResponse(h, platformSerial));
    }
    case JT808_MSG.locationBatch: {
      const os = readBatch(body, h.phone);
      return typeof os === 'string' ? fail(os) : ok(os, jt808GeneralResponse(h, platformSerial));
    }
    case JT808_MSG.locationBatchVendor: {
      const os = readVendorBatch(body, h.phone);
      return typeof os === 'string' ? fail(os) : ok(os, jt808GeneralResponse(h, platformSerial));
    }
    case JT808_MSG.transparentUp: {
      const o = readJt808Transparent(body, h.phone);
      if (typeof o === 'string') return fail(o);
      return ok(o ? [o] : [], jt808GeneralResponse(h, platformSerial));
    }
    case JT808_MSG.jointechLocation:
    case JT808_MSG.jointechLocationBlind: {
      const o = readJointechLocation(body, h.phone, h.msgId === JT808_MSG.jointechLocationBlind);
      return typeof o === 'string' ? fail(o) : ok([o], h.reservedBit ? jt808JointechResponse(h) : null);
    }
    default:
      // Authentication, heartbeat, logout and the rest: the general response says "received".
      return ok([], jt808GeneralResponse(h, platformSerial));
  }
}
