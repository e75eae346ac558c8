/**
 * The unwrap step of ingest: an encrypted message (a JWE around a JWS, or a COSE_Encrypt0 around
 * a COSE_Sign1 / COSE_Mac0) is decrypted before anything else, and its inner signed message then
 * goes through exactly the rules of an unencrypted one (envelope.ts, ingest.service.ts).
 * Encryption hides the content from the third parties on the link (shared MQTT brokers, LoRaWAN
 * network servers); it proves nothing about the sender: the inner signature still does that.
 * Unencrypted messages pass through untouched. Never throws.
 */
import type { RejectReason } from '@sealwatch/core';
import { looksLikeCoseEncrypt0, parseCoseEncrypt0 } from './cose-encrypt0';
import type { DeviceDirectory } from './device-directory';
import { openEnvelope, type RawMessage } from './envelope';
import { MAX_MESSAGE_BYTES } from './ingest.service';
import { decryptA256Gcm, ecdhEsKey, looksLikeJwe, parseCompactJwe } from './jwe';
import type { ServerEncryptionKeys } from './server-encryption-key';

export type Unwrapped =
  | { ok: true; raw: RawMessage }
  | { ok: false; device: string | null; reason: RejectReason; detail: string };

/** A device's content key: `unknown` when no such device is registered, null when it has none. */
export type ContentKeyLookup = (device: string) => Promise<Buffer | null | 'unknown'>;

/**
 * Content keys as registered today: `contentKey` beside the signing key in the device's `key`,
 * where HS256 secrets are kept too.
 * TODO(master key): read them from the device key list, sealed like HS256 secrets, once it lands.
 */
export function contentKeysFromDirectory(devices: Pick<DeviceDirectory, 'get'>): ContentKeyLookup {
  return async (device) => {
    const known = await devices.get(device);
    if (!known) return 'unknown';
    const encoded = (known.device.key as { contentKey?: string } | null)?.contentKey;
    return encoded ? Buffer.from(encoded, 'base64url') : null;
  };
}

export class PayloadDecryption {
  constructor(private readonly deps: { contentKey: ContentKeyLookup; keys: ServerEncryptionKeys }) {}

  /** The inner signed message of an encrypted one; any other message as it is. */
  async unwrap(raw: RawMessage): Promise<Unwrapped> {
    const size = typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.byteLength;
    // Oversized input is not decrypted: ingest refuses it as too_large.
    if (size > MAX_MESSAGE_BYTES) return { ok: true, raw };
    if (typeof raw === 'string') return looksLikeJwe(raw) ? this.openJwe(raw) : { ok: true, raw };
    return looksLikeCoseEncrypt0(raw) ? this.openEncrypt0(raw) : { ok: true, raw };
  }

  private async openJwe(text: string): Promise<Unwrapped> {
    const p = parseCompactJwe(text);
    if (!p.ok) return { ok: false, device: null, reason: p.reason, detail: p.detail };
    const { jwe } = p;
    let cek: Buffer;
    if (jwe.alg === 'dir') {
      const key = await this.contentKey(jwe.kid!);
      if (!key.ok) return key;
      cek = key.cek;
    } else {
      const agreed = ecdhEsKey(jwe.header, this.deps.keys.agreement);
      if (!agreed.ok) return { ok: false, device: null, reason: agreed.reason, detail: agreed.detail };
      cek = agreed.cek;
    }
    const device = jwe.alg === 'dir' ? jwe.kid : null;
    const plain = decryptA256Gcm(cek, jwe.iv, jwe.ciphertext, jwe.tag, jwe.aad);
    if (!plain) return failed(device, jwe.alg === 'dir' ? `does not decrypt with the content key registered for ${device}` : "does not decrypt with the server's encryption key");
    return bind(plain.toString('utf8'), device);
  }

  private async openEncrypt0(bytes: Uint8Array): Promise<Unwrapped> {
    const p = parseCoseEncrypt0(bytes);
    if (!p.ok) return { ok: false, device: null, reason: p.reason, detail: p.detail };
    const { msg } = p;
    const key = await this.contentKey(msg.kid);
    if (!key.ok) return key;
    const plain = decryptA256Gcm(key.cek, msg.iv, msg.ciphertext, msg.tag, msg.aad);
    if (!plain) return failed(msg.kid, `does not decrypt with the content key registered for ${msg.kid}`);
    return bind(plain, msg.kid);
  }

  /** The device's registered content key (`dir`, COSE_Encrypt0). */
  private async contentKey(device: string): Promise<{ ok: true; cek: Buffer } | Extract<Unwrapped, { ok: false }>> {
    const cek = await this.deps.contentKey(device);
    if (cek === 'unknown') return { ok: false, device, reason: 'unknown_device', detail: `no device is registered with id ${device}` };
    if (!cek) return failed(device, `device ${device} has no content key registered`);
    return { ok: true, cek };
  }
}

function failed(device: string | null, detail: string): Extract<Unwrapped, { ok: false }> {
  return { ok: false, device, reason: 'decryption_failed', detail };
}

/**
 * The inner message must be of the same family and, where the outer layer named a device, be that
 * device's: a device's content key must not carry another device's messages.
 */
function bind(inner: RawMessage, device: string | null): Unwrapped {
  const opened = openEnvelope(inner);
  if (!opened.ok) return { ok: true, raw: inner }; // ingest rejects it with the precise reason
  if (device !== null && opened.envelope.kid !== device) {
    return { ok: false, device, reason: 'kid_mismatch', detail: `encrypted for device ${device}, but the inner message is signed as ${opened.envelope.kid}` };
  }
  return { ok: true, raw: inner };
}
