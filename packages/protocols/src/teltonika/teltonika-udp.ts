/**
 * Teltonika over UDP (same port as TCP): each datagram carries a UDP channel header (length of
 * the rest, 2 bytes; packet id, 2 bytes; one byte not used, 0x01), then the AVL packet header
 * (AVL packet id, 1 byte; IMEI length, 2 bytes; IMEI) and the AVL data field without preamble,
 * length or CRC. The server answers with the same packet id and AVL packet id and the number of
 * records accepted. Source: Teltonika wiki, "Teltonika Data Sending Protocols", Codec 8 over UDP.
 */
import type { DecodeResult } from '../decoded';
import { decodeTeltonikaAvlData } from './teltonika';

export type TeltonikaDatagram =
  { ok: true; packetId: number; avlPacketId: number; imei: string; result: DecodeResult } | { ok: false; detail: string };

/** Decodes one datagram. `ok: false` means not even the header could be read: nothing to answer. */
export function decodeTeltonikaDatagram(datagram: Buffer): TeltonikaDatagram {
  if (datagram.length < 8)
    return { ok: false, detail: `datagram of ${datagram.length} bytes is too short for the UDP channel and AVL packet headers` };
  const length = datagram.readUInt16BE(0);
  if (length !== datagram.length - 2)
    return { ok: false, detail: `UDP channel length ${length} does not match the datagram of ${datagram.length} bytes` };
  const packetId = datagram.readUInt16BE(2);
  const avlPacketId = datagram[5];
  const imeiLength = datagram.readUInt16BE(6);
  if (8 + imeiLength > datagram.length) return { ok: false, detail: `IMEI length ${imeiLength} runs past the end of the datagram` };
  const imei = datagram.subarray(8, 8 + imeiLength).toString('latin1');
  if (!/^\d{1,32}$/.test(imei)) return { ok: false, detail: `IMEI ${JSON.stringify(imei)} is not 1..32 decimal digits` };
  return { ok: true, packetId, avlPacketId, imei, result: decodeTeltonikaAvlData(datagram.subarray(8 + imeiLength), imei) };
}

/** The server's answer to a datagram: UDP channel header (length 5, packet id, 0x01), AVL packet id, records accepted. */
export function teltonikaUdpAck(packetId: number, avlPacketId: number, records: number): Buffer {
  const b = Buffer.alloc(7);
  b.writeUInt16BE(5, 0);
  b.writeUInt16BE(packetId & 0xffff, 2);
  b[4] = 0x01;
  b[5] = avlPacketId & 0xff;
  b[6] = records & 0xff;
  return b;
}
