/**
 * JT600 text frames `( … )`: the `P45` lock/unlock event of the JT701/JT709 e-locks, the `@JT`
 * heartbeat, the U01-U06 / W01 location reports (jt600-text-reports.ts) and WLNET sensor reports (jt600-peripheral.ts). Layout of P45 (Traccar Jt600ProtocolDecoder, reference §12.1 J4/J5):
 * `(id,P45,DDMMYY,hhmmss,lat,N|S,lon,E|W,A|V,speed,course,event source,unlock verification,
 * RFID card,password verification,incorrect password count,index[,…])`, coordinates in decimal
 * degrees, speed in mph (Traccar converts from mph), time UTC. The device waits for
 * `(P69,0,<index>)`. An RFID card of all zeros means no card.
 * The numeric codes of event source and the two verifications are kept as sent: no public source
 * we could read gives their meaning.
 */
import { emptyObservation, type DecodedObservation } from '../decoded';
import type { Jt600Decoded } from './jt600-binary';
import { jt600EventAck } from './jt600-frames';
import { decodeJt600UReport, decodeJt600W01 } from './jt600-text-reports';
import { decodeJt600Peripheral, isJt600Peripheral } from './jt600-peripheral';

const MPH_KMH = 1.609344;
const INT = /^\d{1,9}$/;
const DECIMAL = /^\d{1,3}(\.\d+)?$/;

function decodeP45(id: string, f: string[]): Jt600Decoded {
  const fail = (detail: string): Jt600Decoded => ({ result: { ok: false, detail: `P45: ${detail}` }, reply: null });
  if (f.length < 17) return fail(`${f.length} fields, at least 17 expected`);
  const [
    ,
    ,
    date,
    time,
    lat,
    ns,
    lon,
    ew,
    validity,
    speed,
    course,
    source,
    unlockVerification,
    card,
    passwordVerification,
    wrongCount,
    index,
    ...rest
  ] = f;
  if (!/^\d{6}$/.test(date) || !/^\d{6}$/.test(time)) return fail(`date ${date} or time ${time} is not DDMMYY / hhmmss`);
  const n = (s: string, at: number) => Number(s.slice(at, at + 2));
  const ms = Date.UTC(2000 + n(date, 4), n(date, 2) - 1, n(date, 0), n(time, 0), n(time, 2), n(time, 4));
  const t = new Date(ms);
  if (n(date, 2) < 1 || n(date, 2) > 12 || t.getUTCDate() !== n(date, 0) || n(time, 0) > 23 || n(time, 2) > 59 || n(time, 4) > 59) {
    return fail(`${date} ${time} is not a time`);
  }
  if (!DECIMAL.test(lat) || !DECIMAL.test(lon) || !/^[NS]$/.test(ns) || !/^[EW]$/.test(ew))
    return fail(`position ${lat},${ns},${lon},${ew} is not decimal degrees with hemispheres`);
  const latitude = Number(lat) * (ns === 'S' ? -1 : 1);
  const longitude = Number(lon) * (ew === 'W' ? -1 : 1);
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return fail(`position ${latitude},${longitude} is out of range`);
  if (validity !== 'A' && validity !== 'V') return fail(`validity ${validity} is neither A nor V`);
  for (const [name, v] of Object.entries({
    speed,
    course,
    eventSource: source,
    unlockVerification,
    passwordVerification,
    incorrectPasswordCount: wrongCount,
    index,
  })) {
    if (!INT.test(v)) return fail(`${name} ${JSON.stringify(v)} is not a number`);
  }
  if (!/^\d{1,20}$/.test(card)) return fail(`RFID card ${JSON.stringify(card)} is not digits`);
  const o: DecodedObservation = emptyObservation(id);
  o.time = t.toISOString();
  if (latitude !== 0 || longitude !== 0) {
    o.position = {
      lat: latitude || 0,
      lon: longitude || 0,
      speed: Math.round(Number(speed) * MPH_KMH * 100) / 100,
      heading: Number(course) % 360,
      source: 'gnss',
    };
  }
  const attributes: Record<string, unknown> = {
    type: 'P45',
    event: 'lock_unlock',
    gnssFix: validity === 'A',
    speedMph: Number(speed),
    eventSource: Number(source),
    unlockVerification: Number(unlockVerification),
    passwordVerification: Number(passwordVerification),
    incorrectPasswordCount: Number(wrongCount),
    index: Number(index),
  };
  if (/[1-9]/.test(card)) attributes.rfidCard = card;
  if (rest.length) attributes.extraFields = rest;
  o.attributes = attributes;
  return { result: { ok: true, observations: [o] }, reply: jt600EventAck(Number(index)) };
}

/** Decodes one whole text frame, parentheses included. */
export function decodeJt600Text(frame: Buffer): Jt600Decoded {
  const text = frame.toString('latin1');
  if (isJt600Peripheral(text)) return decodeJt600Peripheral(frame);
  if (!text.startsWith('(') || !text.endsWith(')'))
    return { result: { ok: false, detail: 'text frame is not enclosed in ( )' }, reply: null };
  const fields = text.slice(1, -1).split(',');
  const [id, type] = fields;
  if (!/^\d{1,20}$/.test(id))
    return { result: { ok: false, detail: `device id ${JSON.stringify(id.slice(0, 32))} is not digits` }, reply: null };
  // The heartbeat: the device is alive; nothing to store and nothing to answer (Traccar answers nothing).
  if (type === '@JT' && fields.length === 2) return { result: { ok: true, observations: [] }, reply: null };
  if (type === 'P45') return decodeP45(id, fields);
  if (type === 'W01') return decodeJt600W01(id, fields);
  if (/^U0[1-6]$/.test(type ?? '')) return decodeJt600UReport(id, type, fields);
  return {
    result: { ok: false, detail: `text frame type ${JSON.stringify((type ?? '').slice(0, 16))} is not supported (P45, U01-U06, W01, @JT)` },
    reply: null,
  };
}
