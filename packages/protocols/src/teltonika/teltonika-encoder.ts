/**
 * Encodes Teltonika frames as a device sends them (Codec 8 and 8 Extended): for tests, and for
 * the simulator to speak Teltonika. The inverse of teltonika.ts and teltonika-frames.ts.
 */
import { TELTONIKA_CODEC_8E } from './teltonika';
import { teltonikaCrc16 } from './teltonika-frames';

export interface TeltonikaIoValue {
  id: number;
  size: 1 | 2 | 4 | 8;
  value: number | bigint;
}

export interface TeltonikaRecord {
  /** ms since 1970 UTC */
  time: number;
  /** 0 low, 1 high, 2 panic */
  priority?: number;
  lat: number;
  lon: number;
  altitude?: number;
  angle?: number;
  satellites?: number;
  /** km/h */
  speed?: number;
  eventIo?: number;
  io?: TeltonikaIoValue[];
  /** Codec 8 Extended only: variable-length values. */
  variable?: { id: number; value: Buffer }[];
}

function encodeRecord(rec: TeltonikaRecord, extended: boolean): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(24);
  head.writeBigUInt64BE(BigInt(rec.time), 0);
  head[8] = rec.priority ?? 0;
  head.writeInt32BE(Math.round(rec.lon * 1e7), 9);
  head.writeInt32BE(Math.round(rec.lat * 1e7), 13);
  head.writeInt16BE(rec.altitude ?? 0, 17);
  head.writeUInt16BE(rec.angle ?? 0, 19);
  head[21] = rec.satellites ?? 0;
  head.writeUInt16BE(rec.speed ?? 0, 22);
  parts.push(head);
  const int = (n: number) => {
    const b = Buffer.alloc(extended ? 2 : 1);
    if (extended) b.writeUInt16BE(n);
    else b.writeUInt8(n);
    return b;
  };
  const io = rec.io ?? [];
  const variable = extended ? (rec.variable ?? []) : [];
  parts.push(int(rec.eventIo ?? 0), int(io.length + variable.length));
  for (const size of [1, 2, 4, 8] as const) {
    const group = io.filter((e) => e.size === size);
    parts.push(int(group.length));
    for (const e of group) {
      const v = Buffer.alloc(size);
      if (size === 8) v.writeBigUInt64BE(BigInt(e.value));
      else v.writeUIntBE(Number(e.value), 0, size);
      parts.push(int(e.id), v);
    }
  }
  if (extended) {
    parts.push(int(variable.length));
    for (const e of variable) parts.push(int(e.id), int(e.value.length), e.value);
  }
  return Buffer.concat(parts);
}

/** The data field: codec id, record count, records, record count. */
export function encodeTeltonikaAvlData(codec: 0x08 | 0x8e, records: TeltonikaRecord[]): Buffer {
  const extended = codec === TELTONIKA_CODEC_8E;
  return Buffer.concat([
    Buffer.from([codec, records.length]),
    ...records.map((r) => encodeRecord(r, extended)),
    Buffer.from([records.length]),
  ]);
}

/** A TCP AVL data packet: 4 zero bytes, data field length, data field, CRC-16/IBM in 4 bytes. */
export function encodeTeltonikaPacket(codec: 0x08 | 0x8e, records: TeltonikaRecord[]): Buffer {
  const data = encodeTeltonikaAvlData(codec, records);
  const packet = Buffer.alloc(data.length + 12);
  packet.writeUInt32BE(data.length, 4);
  data.copy(packet, 8);
  packet.writeUInt32BE(teltonikaCrc16(data), 8 + data.length);
  return packet;
}

/** The IMEI handshake frame: 2-byte length, ASCII IMEI. */
export function encodeTeltonikaImei(imei: string): Buffer {
  const text = Buffer.from(imei, 'latin1');
  const b = Buffer.alloc(2 + text.length);
  b.writeUInt16BE(text.length);
  text.copy(b, 2);
  return b;
}

/** A UDP datagram: channel header (length, packet id, 0x01), AVL packet id, IMEI, data field. */
export function encodeTeltonikaDatagram(
  packetId: number,
  avlPacketId: number,
  imei: string,
  codec: 0x08 | 0x8e,
  records: TeltonikaRecord[],
): Buffer {
  const body = Buffer.concat([Buffer.from([avlPacketId]), encodeTeltonikaImei(imei), encodeTeltonikaAvlData(codec, records)]);
  const header = Buffer.alloc(5);
  header.writeUInt16BE(body.length + 3, 0);
  header.writeUInt16BE(packetId, 2);
  header[4] = 0x01;
  return Buffer.concat([header, body]);
}
