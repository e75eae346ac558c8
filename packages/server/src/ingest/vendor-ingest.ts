/**
 * Ingest of vendor protocols (OsmAnd now; JT/T 808, GT06, Teltonika… with the protocol library):
 * decoded observations carry no cryptographic proof, so they are stored with trust
 * `unverified`, and only for devices registered for that very protocol: a device registered as
 * native (signed) can never be fed unsigned data under its id or IMEI.
 *
 * Vendor frames carry no seq, and devices re-upload buffered history after a coverage gap, so a
 * vendor observation is identified by (device, time, content hash): the store answers a resend
 * `duplicate` (stored once) and the device is acknowledged again.
 *
 * The identity check is here (a registered device, for this protocol); the rest, time rule to
 * answer, is admission's (admission.ts), the same step native messages take.
 *
 * An unsigned reading dated inside the armed period of a movement that has ended is refused
 * (`movement_ended`, quarantined with its bytes): nothing proves when it was made, so once an
 * officer has ended the movement no integration or listener may add to its evidence (track,
 * alerts, incidents). Signed store-and-forward history keeps its right to arrive late (DESIGN §5).
 */
import { createHash } from 'node:crypto';
import { canonicalJson, endedMovementAt, toTimestamp, type Arming, type DeviceId } from '@sealwatch/core';
import type { DecodeResult, DecodedObservation } from '@sealwatch/protocols';
import type { PendingDeviceStore } from '../storage/ports';
import type { DeviceDirectory } from './device-directory';
import { answerOrRetry, refused, type Admission, type Checked, type IngestContext, type IngestResult } from './admission';

interface Deps {
  devices: DeviceDirectory;
  admission: Admission;
  now: () => number;
  onFailure?: (e: Error) => void;
  /** SEALWATCH_PENDING_DEVICES: unknown identifiers are also listed for an operator's approval. */
  pending?: PendingDeviceStore | null;
  /** A device's armings (its periods on movements), from the store, so every gateway decides alike. */
  armings: (device: DeviceId) => Promise<Arming[]>;
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
  const attributes = o.attributes ? Object.fromEntries(Object.entries(o.attributes).filter(([k]) => !DELIVERY_ATTRIBUTES.has(k))) : null;
  const content = { position: o.position, seal: o.seal, door: o.door, sensors: o.sensors, battery: o.battery, reads: o.reads, attributes };
  return createHash('sha256').update(canonicalJson(content)).digest('base64url');
}

export class VendorIngestService {
  constructor(private readonly deps: Deps) {}

  /** One decoded frame or request; `raw` is what arrived, kept as evidence and for the quarantine. */
  ingest(protocol: string, raw: Buffer, decoded: DecodeResult, ctx: IngestContext): Promise<IngestResult[]> {
    return answerOrRetry(() => this.ingestOnce(protocol, raw, decoded, ctx), this.deps.onFailure);
  }

  private async ingestOnce(protocol: string, raw: Buffer, decoded: DecodeResult, ctx: IngestContext): Promise<IngestResult[]> {
    const receivedMs = this.deps.now();
    if (!decoded.ok) {
      // A frame that named its device before it failed is quarantined under that device, when registered.
      const named = decoded.identifier ? await this.deps.devices.getByIdentifier(decoded.identifier) : null;
      return this.deps.admission.admit(
        [refused(named?.id ?? null, null, 'malformed_frame', `${protocol}: ${decoded.detail}`, raw)],
        receivedMs,
        ctx,
      );
    }
    const checked: Checked[] = [];
    const armingsOf = new Map<DeviceId, Arming[]>();
    for (const o of decoded.observations) {
      const device = await this.deps.devices.getByIdentifier(o.identifier);
      if (!device) {
        // Still rejected and quarantined: nothing from an unapproved device becomes an observation.
        await this.deps.pending?.note({
          identifier: o.identifier,
          protocol,
          transport: ctx.transport,
          remote: ctx.remote,
          at: toTimestamp(receivedMs),
          organisation: ctx.feeder ?? null,
        });
        checked.push(
          refused(
            o.identifier,
            null,
            'unknown_device',
            `no device is registered with id or IMEI ${o.identifier}${this.deps.pending ? '; listed as pending for approval' : ''}`,
            raw,
          ),
        );
        continue;
      }
      if (device.protocol !== protocol) {
        checked.push(
          refused(device.id, null, 'protocol_mismatch', `device ${device.id} is registered for ${device.protocol}, not ${protocol}`, raw),
        );
        continue;
      }
      // An integration token proves only who runs the network server or reader, not the device:
      // it speaks for its own organisation's devices, never another party's seals.
      if (ctx.feeder !== undefined && device.owner !== ctx.feeder) {
        checked.push(
          refused(
            device.id,
            null,
            'not_integration_device',
            `device ${device.id} is not owned by ${ctx.feeder}, whose integration posted it`,
            raw,
          ),
        );
        continue;
      }
      const id = device.id as DeviceId;
      const timeMs = o.time ? Date.parse(o.time) : NaN;
      if (Number.isFinite(timeMs)) {
        if (!armingsOf.has(id)) armingsOf.set(id, await this.deps.armings(id));
        const ended = endedMovementAt(armingsOf.get(id)!, toTimestamp(timeMs));
        if (ended) {
          checked.push(
            refused(
              id,
              null,
              'movement_ended',
              // The movement is not named: the sender (anyone who knows a device's IMEI) and the
              // device's owner reading its quarantine are no party to it; its parties find it by device and time.
              `an unsigned reading dated ${o.time} falls in the armed period of a movement that has ended: it cannot be added to that movement's evidence`,
              raw,
            ),
          );
          continue;
        }
      }
      checked.push({
        kind: 'reading',
        reading: {
          device: id,
          seq: null,
          time: o.time || null,
          position: o.position,
          seal: o.seal,
          door: o.door,
          sensors: o.sensors,
          battery: o.battery,
          reads: o.reads,
          attributes: o.attributes,
          trust: 'unverified',
          protocol,
          hash: vendorContentHash(o),
          raw: raw.toString('base64'),
        },
        evidence: raw,
      });
    }
    return this.deps.admission.admit(checked, receivedMs, ctx);
  }
}
