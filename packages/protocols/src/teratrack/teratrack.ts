/**
 * TeraTrack JSON e-lock frames (Traccar port 5239), one object each, cut by TeraTrackFrameSplitter.
 * Every value is a string in real frames (reference §12.3 T1/T2); numbers are accepted too. Fields
 * (Traccar TeraTrackProtocolDecoder, the HB-1AL table for the flags, see teratrack-seal.ts):
 * `MDeviceID` (12 digits) and `IMEI`; `DateTime` `YYYY-MM-DD hh:mm:ss` UTC; `Latitude`/`Longitude`
 * signed decimal degrees (the `…State` flags agree with the sign in real frames and are only kept);
 * `Speed` km/h; `Mileage`; `Power` battery %; `GSM` signal 0-31; `CardNo` the RFID card last used;
 * `Index`; `MessageAck` "1" when the device waits for `{01}`; the lock flags; `Slave[]` sub-locks.
 * Traccar keeps only LockOpen, LowPower, CardNo, Power, GSM and Mileage (reference §3): here every
 * field is kept under `attributes.vendor`, each sub-lock under `attributes.subLocks`, and the seal
 * reading is derived from all of them.
 */
import { emptyObservation, type DecodedObservation } from '../decoded';
import { TERATRACK_ACK } from './teratrack-frames';
import { lockSealReading, mainLockFlags, readFlag, subLockFlags, worstSealReading, type Flags } from './teratrack-seal';

/** Why a frame was refused: a closed set, counted and shown with the quarantined bytes. */
export type TeraTrackRejectReason =
  'not_json' | 'not_object' | 'bad_device_id' | 'bad_time' | 'bad_position' | 'bad_number' | 'bad_flag' | 'bad_sub_lock';

export interface TeraTrackDecoded {
  result: { ok: true; observations: DecodedObservation[] } | { ok: false; reason: TeraTrackRejectReason; detail: string };
  /** `{01}` once the observation is durable when the device asked for it; else null. */
  reply: Buffer | null;
}

/** One sub-lock as kept in `attributes.subLocks`. */
export interface TeraTrackSubLock {
  id: string;
  seal: ReturnType<typeof lockSealReading>;
  /** Percent, as `SPower`; null when absent. */
  battery: number | null;
  /** The main unit lost the sub-lock (`STimeOut`): its other fields are stale and do not count. */
  timedOut: boolean;
  motorFault: boolean;
  vendor: Flags;
}

const fail = (reason: TeraTrackRejectReason, detail: string): TeraTrackDecoded => ({ result: { ok: false, reason, detail }, reply: null });
const show = (v: unknown) => JSON.stringify(v)?.slice(0, 24) ?? 'undefined';
const NUMBER = /^-?\d{1,12}(\.\d{1,12})?$/;
/** A number sent as a string or a number; undefined when absent; null when not a number. */
const readNumber = (v: unknown): number | undefined | null =>
  v === undefined
    ? undefined
    : typeof v === 'number' && Number.isFinite(v)
      ? v
      : typeof v === 'string' && NUMBER.test(v)
        ? Number(v)
        : null;

function decodeSubLock(raw: unknown, i: number): TeraTrackSubLock | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return `Slave[${i}] is not an object`;
  const s = raw as Flags;
  const id = s.SDeviceId ?? s.SDeviceID;
  if (typeof id !== 'string' && typeof id !== 'number') return `Slave[${i}].SDeviceId ${show(id)} is missing`;
  const flags = subLockFlags(s);
  if (typeof flags === 'string') return `Slave[${i}].${flags} ${show(s[flags])} is not 0 or 1`;
  const battery = readNumber(s.SPower);
  const timedOut = readFlag(s, 'STimeOut');
  const motorFault = readFlag(s, 'SLockStuck');
  if (battery === null || timedOut === null || motorFault === null)
    return `Slave[${i}] has a power, timeout or stuck value that is not a number`;
  return {
    id: String(id),
    seal: lockSealReading(flags),
    battery: battery ?? null,
    timedOut: timedOut ?? false,
    motorFault: motorFault ?? false,
    vendor: s,
  };
}

