/**
 * LoRaWAN network-server uplinks → one Uplink shape. Two servers post JSON to an HTTP endpoint:
 * - ChirpStack v4 HTTP integration, event `up` (protobuf JSON mapping of integration.UplinkEvent):
 *   `deviceInfo.devEui`, `data` (base64 FRMPayload), `fPort`, `fCnt`, `time`, `rxInfo[]`
 *   (`gatewayId`, `rssi`, `snr`, `location`), `txInfo.frequency`.
 * - The Things Stack v3 webhook, uplink message: `end_device_ids.dev_eui`, `received_at`,
 *   `uplink_message.{frm_payload, f_port, f_cnt, rx_metadata[], settings.frequency, locations}`.
 * Both omit fields holding their default (0, "", false), so an absent counter or port is 0.
 */
import { z } from 'zod';

const hexEui = z.string().regex(/^[0-9A-Fa-f]{16}$/, 'not a 16-hex-digit EUI');
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');
const coords = { latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), altitude: z.number().optional() };

/** ChirpStack v4 `up` event (only the members Sealwatch reads; others pass through). */
export const chirpStackUpSchema = z.object({
  deduplicationId: z.string().optional(),
  time: z.string().optional(),
  deviceInfo: z.object({
    devEui: hexEui,
    deviceName: z.string().optional(),
    applicationId: z.string().optional(),
    deviceProfileId: z.string().optional(),
    deviceProfileName: z.string().optional(),
  }),
  fCnt: z.number().int().nonnegative().optional(),
  fPort: z.number().int().min(0).max(255).optional(),
  /** The payload as the device profile's codec decoded it on the network server. */
  object: z.record(z.string(), z.unknown()).optional(),
  data: base64.optional(),
  rxInfo: z
    .array(
      z.object({
        gatewayId: z.string(),
        rssi: z.number().optional(),
        snr: z.number().optional(),
        time: z.string().optional(),
        location: z.object(coords).partial().optional(),
      }),
    )
    .optional(),
  txInfo: z.object({ frequency: z.number().optional() }).optional(),
});

const ttsLocation = z.object({ ...coords, accuracy: z.number().optional(), source: z.string().optional() });

/** The Things Stack v3 uplink-message webhook body. */
export const ttsUplinkSchema = z.object({
  end_device_ids: z.object({ device_id: z.string().optional(), dev_eui: hexEui }),
  received_at: z.string().optional(),
  uplink_message: z.object({
    f_port: z.number().int().min(0).max(255).optional(),
    /** The payload as the end device's payload formatter decoded it on the network server. */
    decoded_payload: z.record(z.string(), z.unknown()).optional(),
    f_cnt: z.number().int().nonnegative().optional(),
    frm_payload: base64.optional(),
    received_at: z.string().optional(),
    rx_metadata: z
      .array(
        z.object({
          gateway_ids: z.object({ gateway_id: z.string().optional(), eui: z.string().optional() }),
          rssi: z.number().optional(),
          snr: z.number().optional(),
          time: z.string().optional(),
          location: ttsLocation.partial().optional(),
        }),
      )
      .optional(),
    settings: z.object({ frequency: z.union([z.string(), z.number()]).optional() }).optional(),
    locations: z.record(z.string(), ttsLocation).optional(),
    /** The device's LoRaWAN Device Repository identity, when it was registered from it. */
    version_ids: z.object({ brand_id: z.string().optional(), model_id: z.string().optional() }).optional(),
  }),
});

export interface GatewayReception {
  id: string;
  rssi?: number;
  snr?: number;
  /** Where the gateway stands: never taken as the device's position (docs/lorawan-codec.md). */
  location?: { lat: number; lon: number };
}

/** A location of the device solved by the network (TDOA, RSSI, Wi-Fi), not a gateway's. */
export interface NetworkLocation {
  lat: number;
  lon: number;
  accuracy?: number;
  source: 'cell' | 'wifi';
}

/** One uplink as Sealwatch needs it, whichever network server delivered it. */
export interface Uplink {
  network: 'chirpstack' | 'tts';
  /** DevEUI, 16 upper-case hex digits: the device's identifier in Sealwatch. */
  devEui: string;
  deviceName?: string;
  fPort: number;
  fCnt: number;
  payload: Uint8Array;
  /** When the network server received it (ISO 8601 UTC); null when it did not say. */
  time: string | null;
  frequencyHz?: number;
  gateways: GatewayReception[];
  networkLocation: NetworkLocation | null;
  /** The payload already decoded by the network server with the device's codec (ChirpStack `object`, TTS `decoded_payload`). */
  decoded?: Record<string, unknown>;
  /**
   * What the network server says the device is, most specific first: ChirpStack device-profile name
   * and id; TTS `brand_id/model_id` and `brand_id`. A field mapping is chosen by these (field-mapping.ts).
   */
  profileKeys: string[];
}

export type UplinkReason = 'not_json' | 'unknown_format' | 'invalid_uplink' | 'invalid_time';
export type UplinkResult = { ok: true; uplink: Uplink } | { ok: false; reason: UplinkReason; detail: string };

