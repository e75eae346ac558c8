/**
 * GT06 / Concox over TCP (port 5023): cutting the byte stream into packets, the CRC, and the
 * server's replies. Packet (Concox GT06 communication protocol, "packet format"):
 * start 0x78 0x78 and a 1-byte length, or 0x79 0x79 and a 2-byte length (for long packets);
 * protocol number; content; information serial number (WORD); error check (WORD, CRC-ITU);
 * stop 0x0D 0x0A. The length counts protocol number, content, serial and check. The CRC-ITU
 * (CRC-16/X-25) covers the bytes from the length to the serial number.
 */
import { StreamBuffer } from '../stream-buffer';

export type Gt06Frame =
  | { kind: 'packet'; bytes: Buffer }
  /** Bytes that are no GT06 packet, skipped to the next start (or past the next 0x0d0a); the stream goes on. */
  | { kind: 'skipped'; detail: string; bytes: Buffer };

/** The largest packet we accept: 0x7979 lengths allow 64 KiB, real packets (photos aside) stay below 1 KiB. */
export const GT06_MAX_PACKET_LENGTH = 4096;

/** CRC-ITU as Concox uses it (CRC-16/X-25): polynomial 0x1021 reflected (0x8408), initial 0xFFFF, final XOR 0xFFFF. */
export function gt06Crc(data: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of data) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return ~crc & 0xffff;
}

/** True for a packet that starts 0x79 0x79 (2-byte length). */
export const isGt06Long = (packet: Buffer) => packet[0] === 0x79;

/**
 * Encodes a packet: start, length, protocol number, content, serial, CRC, stop. Used for the
 * server's replies (which echo the serial number of the packet they answer) and by the test encoder.
 */
export function encodeGt06Packet(protocol: number, content: Buffer, serial: number, long = false): Buffer {
  const length = 1 + content.length + 2 + 2;
  const head = long ? Buffer.from([0x79, 0x79, length >> 8, length & 0xff]) : Buffer.from([0x78, 0x78, length]);
  const body = Buffer.concat([head, Buffer.from([protocol]), content, Buffer.from([serial >> 8, serial & 0xff])]);
  const crc = gt06Crc(body.subarray(2));
  return Buffer.concat([body, Buffer.from([crc >> 8, crc & 0xff, 0x0d, 0x0a])]);
}

/** The server's acknowledgement of a login, heartbeat or alarm packet: same protocol number, no content, the packet's serial. */
export function gt06Ack(protocol: number, serial: number, long = false): Buffer {
  return encodeGt06Packet(protocol, Buffer.alloc(0), serial, long);
}

/**
 * A stateful splitter for one TCP connection: push the chunks as they arrive, get the complete
 * packets back (copies). Bytes that are no packet are given as one `skipped` frame: up to the next
 * 0x7878 / 0x7979 when the start is wrong, past the next 0x0d0a when a packet's length does not
 * land on its stop bytes (as Traccar's frame decoder scans for 0x0d0a); the stream goes on.
 */
export class Gt06FrameSplitter extends StreamBuffer<Gt06Frame> {
  constructor(private readonly maxPacketLength = GT06_MAX_PACKET_LENGTH) {
    super();
  }

  private skip(n: number, detail: string): Gt06Frame {
    return { kind: 'skipped', detail, bytes: this.take(n) };
  }

  /** Skips to the next start bytes; a last 0x78 / 0x79 is held, it may begin the next packet. */
  private toNextStart(detail: string): Gt06Frame {
    const b = this.bytes;
    let to = 1;
    while (to < b.length && !((b[to] === 0x78 || b[to] === 0x79) && (to + 1 === b.length || b[to + 1] === b[to]))) to++;
    return this.skip(to, detail);
  }

  /**
   * Skips past the next 0x0d0a after the start bytes or up to the next start bytes, whichever comes
   * first, or everything once the limit is passed.
   */
  private toNextStop(detail: string): Gt06Frame | number {
    const b = this.bytes;
    const stop = b.indexOf(STOP, 2);
    const starts = [b.indexOf(SHORT_START, 2), b.indexOf(LONG_START, 2)].filter((i) => i !== -1);
    const start = starts.length ? Math.min(...starts) : -1;
    if (start !== -1 && (stop === -1 || start < stop + 2)) return this.skip(start, detail);
    if (stop !== -1) return this.skip(stop + 2, detail);
    if (b.length > this.maxPacketLength) return this.skip(b.length, `${detail}, and no 0x0d0a within ${this.maxPacketLength} bytes`);
    return b.length + 1;
  }

  /** The next packet, or how many bytes must be buffered before there can be one. */
  protected override next(): Gt06Frame | number {
    const b = this.bytes;
    const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;
    if (b.length === 0) return 1;
    if (b[0] !== 0x78 && b[0] !== 0x79) return this.toNextStart(`bytes from ${hex(b[0])} skipped to the next 0x7878 or 0x7979`);
    if (b.length < 2) return 2;
    if (b[1] !== b[0]) return this.toNextStart(`bytes from 0x${b.subarray(0, 2).toString('hex')} skipped to the next 0x7878 or 0x7979`);
    const long = b[0] === 0x79;
    const lengthBytes = long ? 2 : 1;
    if (b.length < 2 + lengthBytes) return 2 + lengthBytes;
    const length = long ? b.readUInt16BE(2) : b[2];
    // Protocol number, serial and CRC at least.
    if (length < 5) return this.toNextStop(`length ${length} is shorter than protocol number, serial and check`);
    const total = 2 + lengthBytes + length + 2;
    if (total > this.maxPacketLength) return this.toNextStop(`packet of ${total} bytes exceeds the limit of ${this.maxPacketLength} bytes`);
    if (b.length < total) return total;
    if (b[total - 2] !== 0x0d || b[total - 1] !== 0x0a) return this.toNextStop(`packet of ${total} bytes does not end with 0x0d0a`);
    return { kind: 'packet', bytes: this.take(total) };
  }
}

const STOP = Buffer.from([0x0d, 0x0a]);
const SHORT_START = Buffer.from([0x78, 0x78]);
const LONG_START = Buffer.from([0x79, 0x79]);
