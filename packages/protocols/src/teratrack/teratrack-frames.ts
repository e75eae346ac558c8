/**
 * TeraTrack JSON e-lock over TCP (Traccar port 5239): cutting the byte stream into JSON objects,
 * and the reply. The device writes one JSON object per message, with no length or line framing;
 * Traccar's JsonFrameDecoder cuts at the brace that closes the first `{`. We count braces the same
 * way but outside string literals, so a `}` inside a value (a card number, a name) cannot end a frame.
 * A device that asks for confirmation (`"MessageAck":"1"`) waits for the 4 ASCII bytes `{01}`
 * (Traccar TeraTrackProtocolDecoder). Source read for the facts, no code copied; frames: reference §12.3.
 */
import { StreamBuffer } from '../stream-buffer';

export type TeraTrackFrame =
  | { kind: 'json'; text: string; bytes: Buffer }
  /** Bytes that are no JSON object; the splitter stops here and the connection should be closed. */
  | { kind: 'garbage'; detail: string; bytes: Buffer };

/** The largest frame accepted; a report with two sub-locks is about 1.1 kB, each more sub-lock adds ~170 bytes. */
export const TERATRACK_MAX_FRAME_LENGTH = 16 * 1024;

/** The confirmation a device waits for when its message says `"MessageAck":"1"`. */
export const TERATRACK_ACK = Buffer.from('{01}', 'latin1');

const OPEN = 0x7b;
const CLOSE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * A stateful splitter for one TCP connection: push chunks, get complete JSON objects back (copies).
 * Whitespace between objects is skipped; any other byte outside an object is `garbage`, after
 * which the splitter yields nothing more. The scan resumes where the previous push stopped, so a
 * frame arriving byte by byte is scanned once.
 */
export class TeraTrackFrameSplitter extends StreamBuffer<TeraTrackFrame> {
  private scanned = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly maxFrameLength = TERATRACK_MAX_FRAME_LENGTH) {
    super();
  }

  /** The next object, or how many bytes must be buffered before there can be one. */
  protected override next(): TeraTrackFrame | number {
    let b = this.bytes;
    while (this.scanned === 0 && b.length && isSpace(b[0])) {
      this.take(1);
      b = this.bytes;
    }
    if (b.length === 0) return 1;
    if (b[0] !== OPEN)
      return { kind: 'garbage', detail: `byte 0x${b[0].toString(16).padStart(2, '0')} outside a JSON object`, bytes: this.take(b.length) };
    if (this.scanned === 0) {
      this.scanned = 1;
      this.depth = 1;
    }
    for (; this.scanned < b.length && this.depth > 0; this.scanned++) {
      const c = b[this.scanned];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
      } else if (c === QUOTE) this.inString = true;
      else if (c === OPEN) this.depth++;
      else if (c === CLOSE) this.depth--;
    }
    if (this.depth > 0) {
      if (this.scanned > this.maxFrameLength)
        return this.reset({ kind: 'garbage', detail: `JSON object longer than ${this.maxFrameLength} bytes`, bytes: this.take(b.length) });
      return b.length + 1;
    }
    if (this.scanned > this.maxFrameLength)
      return this.reset({ kind: 'garbage', detail: `JSON object longer than ${this.maxFrameLength} bytes`, bytes: this.take(b.length) });
    const bytes = this.take(this.scanned);
    return this.reset({ kind: 'json', text: bytes.toString('utf8'), bytes });
  }

  private reset(f: TeraTrackFrame): TeraTrackFrame {
    this.scanned = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    return f;
  }
}
