/**
 * Tag-read reports of fixed and handheld UHF RFID readers (DESIGN §2, passive class) → one
 * observation per reader with `reads` (DESIGN §5), each read carrying its decoded GS1 identity
 * and the reader's regional band. Accepts our generic JSON form (docs/devices.md) and the Impinj
 * and Zebra JSON forms (vendor-reports.ts). Pure: text in, observations out.
 */
import { z } from 'zod';
import type { TagRead } from '@sealwatch/core';
import { emptyObservation, type DecodedObservation } from '../decoded';
import { decodeEpc, normaliseEpcHex, type EpcDecodeReason } from '../epc/epc-decode';
import type { EpcIdentity } from '../epc/identity';
import { findUhfBand, isInBand, type UhfBandId } from './uhf-bands';
import { readerReportSchema, type ReaderReport } from './report-schema';
import { fromVendorJson } from './vendor-reports';

export { rawTagReadSchema, readerReportSchema, type RawTagRead, type ReaderReport } from './report-schema';

/** Why a report was refused. */
export type RfidReason =
  'not_json' | 'invalid_report' | 'missing_reader' | 'invalid_time' | 'invalid_epc' | 'unknown_band' | 'frequency_out_of_band';

export type RfidDecodeResult = { ok: true; observations: DecodedObservation[] } | { ok: false; reason: RfidReason; detail: string };

/** A read as Sealwatch keeps it: the model's TagRead plus what the reader and the EPC tell. */
export interface ReaderTagRead extends TagRead {
  antenna?: number;
  frequencyMHz?: number;
  /** The reader's regional band profile at the time of the read. */
  band?: UhfBandId;
  /** False when the read's frequency lies outside `band` (kept, and counted in `attributes.outOfBand`). */
  inBand?: boolean;
  /** The GS1 identity, or null for a non-GS1 EPC (then `epcReason` says why). */
  gs1: Pick<EpcIdentity, 'scheme' | 'pureIdentityUri' | 'tagUri' | 'elementString' | 'key'> | null;
  epcReason?: EpcDecodeReason;
  /** The vendor's own fields of the read, as sent. */
  vendor?: Record<string, unknown>;
}

/** What the device registry knows and vendor forms do not carry; `strictBand` refuses out-of-band reads. */
export interface ReaderReportOptions {
  reader?: string;
  band?: string;
  location?: { lat: number; lon: number; accuracy?: number };
  strictBand?: boolean;
  /**
   * The reader's registered band and location, which win over what the report says (a fixed
   * reader's place is set by customs, not claimed by the reader); a differing claim is kept in
   * `attributes.reportedBand` / `attributes.reportedLocation`.
   */
  registered?: { band?: string; location?: { lat: number; lon: number; accuracy?: number } };
}

const fail = (reason: RfidReason, detail: string) => ({ ok: false as const, reason, detail });

function isoTime(s: string | undefined): string | null | undefined {
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(s) ? null : new Date(t).toISOString();
}

/** Parses one JSON document, or newline-delimited JSON (the Impinj stream form) as an array. */
function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    const lines = body.split('\n').filter((l) => l.trim());
    if (lines.length < 2) return undefined;
    try {
      return lines.map((l) => JSON.parse(l));
    } catch {
      return undefined;
    }
  }
}

