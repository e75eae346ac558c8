/**
 * What a captured EPCIS document means to Sealwatch (DESIGN §8, docs/exchange.md): each event is
 * read as a seal applied or broken, an RFID read (or a loading observed by a reader), or ignored
 * with the reason. The caller resolves the devices and feeds observations through vendor ingest;
 * the document itself was validated against GS1's JSON schema before. Pure.
 */
import { epcisIds } from './epcis';

export type CaptureIntent =
  /** A reader (the event's readPoint names a device) read these EPCs: its observation's `reads`. */
  | { kind: 'reads'; index: number; reader: string; time: string; epcs: string[] }
  /** A seal of the installation (by seal number) applied (`closed`) or broken (`open`). */
  | { kind: 'seal'; index: number; sealNumber: string; state: 'closed' | 'open'; time: string }
  | { kind: 'ignored'; index: number; reason: string };

/** `urn:epc:raw:96.x<hex>` → the tag's hex EPC, as readers report it; other EPC URIs as they are. */
export function epcOfUri(uri: string): string {
  const raw = /^urn:epc:raw:\d+\.x([0-9a-fA-F]+)$/.exec(uri);
  return raw ? raw[1].toLowerCase() : uri;
}

/** The events of an EPCISDocument (or of an EPCISQueryDocument's results). */
export function documentEvents(doc: Record<string, unknown>): Record<string, unknown>[] {
  const body = doc.epcisBody as Record<string, unknown> | undefined;
  const list =
    doc.type === 'EPCISQueryDocument'
      ? ((body?.queryResults as { resultsBody?: { eventList?: unknown } } | undefined)?.resultsBody?.eventList ?? [])
      : (body?.eventList ?? []);
  return Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
}

const short = (v: unknown) =>
  typeof v === 'string' ? v.replace(/^(urn:epcglobal:cbv:(bizstep|disp):|https?:\/\/ref\.gs1\.org\/cbv\/(BizStep|Disp)-)/, '') : undefined;

/** Reads each event of a (schema-valid) document; `base` is the installation's public URL. */
export function captureIntents(doc: Record<string, unknown>, base: string): CaptureIntent[] {
  const ids = epcisIds(base);
  const sealPrefix = ids.seal('');
  const devicePrefix = ids.device('');
  return documentEvents(doc).flatMap((e, index): CaptureIntent[] => {
    if (e.type !== 'ObjectEvent')
      return [{ index, kind: 'ignored', reason: `${String(e.type)}: only ObjectEvents carry seal and read facts` }];
    if (e.action === 'DELETE') return [{ index, kind: 'ignored', reason: 'action DELETE' }];
    const epcs = Array.isArray(e.epcList) ? (e.epcList as string[]) : [];
    const time = new Date(String(e.eventTime)).toISOString();
    const disposition = short(e.disposition);
    const seals = epcs.filter((u) => u.startsWith(sealPrefix)).map((u) => decodeURIComponent(u.slice(sealPrefix.length)));
    if (seals.length && (disposition === 'container_closed' || disposition === 'container_open')) {
      const state = disposition === 'container_closed' ? 'closed' : 'open';
      return seals.map((sealNumber) => ({ index, kind: 'seal' as const, sealNumber, state, time }));
    }
    const readPoint = (e.readPoint as { id?: string } | undefined)?.id ?? '';
    // A read (a loading, a gate passage…) by a reader of the installation: its readPoint names the device.
    if (readPoint.startsWith(devicePrefix) && epcs.length)
      return [{ index, kind: 'reads', reader: decodeURIComponent(readPoint.slice(devicePrefix.length)), time, epcs: epcs.map(epcOfUri) }];
    return [
      { index, kind: 'ignored', reason: 'names no seal of this installation with container_closed/open, and no reader of it as readPoint' },
    ];
  });
}
