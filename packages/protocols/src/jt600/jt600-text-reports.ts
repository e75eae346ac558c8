/**
 * JT600 text location reports (reference §12.1 J7, J9; layouts from Traccar's Jt600ProtocolDecoder
 * patterns and its PR #2387, read for the field order, no code copied):
 * - `U01`/`U02`/`U03` position reports and `U06` alarms:
 *   `(id,Unn[,alarm],DDMMYY,hhmmss,T|F,lat,N|S,lon,E|W,speed mph,course,satellites,battery%,
 *   status bits,cell id,LAC,GSM signal,odometer km,serial[,checksum 2 hex][,…])`.
 *   U01-U03 are answered `(S39)`, U06 `(S20)`: unanswered, the device repeats them.
 *   `(id,U04)` carries nothing and is not answered.
 * - `W01`: `(id,W01,dddmm.mmmm,E|W,ddmm.mmmm,N|S,A|V,DDMMYY,hhmmss,speed km/h,course,power,
 *   GPS signal,GSM signal,alert type[,…])`, not answered.
 * The meanings of the status bits, the U06 alarm codes and the W01 alert type are not published:
 * they are kept as sent. The checksum's algorithm is not published either: kept, not checked.
 */
import { emptyObservation, type DecodedObservation } from '../decoded';
import type { Jt600Decoded } from './jt600-binary';

const MPH_KMH = 1.609344;
const INT = /^\d{1,9}$/;

type Fail = (detail: string) => Jt600Decoded;

/** DDMMYY hhmmss (UTC) as ISO 8601; null when it is not a time. A clock that never ran (01-01-2000) is no time either. */
export function jt600TextTime(date: string, time: string): string | null | 'invalid' {
  if (!/^\d{6}$/.test(date) || !/^\d{6}$/.test(time)) return 'invalid';
  if (date === '010100') return null;
  const n = (s: string, at: number) => Number(s.slice(at, at + 2));
  const t = new Date(Date.UTC(2000 + n(date, 4), n(date, 2) - 1, n(date, 0), n(time, 0), n(time, 2), n(time, 4)));
  if (n(date, 2) < 1 || n(date, 2) > 12 || t.getUTCDate() !== n(date, 0) || n(time, 0) > 23 || n(time, 2) > 59 || n(time, 4) > 59)
    return 'invalid';
  return t.toISOString();
}

function setPosition(o: DecodedObservation, lat: number, lon: number, speedKmh: number, course: number): string | null {
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
    return `position ${lat},${lon} is out of range`;
  // A device without a fix since start-up sends 0,0: that is no position.
  if (lat !== 0 || lon !== 0)
    o.position = { lat: lat || 0, lon: lon || 0, speed: Math.round(speedKmh * 100) / 100, heading: course % 360, source: 'gnss' };
  return null;
}

