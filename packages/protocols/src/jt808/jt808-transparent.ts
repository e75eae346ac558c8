/**
 * Uplink transparent data 0x0900 (JT/T 808-2013 §8.62): a type byte and the vendor's content. One
 * vendor's vehicle-data type 0xF0 (OBD terminals; layout as Traccar's decoder tests show it, L188 and
 * L219) carries a position after its report:
 *
 * | bytes | field |
 * |---|---|
 * | 1 | type 0xF0 |
 * | 6 | time, BCD YYMMDDhhmmss, GMT+8 (as the location report) |
 * | 1 | archive: > 0 when re-sent from memory |
 * | 1 | vehicle type |
 * | 1 | report: 0x01 data items (count, then id WORD, length BYTE, value); 0x02 fault codes (count WORD;
 *       per system id DWORD, code count WORD; per code DWORD, status DWORD, text of WORD length);
 *       0x03 events (count, then id BYTE, length BYTE, value) |
 * | 4 + 4 + 4 | status (table 25: bit 1 fix, bit 2 south, bit 3 west), latitude, longitude (degrees × 10^6) |
 *
 * Other reports of 0xF0 (trips, VIN, driving events) carry no position of their own; other types are
 * not read. The items are kept raw in the attributes (`items`, `events`, `faultCodes`), values as hex.
 */
import { emptyObservation, type DecodedObservation } from '../decoded';
import { readJt808Time } from './jt808-location';

export const JT808_TRANSPARENT_VEHICLE_DATA = 0xf0;

/** A 0x0900 body → the observation of its position; null when the content has none to read; a string says what is wrong. */
export function readJt808Transparent(body: Buffer, identifier: string): DecodedObservation | null | string {
  if (body.length < 1 || body[0] !== JT808_TRANSPARENT_VEHICLE_DATA) return null;
  if (body.length < 10) return `vehicle data of ${body.length} bytes is shorter than its 10-byte head`;
  const time = readJt808Time(body, 1);
  if (time === null) return `vehicle data time ${body.subarray(1, 7).toString('hex')} is not a BCD time`;
  const report = body[9];
  let at = 10;
  const need = (n: number) => at + n <= body.length;
  const attributes: Record<string, unknown> = { transparentType: 0xf0, report, archive: body[7] > 0, vehicleType: body[8] };
  if (report === 0x01 || report === 0x03) {
    if (!need(1)) return 'vehicle data item count does not fit';
    const count = body[at++];
    const items: Record<string, string> = {};
    for (let i = 0; i < count; i++) {
      const idLength = report === 0x01 ? 2 : 1;
      if (!need(idLength + 1)) return `vehicle data item ${i + 1} of ${count} does not fit`;
      const id = report === 0x01 ? body.readUInt16BE(at) : body[at];
      const length = body[at + idLength];
      at += idLength + 1;
      if (!need(length)) return `vehicle data item 0x${id.toString(16)} claims ${length} bytes where ${body.length - at} remain`;
      items[`0x${id.toString(16).padStart(idLength * 2, '0')}`] = body.subarray(at, at + length).toString('hex');
      at += length;
    }
    attributes[report === 0x01 ? 'items' : 'events'] = items;
  } else if (report === 0x02) {
    if (!need(2)) return 'fault code count does not fit';
    const systems = body.readUInt16BE(at);
    at += 2;
    const codes: string[] = [];
    for (let s = 0; s < systems; s++) {
      if (!need(6)) return `fault code system ${s + 1} of ${systems} does not fit`;
      const n = body.readUInt16BE(at + 4);
      at += 6;
      for (let c = 0; c < n; c++) {
        if (!need(10)) return 'fault code does not fit';
        const textLength = body.readUInt16BE(at + 8);
        at += 10;
        if (!need(textLength)) return 'fault code text does not fit';
        codes.push(
          body
            .subarray(at, at + textLength)
            .toString('latin1')
            .trim(),
        );
        at += textLength;
      }
    }
    attributes.faultCodes = codes;
  } else return null;
  if (!need(12)) return 'vehicle data position does not fit';
  const status = body.readUInt32BE(at);
  const lat = body.readUInt32BE(at + 4) / 1e6;
  const lon = body.readUInt32BE(at + 8) / 1e6;
  const o = emptyObservation(identifier);
  o.time = time;
  attributes.status = status;
  attributes.gnssFix = (status & 0x2) !== 0;
  if (lat > 90 || lon > 180) return `position ${lat},${lon} is out of range`;
  // As in the location report: a terminal without a fix since start-up sends 0,0, which is no position.
  if (lat !== 0 || lon !== 0) o.position = { lat: status & 0x4 ? -lat : lat, lon: status & 0x8 ? -lon : lon, source: 'gnss' };
  o.attributes = attributes;
  return o;
}
