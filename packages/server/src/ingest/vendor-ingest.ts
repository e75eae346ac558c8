/**
 * Ingest of vendor protocols (OsmAnd now; JT/T 808, GT06, Teltonika… with the protocol library):
 * decoded observations carry no cryptographic proof, so they are stored with trust
 * `unverified`, and only for devices registered for that very protocol: a device registered as
 * native (signed) can never be fed unsigned data under its id or IMEI.
 *
 * Vendor frames carry no seq, and devices re-upload buffered history after a coverage gap, so a
 * vendor observation is identified by (device, time, content hash): the store answers a resend
 * `duplicate` (stored once) and the device is acknowledged again.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, judgeMessageTime, toTimestamp, type DeviceId, type NewObservation, type RejectReason } from '@sealwatch/core';
import type { DecodeResult, DecodedObservation } from '@sealwatch/protocols';
import type { NewAuditEntry } from '@sealwatch/core';
import { messageEntry, rejectionEntry } from '../audit/audit-entries';
import type { PendingDeviceStore, QuarantineStore } from '../storage/ports';
import type { DeviceDirectory } from './device-directory';
import { IngestOverloadedError } from './group-commit';
import type { IngestContext, IngestResult, IngestStatus } from './ingest.service';
import type { IngestLog } from './ingest-log';

interface Deps {
  devices: DeviceDirectory;
  log: IngestLog;
  quarantine: QuarantineStore;
  now: () => number;
  rules: { maxClockSkewMs: number; lateAfterMs: number };
  count: (status: IngestStatus, reason?: RejectReason) => void;
  onFailure?: (e: Error) => void;
  /** Records the answers in the audit trail before they are given (absent: no trail, unit tests). */
  audit?: (entries: NewAuditEntry[]) => Promise<void>;
  /** SEALWATCH_PENDING_DEVICES: unknown identifiers are also listed for an operator's approval. */
  pending?: PendingDeviceStore | null;
}

/**
 * Attributes that describe one delivery of a reading rather than the reading: a frame serial
 * number (GT06), and JT/T 808's batch wrapping (0x0704 re-uploads the same 0x0200 bodies).
 */
const DELIVERY_ATTRIBUTES = new Set(['serial', 'batchType', 'buffered']);

/**
 * The content hash of a decoded vendor observation (SHA-256, base64url, over canonical JSON of
 * its decoded fields, delivery attributes left out): with the device and time, its identity.
 */
export function vendorContentHash(o: DecodedObservation): string {
  const attributes = o.attributes
    ? Object.fromEntries(Object.entries(o.attributes).filter(([k]) => !DELIVERY_ATTRIBUTES.has(k)))
    : null;
  const content = { position: o.position, seal: o.seal, door: o.door, sensors: o.sensors, battery: o.battery, reads: o.reads, attributes };
  return createHash('sha256').update(canonicalJson(content)).digest('base64url');
}

export class VendorIngestService {
  constructor(private readonly deps: Deps) {}

  /** One decoded frame or request; `raw` is what arrived, kept as evidence and for the quarantine. */
  async ingest(protocol: string, raw: Buffer, decoded: DecodeResult, ctx: IngestContext): Promise<IngestResult[]> {
    try {
      return await this.ingestOnce(protocol, raw, decoded, ctx);
    } catch (e) {
      if (e instanceof IngestOverloadedError) throw e;
      this.deps.onFailure?.(e as Error);
      throw new IngestOverloadedError(2, e as Error);
    }
  }

  private async ingestOnce(protocol: string, raw: Buffer, decoded: DecodeResult, ctx: IngestContext): Promise<IngestResult[]> {
    const nowMs = this.deps.now();
    const receivedAt = toTimestamp(nowMs);
    const results: IngestResult[] = [];
    const rows: { at: number; row: NewObservation }[] = [];
    const rejected: IngestResult[] = [];
    const reject = (device: string | null, reason: RejectReason, detail: string) => {
      const r: IngestResult = { device, seq: null, status: 'rejected', reason, detail };
      rejected.push(r);
      results.push(r);
    };
    if (!decoded.ok) reject(null, 'malformed_frame', `${protocol}: ${decoded.detail}`);
    else {
      for (const o of decoded.observations) {
        const device = await this.deps.devices.getByIdentifier(o.identifier);
        if (!device) {
          // Still rejected and quarantined: nothing from an unapproved device becomes an observation.
          await this.deps.pending?.note({ identifier: o.identifier, protocol, transport: ctx.transport, remote: ctx.remote, at: receivedAt });
          reject(o.identifier, 'unknown_device', `no device is registered with id or IMEI ${o.identifier}${this.deps.pending ? '; listed as pending for approval' : ''}`);
          continue;
        }
        if (device.protocol !== protocol) {
          reject(device.id, 'protocol_mismatch', `device ${device.id} is registered for ${device.protocol}, not ${protocol}`);
          continue;
        }
        const timeMs = o.time ? Date.parse(o.time) : nowMs;
        const verdict = judgeMessageTime(timeMs, nowMs, this.deps.rules.maxClockSkewMs, this.deps.rules.lateAfterMs);
        if (verdict === 'clock_skew') {
          reject(device.id, 'clock_skew', `time ${o.time} is more than ${this.deps.rules.maxClockSkewMs / 1000} s ahead of the server clock`);
          continue;
        }
        const attributes = o.time ? o.attributes : { ...(o.attributes ?? {}), timeFromServer: true };
        rows.push({
          at: results.length,
          row: {
            device: device.id as DeviceId, seq: null, time: toTimestamp(timeMs), receivedAt, late: verdict === 'late',
            position: o.position, seal: o.seal, door: o.door, sensors: o.sensors, battery: o.battery, reads: o.reads, attributes,
            trust: 'unverified', protocol,
            hash: vendorContentHash(o),
            raw: raw.toString('base64'),
          },
        });
        results.push({ device: device.id, seq: null, status: 'accepted' });
      }
    }
    // Durable once appended; a resend of a stored (device, time, content) is a duplicate, stored once.
    const outcomes = rows.length ? await this.deps.log.append(rows.map((r) => r.row)) : [];
    rows.forEach(({ at }, n) => {
      if (outcomes[n]?.status === 'duplicate') results[at] = { ...results[at], status: 'duplicate' };
    });
    const audit: NewAuditEntry[] = rows.map(({ row }) => messageEntry({ ...row, transport: ctx.transport }));
    if (rejected.length) {
      const ids = await this.deps.quarantine.add(rejected.map((r) => ({ receivedAt, transport: ctx.transport, remote: ctx.remote, reason: r.reason!, detail: r.detail ?? '', device: r.device, seq: null, raw: raw.toString('base64') })));
      rejected.forEach((r, n) => audit.push(rejectionEntry({ quarantineId: ids[n], device: r.device, reason: r.reason!, raw, transport: ctx.transport, receivedAt })));
    }
    await this.deps.audit?.(audit);
    for (const r of results) this.deps.count(r.status, r.reason);
    return results;
  }
}