/** U01-U06. `f` are the frame's fields, id and type included. */
export function decodeJt600UReport(id: string, type: string, f: string[]): Jt600Decoded {
  const fail: Fail = (detail) => ({ result: { ok: false, detail: `${type}: ${detail}` }, reply: null });
  if (type === 'U04' && f.length === 2) return { result: { ok: true, observations: [] }, reply: null };
  const hasAlarm = /^[TF]$/.test(f[5] ?? '');
  const at = hasAlarm ? 3 : 2;
  if (f.length < at + 17) return fail(`${f.length} fields, at least ${at + 17} expected`);
  const [date, time, validity, lat, ns, lon, ew, speed, course, satellites, battery, status, cellId, lac, gsm, odometer, serial, ...rest] =
    f.slice(at);
  const when = jt600TextTime(date, time);
  if (when === 'invalid') return fail(`${date} ${time} is not a time`);
  if (!/^[TF]$/.test(validity)) return fail(`validity ${JSON.stringify(validity)} is neither T nor F`);
  if (!/^\d{1,3}\.\d+$/.test(lat) || !/^\d{1,3}\.\d+$/.test(lon) || !/^[NS]$/.test(ns) || !/^[EW]$/.test(ew))
    return fail(`position ${lat},${ns},${lon},${ew} is not decimal degrees with hemispheres`);
  if (!/^\d{1,4}(\.\d+)?$/.test(speed)) return fail(`speed ${JSON.stringify(speed)} is not a number`);
  for (const [name, v] of Object.entries({ course, satellites, cellId, lac, gsm, odometer, serial })) {
    if (!INT.test(v)) return fail(`${name} ${JSON.stringify(v)} is not a number`);
  }
  if (hasAlarm && !INT.test(f[2])) return fail(`alarm ${JSON.stringify(f[2])} is not a number`);
  const level = /^(\d{1,3})%$/.exec(battery);
  if (!level || Number(level[1]) > 100) return fail(`battery ${JSON.stringify(battery)} is not a percentage`);
  if (!/^[01]{1,32}$/.test(status)) return fail(`status ${JSON.stringify(status)} is not bits`);

  const o = emptyObservation(id);
  o.time = when;
  const wrong = setPosition(
    o,
    Number(lat) * (ns === 'S' ? -1 : 1),
    Number(lon) * (ew === 'W' ? -1 : 1),
    Number(speed) * MPH_KMH,
    Number(course),
  );
  if (wrong) return fail(wrong);
  o.battery = { level: Number(level[1]) };
  const attributes: Record<string, unknown> = {
    type,
    gnssFix: validity === 'T',
    speedMph: Number(speed),
    satellites: Number(satellites),
    statusBits: status,
    cellId: Number(cellId),
    lac: Number(lac),
    gsmSignal: Number(gsm),
    odometerKm: Number(odometer),
    index: Number(serial),
  };
  if (hasAlarm) attributes.alarm = Number(f[2]);
  if (/^[0-9A-Fa-f]{2}$/.test(rest[0] ?? '')) attributes.checksum = rest.shift();
  if (rest.length) attributes.extraFields = rest;
  o.attributes = attributes;
  const reply = ['U01', 'U02', 'U03'].includes(type) ? '(S39)' : type === 'U06' ? '(S20)' : null;
  return { result: { ok: true, observations: [o] }, reply: reply ? Buffer.from(reply, 'latin1') : null };
}

/** `dddmm.mmmm` / `ddmm.mmmm` with its hemisphere as decimal degrees; NaN when malformed. */
function degreesMinutes(v: string, degreeDigits: 2 | 3, hemisphere: string, negative: string): number {
  const m = new RegExp(`^(\\d{${degreeDigits}})(\\d{2}\\.\\d+)$`).exec(v);
  if (!m || Number(m[2]) >= 60) return NaN;
  return (Number(m[1]) + Number(m[2]) / 60) * (hemisphere === negative ? -1 : 1);
}

/** W01. `f` are the frame's fields, id and type included. */
export function decodeJt600W01(id: string, f: string[]): Jt600Decoded {
  const fail: Fail = (detail) => ({ result: { ok: false, detail: `W01: ${detail}` }, reply: null });
  if (f.length < 15) return fail(`${f.length} fields, at least 15 expected`);
  const [, , lon, ew, lat, ns, validity, date, time, speed, course, power, gps, gsm, alertType, ...rest] = f;
  if (!/^[EW]$/.test(ew) || !/^[NS]$/.test(ns)) return fail(`hemispheres ${ew},${ns} are not E|W and N|S`);
  const longitude = degreesMinutes(lon, 3, ew, 'W');
  const latitude = degreesMinutes(lat, 2, ns, 'S');
  if (Number.isNaN(longitude) || Number.isNaN(latitude)) return fail(`position ${lon},${lat} is not dddmm.mmmm / ddmm.mmmm`);
  if (validity !== 'A' && validity !== 'V') return fail(`validity ${JSON.stringify(validity)} is neither A nor V`);
  const when = jt600TextTime(date, time);
  if (when === 'invalid') return fail(`${date} ${time} is not a time`);
  for (const [name, v] of Object.entries({ speed, course, power, gps, gsm, alertType })) {
    if (!INT.test(v)) return fail(`${name} ${JSON.stringify(v)} is not a number`);
  }
  const o = emptyObservation(id);
  o.time = when;
  const wrong = setPosition(o, latitude, longitude, Number(speed), Number(course));
  if (wrong) return fail(wrong);
  o.attributes = {
    type: 'W01',
    gnssFix: validity === 'A',
    power: Number(power),
    gpsSignal: Number(gps),
    gsmSignal: Number(gsm),
    alertType: Number(alertType),
    ...(rest.length ? { extraFields: rest } : {}),
  };
  return { result: { ok: true, observations: [o] }, reply: null };
}
