/**
 * eSeal text protocol over TCP (Traccar port 5169): cutting the byte stream into frames, and the
 * replies the device waits for. A frame is one ASCII line `##S,<device type>,<device id>,
 * <customer id>,<firmware>,<message type>,…,E##` ended by LF (CR LF in practice); Traccar reads the
 * stream with a line splitter of 1024 bytes (EsealProtocol), and answers with lines of the same form.
 * Source: Traccar EsealProtocol / EsealProtocolDecoder (Apache-2.0, read for the grammar; no code
 * copied) and the frames of reference §12.2.
 */
import { StreamBuffer } from '../stream-buffer';

export type EsealFrame =
  /** One line without its line end. */
  | { kind: 'line'; text: string; bytes: Buffer }
  /** Bytes that are no eSeal line; the splitter stops here and the connection should be closed. */
  | { kind: 'garbage'; detail: string; bytes: Buffer };

/** The longest line accepted, as Traccar's splitter; the longest real report is about 130 bytes. */
export const ESEAL_MAX_LINE_LENGTH = 1024;

const LF = 0x0a;
const CR = 0x0d;

/**
 * A stateful splitter for one TCP connection: push chunks, get complete lines back (copies).
 * Empty lines (a bare CR LF, as some modems send to keep the link up) are skipped. A line that does
 * not start with `##` cannot come from an eSeal device (e.g. an HTTP request on the wrong port): it
 * is `garbage` and the splitter yields nothing more.
 */
export class EsealFrameSplitter extends StreamBuffer<EsealFrame> {
  constructor(private readonly maxLineLength = ESEAL_MAX_LINE_LENGTH) {
    super();
  }

  /** The next line, or how many bytes must be buffered before there can be one. */
  protected override next(): EsealFrame | number {
    for (;;) {
      const b = this.bytes;
      if (b.length === 0) return 1;
      const end = b.indexOf(LF);
      // Say early that a line is not eSeal, so a stray client is not kept until the line limit.
      if (b[0] !== CR && b[0] !== LF && (b[0] !== 0x23 || (b.length > 1 && b[1] !== 0x23))) {
        return {
          kind: 'garbage',
          detail: `line starts with 0x${b[0].toString(16).padStart(2, '0')}${b.length > 1 ? b[1].toString(16).padStart(2, '0') : ''}, not "##"`,
          bytes: this.take(b.length),
        };
      }
      if (end === -1) {
        if (b.length > this.maxLineLength)
          return { kind: 'garbage', detail: `line longer than ${this.maxLineLength} bytes without a line end`, bytes: this.take(b.length) };
        return b.length + 1;
      }
      if (end > this.maxLineLength)
        return { kind: 'garbage', detail: `line longer than ${this.maxLineLength} bytes without a line end`, bytes: this.take(b.length) };
      const line = this.take(end + 1);
      const body = line.subarray(0, line.length - 1 - (end > 0 && line[end - 1] === CR ? 1 : 0));
      if (body.length === 0) continue;
      const bytes = Buffer.from(body);
      return { kind: 'line', text: bytes.toString('latin1'), bytes };
    }
  }
}

/** The first five fields every eSeal frame starts with, echoed at the head of every reply. */
export interface EsealHeader {
  deviceType: string;
  deviceId: string;
  customerId: string;
  firmware: string;
}

/** A frame as the device or the server writes it: header, message type, payload fields, `E##` and CR LF. */
export function esealLine(h: EsealHeader, type: string, payload: readonly string[]): Buffer {
  return Buffer.from(['##S', h.deviceType, h.deviceId, h.customerId, h.firmware, type, ...payload, 'E##'].join(',') + '\r\n', 'latin1');
}

/**
 * The acknowledgement of a report: `<header>,<type> ACK,<index>,E##`. A `Startup` is answered with
 * the device configuration after the index (Traccar's `eseal.config`, e.g. `180,30,30,16,1` as the
 * device echoes it in `Startup OK`); without one configured, the index alone.
 */
export function esealAck(h: EsealHeader, type: string, index: number, startupConfig?: string): Buffer {
  const payload = [String(index)];
  if (type === 'Startup' && startupConfig) payload.push(startupConfig);
  return esealLine(h, `${type} ACK`, payload);
}
