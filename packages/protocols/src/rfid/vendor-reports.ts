/**
 * Vendor tag-report JSON → our generic reader report. Two reader families post JSON tag reads
 * to an HTTP endpoint of the customer's choice:
 * - Impinj IoT device interface (R700 and later): `{timestamp, hostname, eventType: "tagInventory",
 *   tagInventoryEvent: {epcHex | epc (base64), tidHex | tid, antennaPort, peakRssiCdbm, frequency,
 *   lastSeenTime}}`, one event, an array of events, or newline-delimited events.
 * - Zebra IoT Connector "SIMPLE" format: `{timestamp, type: "SIMPLE", data: {idHex, antenna, peakRssi}}`.
 * Neither carries the reader's place or region, so the caller passes them from the device registry.
 */
import type { RawTagRead, ReaderReport } from './report-schema';
import { toMHz } from './uhf-bands';

export type VendorFormat = 'impinj' | 'zebra';

export type VendorParse =
  | { ok: true; format: VendorFormat; reports: ReaderReport[]; ignoredEvents: number }
  | { ok: false; reason: 'missing_reader' | 'invalid_report'; detail: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Base64 (as Impinj sends `epc` and `tid` when the hex forms are off) → upper-case hex; undefined if
 * not base64. R700 readers write the URL-safe alphabet (`-`, `_`; a capture with both forms has
 * `"epc": "4oARYGAAAgpmgfI_"` beside `"epcHex": "E28011606000020A6681F23F"`), so both alphabets are read,
 * padded or not; one text mixing them is refused.
 */
function base64ToHex(v: unknown): string | undefined {
  const s = str(v);
  if (!s || !/^([A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$/.test(s) || s.replace(/=+$/, '').length % 4 === 1) return undefined;
  if (s.includes('=') && s.length % 4 !== 0) return undefined;
  return Buffer.from(s, /[-_]/.test(s) ? 'base64url' : 'base64')
    .toString('hex')
    .toUpperCase();
}

const isImpinj = (e: Obj) => 'tagInventoryEvent' in e || typeof e.eventType === 'string';
const isZebra = (e: Obj) => isObj(e.data) && ('idHex' in e.data || e.type === 'SIMPLE');

/** Recognises a vendor form and maps it; null when the document is neither vendor's (then it may be generic). */
export function fromVendorJson(doc: unknown, fallbackReader?: string): VendorParse | null {
  // An Impinj reader posts its batch every linger period, `[]` when it read nothing: nothing to store, nothing wrong.
  if (Array.isArray(doc) && doc.length === 0) return { ok: true, format: 'impinj', reports: [], ignoredEvents: 0 };
  const events = Array.isArray(doc) ? doc : [doc];
  if (!events.length || !events.every(isObj)) return null;
  const format: VendorFormat | null = events.every(isImpinj) ? 'impinj' : events.every(isZebra) ? 'zebra' : null;
  if (!format) return null;
  const byReader = new Map<string, RawTagRead[]>();
  let ignoredEvents = 0;
  for (const e of events) {
    const read = format === 'impinj' ? impinjRead(e) : zebraRead(e);
    if (read === null) {
      // Antenna, status and diagnostic events are not tag reads; counted, not observations.
      ignoredEvents++;
      continue;
    }
    if (typeof read === 'string') return { ok: false, reason: 'invalid_report', detail: read };
    const reader = (format === 'impinj' ? str(e.hostname) : undefined) ?? fallbackReader;
    if (!reader)
      return {
        ok: false,
        reason: 'missing_reader',
        detail: `${format} events name no reader: configure the reader id in the endpoint path`,
      };
    byReader.set(reader, [...(byReader.get(reader) ?? []), read]);
  }
  const reports = [...byReader].map(([reader, reads]) => ({ reader, reads }));
  // A batch of only status events is still one (empty) report, so the reader is seen alive.
  if (!reports.length && fallbackReader) reports.push({ reader: fallbackReader, reads: [] });
  return { ok: true, format, reports, ignoredEvents };
}

/** One Impinj event → a read; null for a non-inventory event; a string says what is wrong. */
function impinjRead(e: Obj): RawTagRead | null | string {
  if (e.eventType !== undefined && e.eventType !== 'tagInventory') return null;
  const t = e.tagInventoryEvent;
  if (!isObj(t)) return 'tagInventory event without tagInventoryEvent';
  const epc = str(t.epcHex) ?? base64ToHex(t.epc);
  if (!epc) return 'tagInventoryEvent without epcHex or base64 epc';
  const tid = str(t.tidHex) ?? base64ToHex(t.tid);
  const rssi = num(t.peakRssiCdbm);
  const freq = num(t.frequency);
  const time = str(t.lastSeenTime) ?? str(t.firstSeenTime) ?? str(e.timestamp);
  const vendor = kept(t, IMPINJ_KEPT);
  return {
    epc,
    ...(tid ? { tid } : {}),
    ...(rssi !== undefined ? { rssi: rssi / 100 } : {}), // centi-dBm
    ...(num(t.antennaPort) !== undefined ? { antenna: num(t.antennaPort) } : {}),
    ...(time ? { time } : {}),
    ...(freq !== undefined ? { frequencyMHz: toMHz(freq) ?? freq } : {}),
    ...(vendor ? { vendor } : {}),
  };
}

function zebraRead(e: Obj): RawTagRead | string {
  const d = e.data as Obj;
  const epc = str(d.idHex);
  if (!epc) return 'Zebra event without data.idHex';
  const time = str(e.timestamp);
  // Zebra writes the TID member in upper case (`TID`) in its examples; the channel is the frequency in MHz (kept raw too).
  const tid = str(d.TID) ?? str(d.tid) ?? str(d.tidHex);
  const channel = num(d.channel) === undefined ? null : toMHz(num(d.channel)!);
  const vendor = kept(d, ZEBRA_KEPT);
  return {
    epc,
    ...(tid ? { tid } : {}),
    ...(num(d.peakRssi) !== undefined ? { rssi: num(d.peakRssi) } : {}),
    ...(num(d.antenna) !== undefined ? { antenna: num(d.antenna) } : {}),
    ...(time ? { time } : {}),
    ...(channel !== null ? { frequencyMHz: channel } : {}),
    ...(vendor ? { vendor } : {}),
  };
}

/** Fields of a vendor's read with no generic member, kept as sent in the read's `vendor`. */
const IMPINJ_KEPT = [
  'antennaName',
  'pc',
  'phaseAngle',
  'transmitPowerCdbm',
  'crc',
  'xpcW1',
  'xpcW2',
  'channel',
  'peakRssiCdbm',
  'frequency',
];
const ZEBRA_KEPT = ['channel', 'eventNum', 'format', 'phase', 'reads', 'userDefined', 'mac', 'hostName', 'TID', 'MemoryBankData'];
const kept = (o: Obj, keys: string[]): Obj | undefined => {
  const out = Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  return Object.keys(out).length ? out : undefined;
};