/** Decodes a reader's HTTP body (generic, Impinj or Zebra JSON) into one observation per reader. */
export function decodeReaderReport(body: string, options: ReaderReportOptions = {}): RfidDecodeResult {
  const doc = parseJson(body);
  if (doc === undefined) return fail('not_json', 'body is not JSON');
  const vendor = fromVendorJson(doc, options.reader);
  let reports: ReaderReport[];
  let format = 'generic';
  const attributes: Record<string, unknown> = {};
  if (vendor) {
    if (!vendor.ok) return vendor;
    reports = vendor.reports;
    format = vendor.format;
    if (vendor.ignoredEvents) attributes.ignoredEvents = vendor.ignoredEvents;
  } else {
    const parsed = readerReportSchema.safeParse(doc);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail('invalid_report', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const reader = parsed.data.reader ?? options.reader;
    if (!reader) return fail('missing_reader', 'report names no reader');
    reports = [{ ...parsed.data, reader }];
  }
  const observations: DecodedObservation[] = [];
  for (const report of reports) {
    const r = reportToObservation(report, options, { format, ...attributes });
    if (!r.ok) return r;
    observations.push(r.observation);
  }
  return { ok: true, observations };
}

/** One report → the reader's observation; reads keep their order. */
export function reportToObservation(report: ReaderReport, options: ReaderReportOptions, attributes: Record<string, unknown> = {}) {
  // `registered` members override the report's own (see ReaderReportOptions).
  const reg = options.registered ?? {};
  const bandName = reg.band ?? report.band ?? options.band;
  const band = bandName === undefined ? undefined : findUhfBand(bandName);
  if (bandName !== undefined && !band) return fail('unknown_band', `band "${bandName}" is not a known UHF profile`);
  const reads: ReaderTagRead[] = [];
  let outOfBand = 0;
  let latest: string | null = null;
  for (const [i, raw] of report.reads.entries()) {
    const epc = normaliseEpcHex(raw.epc);
    if (!epc) return fail('invalid_epc', `reads[${i}].epc "${raw.epc.slice(0, 64)}" is not hex`);
    const tid = raw.tid === undefined ? undefined : normaliseEpcHex(raw.tid);
    if (tid === null) return fail('invalid_epc', `reads[${i}].tid is not hex`);
    const time = isoTime(raw.time);
    if (time === null) return fail('invalid_time', `reads[${i}].time "${raw.time}" is not an ISO 8601 time`);
    if (time && (!latest || time > latest)) latest = time;
    const decoded = decodeEpc(epc);
    const read: ReaderTagRead = {
      // Lower-case hex, as the native protocol's example reads (DESIGN §5).
      epc: epc.toLowerCase(),
      ...(tid ? { tid: tid.toLowerCase() } : {}),
      ...(raw.rssi !== undefined ? { rssi: raw.rssi } : {}),
      ...(time ? { time } : {}),
      ...(raw.antenna !== undefined ? { antenna: raw.antenna } : {}),
      ...(raw.frequencyMHz !== undefined ? { frequencyMHz: raw.frequencyMHz } : {}),
      ...(raw.vendor ? { vendor: raw.vendor } : {}),
      ...(band ? { band: band.id } : {}),
      gs1: decoded.ok ? pickGs1(decoded.identity) : null,
      ...(decoded.ok ? {} : { epcReason: decoded.reason }),
    };
    if (band && raw.frequencyMHz !== undefined) {
      read.inBand = isInBand(band, raw.frequencyMHz);
      if (!read.inBand) {
        if (options.strictBand) return fail('frequency_out_of_band', `reads[${i}] at ${raw.frequencyMHz} MHz is outside ${band.id}`);
        outOfBand++;
      }
    }
    reads.push(read);
  }
  const time = isoTime(report.time);
  if (time === null) return fail('invalid_time', `time "${report.time}" is not an ISO 8601 time`);
  const o = emptyObservation(report.reader);
  // A report without its own time is as recent as its latest read.
  o.time = time ?? latest;
  const loc = reg.location ?? report.location ?? options.location;
  if (reg.band && report.band && findUhfBand(report.band)?.id !== band?.id) attributes = { ...attributes, reportedBand: report.band };
  if (reg.location && report.location && (report.location.lat !== reg.location.lat || report.location.lon !== reg.location.lon))
    attributes = { ...attributes, reportedLocation: report.location };
  if (loc) o.position = { lat: loc.lat, lon: loc.lon, ...(loc.accuracy !== undefined ? { accuracy: loc.accuracy } : {}), source: 'reader' };
  o.reads = reads;
  o.attributes = { ...attributes, ...(band ? { band: band.id } : {}), ...(outOfBand ? { outOfBand } : {}) };
  return { ok: true as const, observation: o };
}

const pickGs1 = (id: EpcIdentity): ReaderTagRead['gs1'] => ({
  scheme: id.scheme,
  pureIdentityUri: id.pureIdentityUri,
  tagUri: id.tagUri,
  elementString: id.elementString,
  key: id.key,
});
