/**
 * eSeal text frames (Traccar port 5169), one line each, cut by EsealFrameSplitter. Layout of a
 * report (Traccar EsealProtocolDecoder, reference §12.2 E1/E2), 20 comma-separated fields:
 * `##S,<device type>,<device id>,<customer id>,<firmware>,<message type>,<index>,<YYYY-MM-DD>,
 * <hh:mm:ss>,<report interval>,<A|V>,<lat><N|S> <lon><E|W>,<course>,<speed km/h>,<Open|Close>,
 * <acceleration>,<nfc>,<battery V>,<rssi dBm>,E##`, time UTC. Message types: `Normal`, `Startup`,
 * `Button-Normal`, `Termination` and the events `Event-Door`, `Event-Shock`, `Event-Drop`,
 * `Event-Lock`, `Event-RC-Unlock`; each waits for `<type> ACK,<index>` (eseal-frames.ts). A report of
 * another type in the same layout is decoded (as Traccar does) but not acknowledged: we cannot know
 * what answer it expects.
 * The device also answers our commands with short frames (`Startup OK,<config…>`, `<command> ACK,…`):
 * they carry no time or position but are kept, since an acknowledged remote unlock is evidence.
 */
import type { SealReading } from '@sealwatch/core';
import { emptyObservation, type DecodedObservation } from '../decoded';
import { esealAck, type EsealHeader } from './eseal-frames';

/** Why a frame was refused: a closed set, counted and shown with the quarantined bytes. */
export type EsealRejectReason =
  'not_eseal_frame' | 'bad_device_id' | 'bad_field_count' | 'unsupported_type' | 'bad_number' | 'bad_time' | 'bad_position';

export interface EsealDecoded {
  result: { ok: true; observations: DecodedObservation[] } | { ok: false; reason: EsealRejectReason; detail: string };
  /** What to send back once the observations are durable; null when the device waits for nothing. */
  reply: Buffer | null;
}

export interface EsealDecodeOptions {
  /** The configuration sent in the `Startup ACK` (Traccar's `eseal.config`), e.g. `180,30,30,16,1`. */
  startupConfig?: string;
}

/** The report types Traccar acknowledges, with the alarm each event raises. */
const REPORT_TYPES: Record<string, string | null> = {
  Normal: null,
  Startup: null,
  'Button-Normal': null,
  Termination: null,
  'Event-Door': 'door',
  'Event-Shock': 'shock',
  'Event-Drop': 'drop',
  'Event-Lock': 'lock',
  'Event-RC-Unlock': 'unlock',
};

const REPORT_FIELDS = 20;
const LATLON = /^(\d{1,2}(?:\.\d+)?)([NS]) (\d{1,3}(?:\.\d+)?)([EW])$/;
const fail = (reason: EsealRejectReason, detail: string): EsealDecoded => ({ result: { ok: false, reason, detail }, reply: null });
const show = (s: string) => JSON.stringify(s.slice(0, 24));

/**
 * The seal reading an eSeal report means (our reading; the vendor documents none we could find):
 * `Event-Lock` arms the seal (locked; closed unless the door field says Open); `Event-RC-Unlock`
 * unlocks it, which leaves it open; a door reported `Open` opens it; `Event-Drop` means the seal body
 * fell, which a seal fixed to a door cannot do intact: tampered. `Event-Shock` changes no state (a
 * road knock is no breach); it stays an alarm attribute. A periodic `Close` sets nothing: only a lock
 * event re-arms a seal, so a closed door after a remote unlock does not count as sealed again.
 */
export function esealSealReading(type: string, door: 'open' | 'closed' | null): SealReading | null {
  if (type === 'Event-Drop') return { state: 'tampered' };
  if (type === 'Event-RC-Unlock') return { state: 'open', lock: 'unlocked' };
  if (type === 'Event-Lock') return { state: door === 'open' ? 'open' : 'closed', lock: 'locked' };
  if (door === 'open') return { state: 'open' };
  return null;
}