const fail = (reason: UplinkReason, detail: string): UplinkResult => ({ ok: false, reason, detail });
const bytes = (b64: string | undefined) => new Uint8Array(Buffer.from(b64 ?? '', 'base64'));
const iso = (s: string | undefined): string | null | undefined => {
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(s) ? null : new Date(t).toISOString();
};
const place = (l?: { latitude?: number; longitude?: number }) =>
  l?.latitude !== undefined && l.longitude !== undefined ? { location: { lat: l.latitude, lon: l.longitude } } : {};

// TTS location sources that solve the device's own position; registry, user and IP entries do not.
const SOLVED: Record<string, NetworkLocation['source']> = {
  SOURCE_LORA_TDOA_GEOLOCATION: 'cell',
  SOURCE_LORA_RSSI_GEOLOCATION: 'cell',
  SOURCE_COMBINED_GEOLOCATION: 'cell',
  SOURCE_WIFI_RSSI_GEOLOCATION: 'wifi',
};

/** Parses a ChirpStack v4 or The Things Stack v3 uplink body, told apart by their member names. */
export function parseUplink(body: string): UplinkResult {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return fail('not_json', 'body is not JSON');
  }
  if (typeof doc !== 'object' || doc === null) return fail('unknown_format', 'body is not an object');
  if ('deviceInfo' in doc) return fromChirpStack(doc);
  if ('end_device_ids' in doc) return fromTts(doc);
  return fail('unknown_format', 'neither a ChirpStack v4 up event (deviceInfo) nor a TTS uplink (end_device_ids)');
}

const issue = (e: z.ZodError) => `${e.issues[0].path.join('.') || 'body'}: ${e.issues[0].message}`;

function fromChirpStack(doc: unknown): UplinkResult {
  const p = chirpStackUpSchema.safeParse(doc);
  if (!p.success) return fail('invalid_uplink', issue(p.error));
  const d = p.data;
  const time = iso(d.time);
  if (time === null) return fail('invalid_time', `time "${d.time}" is not ISO 8601`);
  return {
    ok: true,
    uplink: {
      network: 'chirpstack',
      devEui: d.deviceInfo.devEui.toUpperCase(),
      ...(d.deviceInfo.deviceName ? { deviceName: d.deviceInfo.deviceName } : {}),
      fPort: d.fPort ?? 0,
      fCnt: d.fCnt ?? 0,
      payload: bytes(d.data),
      time: time ?? null,
      ...(d.txInfo?.frequency ? { frequencyHz: d.txInfo.frequency } : {}),
      gateways: (d.rxInfo ?? []).map((g) => ({
        id: g.gatewayId,
        ...(g.rssi !== undefined ? { rssi: g.rssi } : {}),
        ...(g.snr !== undefined ? { snr: g.snr } : {}),
        ...place(g.location),
      })),
      networkLocation: null, // ChirpStack sends solved locations as a separate `location` event
      ...(d.object ? { decoded: d.object } : {}),
      profileKeys: [d.deviceInfo.deviceProfileName, d.deviceInfo.deviceProfileId].filter((k): k is string => !!k),
    },
  };
}

function fromTts(doc: unknown): UplinkResult {
  const p = ttsUplinkSchema.safeParse(doc);
  if (!p.success) return fail('invalid_uplink', issue(p.error));
  const d = p.data;
  const u = d.uplink_message;
  const time = iso(u.received_at ?? d.received_at);
  if (time === null) return fail('invalid_time', `received_at "${u.received_at ?? d.received_at}" is not ISO 8601`);
  const solved = Object.values(u.locations ?? {}).find((l) => l.source && SOLVED[l.source]);
  const freq = u.settings?.frequency === undefined ? undefined : Number(u.settings.frequency);
  return {
    ok: true,
    uplink: {
      network: 'tts',
      devEui: d.end_device_ids.dev_eui.toUpperCase(),
      ...(d.end_device_ids.device_id ? { deviceName: d.end_device_ids.device_id } : {}),
      fPort: u.f_port ?? 0,
      fCnt: u.f_cnt ?? 0,
      payload: bytes(u.frm_payload),
      time: time ?? null,
      ...(freq && Number.isFinite(freq) ? { frequencyHz: freq } : {}),
      gateways: (u.rx_metadata ?? []).map((g) => ({
        id: g.gateway_ids.gateway_id ?? g.gateway_ids.eui ?? '',
        ...(g.rssi !== undefined ? { rssi: g.rssi } : {}),
        ...(g.snr !== undefined ? { snr: g.snr } : {}),
        ...place(g.location),
      })),
      networkLocation: solved
        ? {
            lat: solved.latitude,
            lon: solved.longitude,
            ...(solved.accuracy !== undefined ? { accuracy: solved.accuracy } : {}),
            source: SOLVED[solved.source!],
          }
        : null,
      ...(u.decoded_payload ? { decoded: u.decoded_payload } : {}),
      profileKeys: ttsProfileKeys(u.version_ids),
    },
  };
}

const ttsProfileKeys = (v: { brand_id?: string; model_id?: string } | undefined): string[] =>
  !v?.brand_id ? [] : v.model_id ? [`${v.brand_id}/${v.model_id}`, v.brand_id] : [v.brand_id];