/** Decodes one JSON object into an observation named by the IMEI (else MDeviceID), and the reply it waits for. */
export function decodeTeraTrackFrame(frame: Buffer): TeraTrackDecoded {
  let json: unknown;
  try {
    json = JSON.parse(frame.toString('utf8'));
  } catch (e) {
    return fail('not_json', `not JSON: ${(e as Error).message.slice(0, 80)}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('not_object', 'a TeraTrack frame is one JSON object');
  const f = json as Flags;
  const imei = typeof f.IMEI === 'string' && /^\d{15}$/.test(f.IMEI) ? f.IMEI : null;
  const mDeviceId = typeof f.MDeviceID === 'string' && /^\d{1,20}$/.test(f.MDeviceID) ? f.MDeviceID : null;
  if (!imei && !mDeviceId) return fail('bad_device_id', `neither IMEI ${show(f.IMEI)} nor MDeviceID ${show(f.MDeviceID)} is a device id`);

  const tm = typeof f.DateTime === 'string' ? /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(f.DateTime) : null;
  if (!tm) return fail('bad_time', `DateTime ${show(f.DateTime)} is not "YYYY-MM-DD hh:mm:ss"`);
  const [y, mo, d, hh, mi, ss] = tm.slice(1).map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d, hh, mi, ss));
  if (mo < 1 || mo > 12 || t.getUTCDate() !== d || hh > 23 || mi > 59 || ss > 59)
    return fail('bad_time', `DateTime ${f.DateTime} is not a time`);

  const lat = readNumber(f.Latitude);
  const lon = readNumber(f.Longitude);
  if (lat === null || lon === null || (lat === undefined) !== (lon === undefined))
    return fail('bad_position', `position ${show(f.Latitude)},${show(f.Longitude)} is not two numbers`);
  if (lat !== undefined && (Math.abs(lat) > 90 || Math.abs(lon!) > 180))
    return fail('bad_position', `position ${lat},${lon} is out of range`);
  const numbers: Record<string, number | undefined> = {};
  for (const name of ['Speed', 'Mileage', 'Power', 'GSM', 'Index', 'FenceAlarm', 'AreaAlarmID']) {
    const v = readNumber(f[name]);
    if (v === null) return fail('bad_number', `${name} ${show(f[name])} is not a number`);
    numbers[name] = v;
  }
  const main = mainLockFlags(f);
  if (typeof main === 'string') return fail('bad_flag', `${main} ${show(f[main])} is not 0 or 1`);
  const extra: Record<string, boolean | undefined> = {};
  for (const name of ['MessageAck', 'PasswordError', 'IllegalCard', 'LowPower', 'LockStuck', 'CoverStatus']) {
    const v = readFlag(f, name);
    if (v === null) return fail('bad_flag', `${name} ${show(f[name])} is not 0 or 1`);
    extra[name] = v;
  }
  if (f.Slave !== undefined && !Array.isArray(f.Slave)) return fail('bad_sub_lock', 'Slave is not a list');
  const subLocks: TeraTrackSubLock[] = [];
  for (const [i, raw] of ((f.Slave as unknown[] | undefined) ?? []).entries()) {
    const s = decodeSubLock(raw, i);
    if (typeof s === 'string') return fail('bad_sub_lock', s);
    subLocks.push(s);
  }

  const o = emptyObservation(imei ?? mDeviceId!);
  o.time = t.toISOString();
  // 0,0 is what a lock without a fix sends; there is no validity flag to tell otherwise.
  if (lat !== undefined && (lat !== 0 || lon !== 0))
    o.position = { lat: lat || 0, lon: lon || 0, ...(numbers.Speed !== undefined && { speed: numbers.Speed }), source: 'gnss' };
  const mainSeal = lockSealReading(main);
  o.seal = worstSealReading([mainSeal, ...subLocks.filter((s) => !s.timedOut).map((s) => s.seal)]);
  if (numbers.Power !== undefined && numbers.Power >= 0 && numbers.Power <= 100) o.battery = { level: numbers.Power };
  const alarms = Object.entries({
    rope_cut: main.cut,
    seal_tampered: main.tampered,
    back_cover_opened: main.coverOpened,
    unlocking: main.opened,
    wrong_password: extra.PasswordError,
    illegal_card: extra.IllegalCard,
    low_power: extra.LowPower,
    motor_fault: extra.LockStuck,
    geofence: numbers.FenceAlarm !== undefined && numbers.FenceAlarm !== 0,
  })
    .filter(([, on]) => on)
    .map(([name]) => name);
  const { Slave: _slave, ...vendor } = f;
  const attributes: Record<string, unknown> = { alarms, mainLock: mainSeal, subLocks, vendor };
  if (mDeviceId) attributes.mDeviceId = mDeviceId;
  if (typeof f.CardNo === 'string' && /[1-9]/.test(f.CardNo)) attributes.rfidCard = f.CardNo;
  if (numbers.GSM !== undefined) attributes.rssi = numbers.GSM;
  if (numbers.Index !== undefined) attributes.index = numbers.Index;
  const timedOut = subLocks.filter((s) => s.timedOut).map((s) => s.id);
  if (timedOut.length) attributes.subLocksTimedOut = timedOut;
  o.attributes = attributes;
  return { result: { ok: true, observations: [o] }, reply: extra.MessageAck ? Buffer.from(TERATRACK_ACK) : null };
}
