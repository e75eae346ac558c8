/**
 * JT/T 808 over TCP (port 5015): cutting the byte stream into frames, the escaping and the check code.
 * JT/T 808-2013 §4.4 (message structure): every message is `0x7e`, header, body, check code, `0x7e`.
 * Inside, 0x7e is sent as 0x7d 0x02 and 0x7d as 0x7d 0x01 (escaping is applied after the check
 * code is computed, and undone before it is verified). The check code is the XOR of every byte
 * of header and body. The splitter gives each frame with its flags and escapes as received, so
 * the raw bytes kept as evidence are the device's own.
 */
import { StreamBuffer } from '../stream-buffer';

export type Jt808Frame =
  | { kind: 'message'; bytes: Buffer }
  /**
   * A printable `(…)` line: some terminals (and JT701 locks) answer commands or ask the time in
   * text on the same port (Traccar Jt808FrameDecoder reads both). Given whole; not decoded here.
   */
  | { kind: 'text'; bytes: Buffer }
  /** Bytes before the next 0x7e or `(` that belong to no frame: skipped, the stream goes on (resynchronised). */
  | { kind: 'skipped'; detail: string; bytes: Buffer };

export const JT808_FLAG = 0x7e;
const ESCAPE = 0x7d;
const TEXT_OPEN = 0x28;
const TEXT_CLOSE = 0x29;
const isPrintable = (b: number) => b >= 0x20 && b <= 0x7e;

/**
 * The largest frame we accept, flags and escapes included. The body length field has 10 bits
 * (≤ 1023 bytes) and the 2019 header is 17 bytes (+4 with subpackages); escaping can at most
 * double that, so 2 × (1023 + 21 + 1) + 2 bytes is the longest legal frame.
 */
export const JT808_MAX_FRAME_LENGTH = 2 * (1023 + 21 + 1) + 2;

/** XOR of every byte: the JT/T 808 check code (§4.4.4). */
export function jt808Checksum(data: Uint8Array): number {
  let x = 0;
  for (const b of data) x ^= b;
  return x;
}

/** Escapes 0x7e and 0x7d for sending (§4.4.1). */
export function jt808Escape(data: Uint8Array): Buffer {
  const out: number[] = [];
  for (const b of data) {
    if (b === JT808_FLAG) out.push(ESCAPE, 0x02);
    else if (b === ESCAPE) out.push(ESCAPE, 0x01);
    else out.push(b);
  }
  return Buffer.from(out);
}

/**
 * Undoes the escaping; a string says where an escape byte is followed by neither 0x01 nor 0x02.
 * With `literal`, such a byte is kept as received instead (a terminal that did not escape a 0x7d
 * of its data; the caller then needs the frame's check code and length to agree).
 */
export function jt808Unescape(data: Uint8Array, literal = false): Buffer | string {
  const out = Buffer.alloc(data.length);
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (b !== ESCAPE) {
      out[n++] = b;
      continue;
    }
    const next = data[i + 1];
    if (next === 0x02) out[n++] = JT808_FLAG;
    else if (next === 0x01) out[n++] = ESCAPE;
    else if (literal) {
      out[n++] = ESCAPE;
      continue;
    } else
      return `escape byte 0x7d at offset ${i + 1} is followed by ${next === undefined ? 'nothing' : `0x${next.toString(16).padStart(2, '0')}`}, not 0x01 or 0x02`;
    i++;
  }
  return out.subarray(0, n);
}

/** Wraps header + body in flags, with the check code, escaped: a frame ready to send. */
export function jt808Frame(headerAndBody: Uint8Array): Buffer {
  const withCheck = Buffer.concat([headerAndBody, Buffer.from([jt808Checksum(headerAndBody)])]);
  return Buffer.concat([Buffer.from([JT808_FLAG]), jt808Escape(withCheck), Buffer.from([JT808_FLAG])]);
}

/**
 * A stateful splitter for one TCP connection: push the chunks as they arrive, get the complete
 * frames back (flags included, still escaped). Frames are copies. Bytes that start no frame are
 * given as one `skipped` frame up to the next 0x7e or `(`, where the splitter picks up again, as
 * Traccar's frame decoder scans ahead: one corrupted byte costs that frame, not the connection.
 */
export class Jt808FrameSplitter extends StreamBuffer<Jt808Frame> {
  /** How far the search for the closing flag has got: bytes already scanned are not scanned again. */
  private scanned = 1;

  constructor(private readonly maxFrameLength = JT808_MAX_FRAME_LENGTH) {
    super();
  }

  /** Skips `n` bytes that are no frame. */
  private skip(n: number, detail: string): Jt808Frame {
    this.scanned = 1;
    return { kind: 'skipped', detail, bytes: this.take(n) };
  }

  /** The next frame, or how many bytes must be buffered before there can be one. */
  protected override next(): Jt808Frame | number {
    // Two flags in a row: some terminals end one frame and start the next with a single shared
    // flag, others send both; an empty frame is a flag to skip, not an error.
    while (this.bytes.length >= 2 && this.bytes[0] === JT808_FLAG && this.bytes[1] === JT808_FLAG) {
      this.take(1);
      this.scanned = 1;
    }
    const b = this.bytes;
    if (b.length === 0) return 1;
    if (b[0] === TEXT_OPEN) return this.text();
    if (b[0] !== JT808_FLAG) {
      let to = 1;
      while (to < b.length && b[to] !== JT808_FLAG && b[to] !== TEXT_OPEN) to++;
      return this.skip(
        to,
        `${to} bytes before the next frame skipped (starting 0x${b[0].toString(16).padStart(2, '0')}, not the 0x7e flag)`,
      );
    }
    const end = b.indexOf(JT808_FLAG, Math.max(1, this.scanned));
    if (end === -1) {
      if (b.length > this.maxFrameLength) return this.skip(b.length, `no closing 0x7e flag within ${this.maxFrameLength} bytes`);
      this.scanned = b.length;
      return b.length + 1;
    }
    this.scanned = 1;
    if (end + 1 > this.maxFrameLength)
      return this.skip(end + 1, `frame of ${end + 1} bytes exceeds the limit of ${this.maxFrameLength} bytes`);
    return { kind: 'message', bytes: this.take(end + 1) };
  }

  /** A `(…)` line of printable bytes; a `(` followed by a byte that is not printable starts no line. */
  private text(): Jt808Frame | number {
    const b = this.bytes;
    for (let i = Math.max(1, this.scanned); i < b.length; i++) {
      if (b[i] === TEXT_CLOSE) {
        this.scanned = 1;
        return { kind: 'text', bytes: this.take(i + 1) };
      }
      if (!isPrintable(b[i])) return this.skip(i, `a "(" line broken by byte 0x${b[i].toString(16).padStart(2, '0')} skipped`);
      if (i + 1 >= this.maxFrameLength) return this.skip(i + 1, `text line without ")" within ${this.maxFrameLength} bytes skipped`);
    }
    this.scanned = b.length;
    return b.length + 1;
  }
}
