/**
 * Teltonika over TCP (port 5027): cutting the byte stream into frames, the CRC, and the replies.
 * The stream is an IMEI handshake frame (2-byte length + ASCII IMEI), then AVL data packets
 * (4 zero bytes, 4-byte data field length, the data field, 4-byte CRC-16/IBM of the data field);
 * a lone 0xFF between packets is a keep-alive ping. All integers are big-endian.
 * Source: Teltonika wiki, "Teltonika Data Sending Protocols" (Codec 8, Codec 8 Extended,
 * communication with server); Traccar TeltonikaFrameDecoder for the ping byte.
 */
import { StreamBuffer } from '../stream-buffer';

export type TeltonikaFrame =
  | { kind: 'imei'; imei: string; bytes: Buffer }
  | { kind: 'avl'; bytes: Buffer }
  | { kind: 'ping' }
  /** An AVL packet with data field length 0 (preamble, length, CRC: 12 bytes): nothing to store or answer, the stream goes on. */
  | { kind: 'empty'; bytes: Buffer }
  /** Bytes that are no Teltonika frame; the splitter stops here (the stream cannot be resynchronised). */
  | { kind: 'garbage'; detail: string; bytes: Buffer };

/** Longest IMEI frame payload we accept: an IMEI is 15 digits; more is not a handshake. */
const MAX_IMEI_LENGTH = 32;
/** Codec id, record count, at least one byte of records, record count again. */
const MIN_DATA_LENGTH = 3;
/**
 * The wiki gives 1280 bytes as the largest AVL packet of most devices (512 for FMB6xx); Codec 8
 * Extended variable-length elements can be longer, so allow generous room before calling it garbage.
 */
export const TELTONIKA_MAX_DATA_LENGTH = 64 * 1024;

/** CRC-16/IBM (also "CRC-16/ARC"): polynomial 0x8005 reflected (0xA001), initial 0, no final XOR. */
export function teltonikaCrc16(data: Uint8Array): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** The server's answer to the IMEI handshake: one byte, 0x01 accepted, 0x00 refused. */
export function teltonikaImeiReply(accepted: boolean): Buffer {
  return Buffer.from([accepted ? 0x01 : 0x00]);
}

/** The server's answer to an AVL data packet over TCP: the number of records accepted, 4 bytes big-endian. */
export function teltonikaAvlAck(records: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(records >>> 0);
  return b;
}

/**
 * A stateful splitter for one TCP connection: push the chunks as they arrive, get the complete
 * frames back. Frames are copies, independent of later chunks. After a `garbage` frame it
 * yields nothing more; the connection should be closed.
 */
export class TeltonikaFrameSplitter extends StreamBuffer<TeltonikaFrame> {
  constructor(private readonly maxDataLength = TELTONIKA_MAX_DATA_LENGTH) {
    super();
  }

  /** The next frame, or how many bytes must be buffered before there can be one. */
  protected override next(): TeltonikaFrame | number {
    const b = this.bytes;
    const garbage = (detail: string): TeltonikaFrame => ({ kind: 'garbage', detail, bytes: this.take(b.length) });
    if (b.length === 0) return 1;
    if (b[0] === 0xff) {
      this.take(1);
      return { kind: 'ping' };
    }
    if (b.length < 2) return 2;
    const imeiLength = b.readUInt16BE(0);
    if (imeiLength > 0) {
      if (imeiLength > MAX_IMEI_LENGTH)
        return garbage(
          `first two bytes 0x${b.subarray(0, 2).toString('hex')} are neither an IMEI length (1..${MAX_IMEI_LENGTH}) nor the start of the 4-zero-byte preamble`,
        );
      if (b.length < 2 + imeiLength) return 2 + imeiLength;
      const imei = b.subarray(2, 2 + imeiLength).toString('latin1');
      if (!/^\d+$/.test(imei)) return garbage(`IMEI frame carries ${JSON.stringify(imei)}, not decimal digits`);
      return { kind: 'imei', imei, bytes: this.take(2 + imeiLength) };
    }
    if (b.length < 8) {
      // A preamble byte that is not zero is garbage as soon as it arrives.
      for (let i = 2; i < Math.min(4, b.length); i++) if (b[i] !== 0) return garbage('AVL packet preamble is not four zero bytes');
      return b.length < 4 ? b.length + 1 : 8;
    }
    if (b.readUInt16BE(2) !== 0) return garbage('AVL packet preamble is not four zero bytes');
    const dataLength = b.readUInt32BE(4);
    // Length 0: an empty packet of 12 bytes, as Traccar's frame decoder cuts it (some firmwares send it); not garbage.
    if (dataLength === 0) return b.length < 12 ? 12 : { kind: 'empty', bytes: this.take(12) };
    if (dataLength < MIN_DATA_LENGTH) return garbage(`data field length ${dataLength} is shorter than codec id + record counts`);
    if (dataLength > this.maxDataLength) return garbage(`data field length ${dataLength} exceeds the limit of ${this.maxDataLength} bytes`);
    const total = 8 + dataLength + 4;
    if (b.length < total) return total;
    return { kind: 'avl', bytes: this.take(total) };
  }
}
