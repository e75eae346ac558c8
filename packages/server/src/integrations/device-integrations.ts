/**
 * HTTP device integrations: LoRaWAN network servers (ChirpStack v4, The Things Stack
 * v3) and RFID readers post JSON; the protocol library decodes it and VendorIngestService stores
 * it with trust `unverified` (or quarantines it with the reason), answering only after commit.
 *
 * Devices: a LoRaWAN e-seal is registered with protocol `lorawan` and its DevEUI (16 upper-case
 * hex digits) as id; an RFID reader with protocol `rfid`, kind `reader`,
 * and optionally its `location` and `band`, which place its reads (they win over the report's).
 */
import {
  decodeChirpStackLocation,
  decodeChirpStackStatus,
  decodeReaderReport,
  decodeTtsLocationSolved,
  esealObservation,
  parseUplink,
  type DecodeResult,
  type DecodedObservation,
  type LorawanProfiles,
  type ReaderReportOptions,
} from '@sealwatch/protocols';
import type { DeviceDirectory } from '../ingest/device-directory';
import type { IngestContext, IngestResult } from '../ingest/ingest.service';
import type { VendorIngestService } from '../ingest/vendor-ingest';

export type LorawanNetwork = 'chirpstack' | 'tts';

const refused = (reason: string, detail: string): DecodeResult => ({ ok: false, detail: `${reason}: ${detail}` });

export class DeviceIntegrations {
  constructor(
    private readonly deps: {
      ingest: VendorIngestService;
      devices: DeviceDirectory;
      /** Field mappings per device profile (SEALWATCH_LORAWAN_PROFILES); null: the default mapping. */
      lorawanProfiles?: LorawanProfiles | null;
    },
  ) {}

  /** One uplink of `network`; a body of the other network server is refused (the token is scoped to one). */
  async lorawanUplink(network: LorawanNetwork, raw: Buffer, ctx: IngestContext): Promise<IngestResult[]> {
    const decoded = decodeUplink(network, raw.toString('utf8'), this.deps.lorawanProfiles ?? undefined);
    if (decoded.ok) for (const o of decoded.observations) o.identifier = await this.devEuiAsRegistered(o.identifier);
    else if (decoded.identifier) decoded.identifier = await this.devEuiAsRegistered(decoded.identifier);
    return this.deps.ingest.ingest('lorawan', raw, decoded, ctx);
  }

  /**
   * A ChirpStack `location` event or a TTS `location_solved` message: the network's solve of the
   * device's position, stored as an observation whose position says its source and accuracy (never a
   * device's GNSS fix).
   */
  async lorawanLocation(network: LorawanNetwork, raw: Buffer, ctx: IngestContext): Promise<IngestResult[]> {
    const body = raw.toString('utf8');
    const decoded = network === 'chirpstack' ? decodeChirpStackLocation(body) : decodeTtsLocationSolved(body);
    if (decoded.ok) for (const o of decoded.observations) o.identifier = await this.devEuiAsRegistered(o.identifier);
    else if (decoded.identifier) decoded.identifier = await this.devEuiAsRegistered(decoded.identifier);
    return this.deps.ingest.ingest('lorawan', raw, decoded, ctx);
  }

  /** A ChirpStack `status` event: the battery level the device reported (DevStatusAns), with the link margin. */
  async lorawanStatus(raw: Buffer, ctx: IngestContext): Promise<IngestResult[]> {
    const decoded = decodeChirpStackStatus(raw.toString('utf8'));
    if (decoded.ok) for (const o of decoded.observations) o.identifier = await this.devEuiAsRegistered(o.identifier);
    else if (decoded.identifier) decoded.identifier = await this.devEuiAsRegistered(decoded.identifier);
    return this.deps.ingest.ingest('lorawan', raw, decoded, ctx);
  }

  /**
   * A DevEUI is hex, so its case carries nothing: the uplink's (upper-case) DevEUI is matched to a
   * device registered with it in lower case too (as ChirpStack writes DevEUIs).
   */
  private async devEuiAsRegistered(devEui: string): Promise<string> {
    if (await this.deps.devices.getByIdentifier(devEui)) return devEui;
    const lower = devEui.toLowerCase();
    return (await this.deps.devices.getByIdentifier(lower)) ? lower : devEui;
  }

