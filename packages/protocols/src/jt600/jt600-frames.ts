/**
 * Jointech JT600 family over TCP (port 5014): cutting the byte stream into frames, and the
 * replies the device waits for. Two kinds of frame share one stream:
 * - binary, starting with `$` (0x24): 5-byte BCD device id, then (long format, byte 8 zero) a
 *   protocol byte, a version byte and a 2-byte big-endian length at offset 8; or
 *   (short format) a version byte and the length at offset 7. Either way the whole frame is
 *   length + 10 bytes (the length leaves out the header and the trailing index byte);
 * - text, `(` … `)` in ASCII, e.g. `(2050018634,P45,…)` or the heartbeat `(3460311327,@JT)`.
 * Source: Traccar Jt600FrameDecoder (Apache-2.0, read for the layout; no code copied) and the
 * frames of reference §12.1.
 */
import { StreamBuffer } from '../stream-buffer';

export type Jt600Frame =
  | { kind: 'binary'; bytes: Buffer }
  | { kind: 'text'; text: string; bytes: Buffer }
  /** Bytes that are no JT600 frame; the splitter stops here (the stream cannot be resynchronised). */
  | { kind: 'garbage'; detail: string; bytes: Buffer };

/** The largest binary frame we accept (the length field allows 65 545 bytes; real frames are < 1 kB). */
export const JT600_MAX_BINARY_LENGTH = 16 * 1024;
/** The longest text frame we accept; the longest documented sentence (U06) is about 130 characters. */
export const JT600_MAX_TEXT_LENGTH = 1024;

const DOLLAR = 0x24;
const OPEN = 0x28;
const CLOSE = 0x29;

/**
 * Long-format binary frames (JT701, JT709, GL600, …) carry a protocol byte before the version, so
 * their 2-byte length starts at offset 8 and its high byte, there, is 0 (frames stay under 256 bytes
 * a record or a few); in the short format offset 8 is the length's low byte, never 0 for a frame
 * holding a record. Read from the frame as Traccar's Jt600ProtocolDecoder does, not from the id.
 */
export function isJt600LongFormat(frame: Buffer): boolean {
  return frame.length > 8 && frame[8] === 0;
}

/**
 * Acknowledgement of a binary location frame whose status asks for one (status bit 5): `(P35)` for
 * protocol bytes below 0x19, `(P69,0,<index>)` from 0x19 on (Traccar Jt600ProtocolDecoder).
 */
export function jt600BinaryAck(protocolVersion: number, index: number): Buffer {
  return Buffer.from(protocolVersion < 0x19 ? '(P35)' : `(P69,0,${index})`, 'latin1');
}

/** Acknowledgement of a `P45` lock/unlock event: `(P69,0,<index>)` with the event's index. */
export function jt600EventAck(index: number): Buffer {
  return Buffer.from(`(P69,0,${index})`, 'latin1');
}

/**
 * A stateful splitter for one TCP connection: push the chunks as they arrive, get the complete
 * frames back. Frames are copies, independent of later chunks. After a `garbage` frame it yields
 * nothing more; the connection should be closed.
 */
export class Jt600FrameSplitter extends StreamBuffer<Jt600Frame> {
  constructor(
    private readonly maxBinaryLength = JT600_MAX_BINARY_LENGTH,
    private readonly maxTextLength = JT600_MAX_TEXT_LENGTH,
  ) {
    super();
  }

  /** The next frame, or how many bytes must be buffered before there can be one. */
  protected override next(): Jt600Frame | number {
    const b = this.bytes;
    const garbage = (detail: string): Jt600Frame => ({ kind: 'garbage', detail, bytes: this.take(b.length) });
    if (b.length === 0) return 1;
    if (b[0] === OPEN) {
      // Search only the new bytes' worth: the scan is bounded by the text limit anyway.
      const end = b.indexOf(CLOSE, 1);
      if (end === -1) {
        if (b.length > this.maxTextLength) return garbage(`text frame longer than ${this.maxTextLength} bytes without a closing ")"`);
        return b.length + 1;
      }
      if (end + 1 > this.maxTextLength) return garbage(`text frame longer than ${this.maxTextLength} bytes without a closing ")"`);
      const bytes = this.take(end + 1);
      return { kind: 'text', text: bytes.toString('latin1'), bytes };
    }
    if (b[0] !== DOLLAR) return garbage(`frame starts with 0x${b[0].toString(16).padStart(2, '0')}, neither "$" (binary) nor "(" (text)`);
    // Offset 8 tells the format (and holds a byte of either length field): wait for the 10-byte header.
    if (b.length < 10) return 10;
    const lengthAt = isJt600LongFormat(b) ? 8 : 7;
    if (b.length < lengthAt + 2) return lengthAt + 2;
    const total = b.readUInt16BE(lengthAt) + 10;
    if (total > this.maxBinaryLength) return garbage(`binary frame of ${total} bytes exceeds the limit of ${this.maxBinaryLength} bytes`);
    if (b.length < total) return total;
    return { kind: 'binary', bytes: this.take(total) };
  }
}
