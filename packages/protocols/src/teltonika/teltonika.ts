/**
 * Teltonika AVL data, Codec 8 (0x08), Codec 8 Extended (0x8E) and Codec 16 (0x10), over TCP and UDP
 * (Codec 7 of the GH3000 personal trackers: teltonika-codec7.ts);
 * and the Codec 12 / 13 messages (command answers) on the same stream.
 * Source: Teltonika wiki, "Teltonika Data Sending Protocols"; IO ids from the FMB "Data Sending
 * Parameters ID" tables. The data field is: codec id, record count, the records, record count
 * again. A record: timestamp (8 bytes, ms since 1970 UTC), priority (0 low, 1 high, 2 panic),
 * GPS element (longitude, latitude: 4 bytes signed, degrees × 10^7; altitude 2 bytes signed, m;
 * angle 2 bytes, degrees; satellites 1 byte; speed 2 bytes, km/h), IO element (the id of the
 * IO that triggered the record, the total count, then groups of 1-, 2-, 4- and 8-byte values,
 * and for 8E a group of variable-length values). Codec 8 uses 1-byte ids and counts, 8E 2-byte;
 * Codec 16 2-byte ids with 1-byte counts, and a generation-type byte after the event IO id.
 * Every IO value is kept raw as `io<id>`; a few well-known ids are also mapped to observation fields.
 */
import { emptyObservation, type DecodeResult, type DecodedObservation } from '../decoded';
import { teltonikaCrc16 } from './teltonika-frames';
import { Reader, Truncated } from './teltonika-reader';
import { TELTONIKA_CODEC_7, readCodec7Record } from './teltonika-codec7';

export const TELTONIKA_CODEC_8 = 0x08;
export const TELTONIKA_CODEC_8E = 0x8e;
/** Codec 16: Codec 8 with 2-byte IO ids and a generation-type byte after the event IO id. */
export const TELTONIKA_CODEC_16 = 0x10;
/** Codec 12: a command (type 0x05) or a device's response (0x06), text or bytes. */
export const TELTONIKA_CODEC_12 = 0x0c;
/** Codec 13: as Codec 12 with a 4-byte timestamp (seconds) in front of the data. */
export const TELTONIKA_CODEC_13 = 0x0d;
const AVL_CODECS = [TELTONIKA_CODEC_7, TELTONIKA_CODEC_8, TELTONIKA_CODEC_8E, TELTONIKA_CODEC_16];

const MAX_DATE_MS = 8_640_000_000_000_000n;

/** Maps the IO ids whose meaning is the same on all FMB/FMC/FMM devices onto the observation. */
function mapWellKnown(o: DecodedObservation, attributes: Record<string, unknown>, id: number, value: number): void {
  switch (id) {
    case 1:
    case 2:
    case 3: // Digital Input 1..3 (0/1)
      attributes[`din${id}`] = value !== 0;
      break;
    case 66: // External Voltage, mV
      attributes.externalVoltage = value / 1000;
      break;
    case 67: // Battery Voltage, mV
      o.battery = { ...(o.battery ?? {}), voltage: value / 1000 };
      break;
    case 113: // Battery Level, %
      if (value <= 100) o.battery = { ...(o.battery ?? {}), level: value };
      break;
    case 239: // Ignition (0/1)
      attributes.ignition = value !== 0;
      break;
    case 240: // Movement (0/1)
      attributes.motion = value !== 0;
      break;
  }
}

/**
 * One Codec 12 / 13 message (Teltonika wiki "Codec 12", "Codec 13"): type (0x05 command, 0x06
 * response), size (DWORD), [Codec 13: timestamp, DWORD seconds, counted in the size], data. Kept
 * as the device's answer, text when printable (a `GTSL|…` card text gives the driver's card);
 * no position (the device sent none).
 */
function readMessage(r: Reader, codec: number, identifier: string): DecodedObservation | string {
  const o = emptyObservation(identifier);
  const type = r.u8();
  let size = r.u32();
  const a: Record<string, unknown> = { codec, messageType: type };
  if (codec === TELTONIKA_CODEC_13) {
    if (size < 4) return `Codec 13 size ${size} is shorter than its timestamp`;
    o.time = new Date(r.u32() * 1000).toISOString();
    size -= 4;
  }
  const data = r.bytes(size);
  const printable = data.every((b) => (b >= 0x20 && b <= 0x7e) || b === 0x0d || b === 0x0a);
  const text = printable ? data.toString('latin1').trim() : null;
  if (text?.startsWith('GTSL')) a.driverUniqueId = text.split('|')[4];
  else if (text !== null) a.response = text;
  else a.responseHex = data.toString('hex');
  o.attributes = a;
  return o;
}