  /**
   * One reader report (generic, Impinj or Zebra JSON). `reader` is the reader named by the URL;
   * a body naming another reader is refused. The registered reader's location and band place the reads.
   */
  async rfidReport(reader: string | null, raw: Buffer, ctx: IngestContext): Promise<IngestResult[]> {
    const body = raw.toString('utf8');
    const base: ReaderReportOptions = reader ? { reader } : {};
    let decoded: DecodeResult = decodeReaderReport(body, base);
    if (decoded.ok) {
      const named = [...new Set(decoded.observations.map((o) => o.identifier))];
      if (reader && named.some((n) => n !== reader)) {
        decoded = refused('reader_mismatch', `the URL names reader ${reader}, the report ${named.join(', ')}`);
      } else if (named.length === 1) {
        const device = await this.deps.devices.getByIdentifier(named[0]);
        const registered = device
          ? { ...(device.band ? { band: device.band } : {}), ...(device.location ? { location: device.location } : {}) }
          : {};
        if (Object.keys(registered).length) decoded = decodeReaderReport(body, { ...base, registered });
      }
    }
    return this.deps.ingest.ingest('rfid', raw, withReason(decoded), ctx);
  }

  /**
   * A fact captured through EPCIS (docs/exchange.md), as an observation with trust `unverified`:
   * reads of a reader registered with protocol `rfid` (placed at its registered location), or a
   * seal state of the device (found by the caller from the seal number) registered with protocol `epcis`. A device
   * registered otherwise (a signed native e-seal) is refused, as vendor ingest refuses any mismatch.
   */
  async epcisFact(
    fact: { reader: string; epcs: string[]; time: string } | { device: string; state: 'closed' | 'open'; time: string },
    raw: Buffer,
    ctx: IngestContext,
  ): Promise<IngestResult[]> {
    if ('reader' in fact) {
      const reader = await this.deps.devices.getByIdentifier(fact.reader);
      const o: DecodedObservation = {
        identifier: fact.reader,
        time: fact.time,
        position: reader?.location ? { ...reader.location, source: 'reader' } : null,
        seal: null,
        door: null,
        sensors: null,
        battery: null,
        reads: fact.epcs.map((epc) => ({ epc, time: fact.time })),
        attributes: { via: 'epcis' },
      };
      return this.deps.ingest.ingest('rfid', raw, { ok: true, observations: [o] }, ctx);
    }
    const o: DecodedObservation = {
      identifier: fact.device,
      time: fact.time,
      position: null,
      seal: fact.state === 'closed' ? { state: 'closed', rope: 'inserted' } : { state: 'open' },
      door: null,
      sensors: null,
      battery: null,
      reads: null,
      attributes: { via: 'epcis' },
    };
    return this.deps.ingest.ingest('epcis', raw, { ok: true, observations: [o] }, ctx);
  }
}

/** A protocol decoder's `{reason, detail}` failure → the vendor ingest's detail text. */
function withReason(r: DecodeResult | { ok: false; reason: string; detail: string }): DecodeResult {
  if (r.ok) return r;
  return 'reason' in r ? refused(r.reason, r.detail) : r;
}

function decodeUplink(network: LorawanNetwork, body: string, profiles: LorawanProfiles | undefined): DecodeResult {
  const parsed = parseUplink(body);
  if (!parsed.ok) return refused(parsed.reason, parsed.detail);
  if (parsed.uplink.network !== network)
    return refused('unknown_format', `a ${parsed.uplink.network} uplink posted to the ${network} endpoint`);
  const r = esealObservation(parsed.uplink, undefined, profiles);
  // The envelope named the device: a payload that does not decode is quarantined under it.
  return r.ok
    ? { ok: true, observations: r.observations as DecodedObservation[] }
    : { ok: false, detail: `${r.reason}: ${r.detail}`, identifier: parsed.uplink.devEui };
}
