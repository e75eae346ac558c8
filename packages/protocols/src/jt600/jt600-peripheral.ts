/**
 * JT600 peripheral reports `(id,1,n,WLNET,5,2,<binary>)`: a text head of six fields, then in binary
 * the location block of the binary records (date, time, coordinates, flags, speed, course), then a
 * wireless sensor's reading: sensor time (6 bytes), sensor id (5), index, battery (WORD, 10 mV),
 * battery %, RSSI (negated dBm), sensor type; type 1 adds temperature (WORD: low 12 bits in 0.1 °C,
 * negative when the high nibble is set, 0xFFFF none), humidity %, data count (WORD) and status.
 * Traccar's Jt600ProtocolDecoder was read for the layout (no code copied); it answers nothing.
 */
import { emptyObservation } from '../decoded';
import { readJt600Location, type Jt600Decoded } from './jt600-binary';

/** A peripheral report: `WLNET,5,` among its first fields. */
export const isJt600Peripheral = (text: string) => /^\(\d+,[^,]*,[^,]*,WLNET,5,/.test(text);

/** Decodes one peripheral report (parentheses included), named by the id of its text head. */
export function decodeJt600Peripheral(frame: Buffer): Jt600Decoded {
  const fail = (detail: string): Jt600Decoded => ({ result: { ok: false, detail }, reply: null });
  let at = 0;
  for (let commas = 0; commas < 6; commas++) {
    at = frame.indexOf(0x2c, at) + 1;
    if (at === 0) return fail('peripheral report has fewer than six comma-separated fields before its binary part');
  }
  const id = frame.subarray(1, frame.indexOf(0x2c)).toString('latin1');
  const o = emptyObservation(id);
  const a: Record<string, unknown> = { report: 'peripheral' };
  o.attributes = a;
  const bad = readJt600Location(frame, at, o, a);
  if (bad) return fail(bad);
  const s = at + 17;
  // Sensor block: 6 + 5 + 1 + 2 + 1 + 1 + 1 bytes before the type's own fields.
  if (s + 17 > frame.length) return { result: { ok: true, observations: [o] }, reply: null };
  a.sensorId = frame.subarray(s + 6, s + 11).toString('hex');
  a.sensorBattery = frame.readUInt16BE(s + 12) / 100;
  a.sensorBatteryLevel = frame[s + 14];
  a.sensorRssi = -frame[s + 15];
  const type = frame[s + 16];
  a.sensorType = type;
  if (type === 1 && s + 20 <= frame.length) {
    const t = frame.readUInt16BE(s + 17);
    const humidity = frame[s + 19];
    o.sensors = { humidity };
    if (t !== 0xffff) o.sensors.temperature = ((t & 0xfff) / 10) * (t & 0xf000 ? -1 : 1);
  }
  return { result: { ok: true, observations: [o] }, reply: null };
}