function decodeReport(h: EsealHeader, type: string, f: string[], options: EsealDecodeOptions): EsealDecoded {
  const [index, date, time, interval, validity, latlon, course, speed, doorText, acceleration, nfc, battery, rssi] = f.slice(6, 19);
  for (const [name, v, re] of [
    ['index', index, /^\d{1,9}$/],
    ['report interval', interval, /^\d{1,9}$/],
    ['course', course, /^\d{1,3}$/],
    ['speed', speed, /^\d{1,4}$/],
    ['acceleration', acceleration, /^\d{1,4}(\.\d+)?$/],
    ['battery', battery, /^\d{1,2}(\.\d+)?$/],
    ['rssi', rssi, /^-?\d{1,3}$/],
  ] as const) {
    if (!re.test(v)) return fail('bad_number', `${name} ${show(v)} is not a number`);
  }
  const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const tm = /^(\d{2}):(\d{2}):(\d{2})$/.exec(time);
  if (!dm || !tm) return fail('bad_time', `date ${show(date)} or time ${show(time)} is not YYYY-MM-DD / hh:mm:ss`);
  const [y, mo, d, hh, mi, ss] = [...dm.slice(1), ...tm.slice(1)].map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d, hh, mi, ss));
  if (mo < 1 || mo > 12 || t.getUTCDate() !== d || hh > 23 || mi > 59 || ss > 59) return fail('bad_time', `${date} ${time} is not a time`);
  if (validity !== 'A' && validity !== 'V') return fail('bad_position', `validity ${show(validity)} is neither A nor V`);
  const p = LATLON.exec(latlon);
  if (!p) return fail('bad_position', `position ${show(latlon)} is not "<lat>N|S <lon>E|W"`);
  const lat = Number(p[1]) * (p[2] === 'S' ? -1 : 1);
  const lon = Number(p[3]) * (p[4] === 'W' ? -1 : 1);
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return fail('bad_position', `position ${lat},${lon} is out of range`);

  const o = emptyObservation(h.deviceId);
  o.time = t.toISOString();
  // Without a fix the device repeats its last position or sends 0,0 (E2): only a valid fix is a position.
  if (validity === 'A' && (lat !== 0 || lon !== 0))
    o.position = { lat: lat || 0, lon: lon || 0, speed: Number(speed), heading: Number(course) % 360, source: 'gnss' };
  o.door = doorText === 'Open' ? 'open' : doorText === 'Close' ? 'closed' : null;
  o.seal = esealSealReading(type, o.door);
  o.battery = { voltage: Number(battery) };
  const attributes: Record<string, unknown> = {
    type,
    index: Number(index),
    deviceType: h.deviceType,
    customerId: h.customerId,
    firmware: h.firmware,
    reportInterval: Number(interval),
    gnssFix: validity === 'A',
    door: doorText,
    acceleration: Number(acceleration),
    nfc,
    rssi: Number(rssi),
  };
  const alarm = REPORT_TYPES[type];
  if (alarm) attributes.alarm = alarm;
  o.attributes = attributes;
  const reply = type in REPORT_TYPES ? esealAck(h, type, Number(index), options.startupConfig) : null;
  return { result: { ok: true, observations: [o] }, reply };
}

/** Decodes one line (without its line end) into observations named by the device id, and the reply it waits for. */
export function decodeEsealFrame(frame: Buffer, options: EsealDecodeOptions = {}): EsealDecoded {
  const text = frame.toString('latin1');
  if (!text.startsWith('##S,') || !text.endsWith(',E##')) return fail('not_eseal_frame', 'an eSeal frame is "##S,…,E##"');
  const f = text.split(',');
  if (f.length < 7) return fail('bad_field_count', `${f.length} fields, at least 7 expected`);
  const [, deviceType, deviceId, customerId, firmware, type] = f;
  if (!/^\d{1,20}$/.test(deviceId)) return fail('bad_device_id', `device id ${show(deviceId)} is not digits`);
  const h: EsealHeader = { deviceType, deviceId, customerId, firmware };
  if (type === 'Startup OK' || type.endsWith(' ACK')) {
    // The device's answer to a command or to our Startup ACK: nothing to acknowledge in turn.
    const o = emptyObservation(deviceId);
    o.attributes = { type, deviceType, customerId, firmware, fields: f.slice(6, -1) };
    return { result: { ok: true, observations: [o] }, reply: null };
  }
  if (f.length === REPORT_FIELDS) return decodeReport(h, type, f, options);
  if (!(type in REPORT_TYPES)) return fail('unsupported_type', `message type ${show(type)} is not supported`);
  return fail('bad_field_count', `${type}: ${f.length} fields, ${REPORT_FIELDS} expected`);
}