function readRecord(r: Reader, codec: number, identifier: string): DecodedObservation | string {
  if (codec === TELTONIKA_CODEC_12 || codec === TELTONIKA_CODEC_13) return readMessage(r, codec, identifier);
  if (codec === TELTONIKA_CODEC_7) return readCodec7Record(r, identifier);
  const extended = codec === TELTONIKA_CODEC_8E;
  const wideIds = extended || codec === TELTONIKA_CODEC_16;
  const o = emptyObservation(identifier);
  const ms = r.u64();
  if (ms > MAX_DATE_MS) return `timestamp ${ms} ms is not a time`;
  o.time = new Date(Number(ms)).toISOString();
  const priority = r.u8();
  const lon = r.i32() / 1e7;
  const lat = r.i32() / 1e7;
  const altitude = r.i16();
  const angle = r.u16();
  const satellites = r.u8();
  const speed = r.u16();
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return `position ${lat},${lon} is out of range`;
  // A device that never had a fix sends 0,0; one that lost it repeats its last fix with 0 satellites.
  if (lat !== 0 || lon !== 0) o.position = { lat, lon, speed, heading: angle % 360, source: 'gnss' };
  const id = wideIds ? r.u16 : r.u8;
  const count = extended ? r.u16 : r.u8;
  const attributes: Record<string, unknown> = { priority, eventIo: id(), altitude, satellites, gnssFix: satellites > 0 };
  if (codec === TELTONIKA_CODEC_16) attributes.generationType = r.u8();
  count(); // total IO count: the groups below carry their own counts
  for (const size of [1, 2, 4, 8] as const) {
    for (let n = count(); n > 0; n--) {
      const ioId = id();
      const value = r.value(size);
      attributes[`io${ioId}`] = value;
      if (typeof value === 'number') mapWellKnown(o, attributes, ioId, value);
    }
  }
  if (extended) {
    for (let n = r.u16(); n > 0; n--) {
      const ioId = r.u16();
      attributes[`io${ioId}`] = r.bytes(r.u16()).toString('hex');
    }
  }
  o.attributes = attributes;
  return o;
}

/**
 * Decodes an AVL data field (codec id … second record count), as carried by a TCP packet or a
 * UDP datagram, into one observation per record, named by the IMEI of the handshake.
 */
export function decodeTeltonikaAvlData(data: Buffer, imei: string): DecodeResult {
  if (data.length < 3) return { ok: false, detail: `data field of ${data.length} bytes is too short` };
  const codec = data[0];
  if (!AVL_CODECS.includes(codec) && codec !== TELTONIKA_CODEC_12 && codec !== TELTONIKA_CODEC_13) {
    return {
      ok: false,
      detail: `codec 0x${codec.toString(16).padStart(2, '0')} is not supported (Codec 7 0x07, 8 0x08, 8 Extended 0x8e, 16 0x10, 12 0x0c, 13 0x0d)`,
    };
  }
  const records = data[1];
  const last = data[data.length - 1];
  if (records !== last) return { ok: false, detail: `record count ${records} at the start differs from ${last} at the end` };
  const r = new Reader(data, data.length - 1);
  r.at = 2;
  const observations: DecodedObservation[] = [];
  for (let i = 0; i < records; i++) {
    let o: DecodedObservation | string;
    try {
      o = readRecord(r, codec, imei);
    } catch (e) {
      if (e instanceof Truncated) return { ok: false, detail: `data field ends inside record ${i + 1} of ${records}` };
      throw e;
    }
    if (typeof o === 'string') return { ok: false, detail: `record ${i + 1}: ${o}` };
    observations.push(o);
  }
  if (r.at !== data.length - 1) return { ok: false, detail: `${data.length - 1 - r.at} bytes left over after ${records} records` };
  return { ok: true, observations };
}

/**
 * Decodes one TCP AVL data packet (preamble, data field length, data field, CRC): the CRC-16/IBM
 * of the data field must match (its 4-byte field holds the CRC in the low two bytes).
 */
export function decodeTeltonikaPacket(packet: Buffer, imei: string): DecodeResult {
  if (packet.length < 12) return { ok: false, detail: `packet of ${packet.length} bytes is too short` };
  if (packet.readUInt32BE(0) !== 0) return { ok: false, detail: 'preamble is not four zero bytes' };
  const length = packet.readUInt32BE(4);
  if (packet.length !== length + 12)
    return { ok: false, detail: `data field length ${length} does not match the packet of ${packet.length} bytes` };
  const data = packet.subarray(8, 8 + length);
  const carried = packet.readUInt32BE(8 + length);
  const computed = teltonikaCrc16(data);
  if (carried !== computed) {
    const hex = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
    return { ok: false, detail: `CRC-16 mismatch: the packet carries ${hex(carried)}, the data field gives ${hex(computed)}` };
  }
  return decodeTeltonikaAvlData(data, imei);
}
