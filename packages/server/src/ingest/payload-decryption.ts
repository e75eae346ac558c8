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
import { MAX_MESSAGE_BYTES, openEnvelope, type RawMessage } from './envelope';
import { isUsable } from './key-selection';
import { decryptA256Gcm, ecdhEsKey, looksLikeJwe, parseCompactJwe } from './jwe';
import type { ServerEncryptionKeys } from './server-encryption-key';

export type Unwrapped = { ok: true; raw: RawMessage } | { ok: false; device: string | null; reason: RejectReason; detail: string };

/**
 * A device's content keys, to try in order: `unknown` when no such device is registered, empty
 * when it has none usable.
 */
export type ContentKeyLookup = (device: string) => Promise<Buffer[] | 'unknown'>;

/**
 * Content keys from the device's key list (keys/device-keys.service.ts, sealed with the master
 * key at rest): the content key of every key usable at receipt (active, or retiring inside its
 * overlap), newest first. During a rotation a device still on its old key keeps encrypting with
 * the old key's content key, so the retiring key's content key must still open its messages.
 */
export function contentKeysFromDirectory(devices: Pick<DeviceDirectory, 'get'>, now: () => number = Date.now): ContentKeyLookup {
  return async (device) => {
    const known = await devices.get(device);
    if (!known) return 'unknown';
    const at = now();
    return [...known.keys]
      .reverse()
      .filter((k) => isUsable(k, at) && k.key.contentKey)
      .map((k) => Buffer.from(k.key.contentKey!, 'base64url'));
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
    let ceks: Buffer[];
    if (jwe.alg === 'dir') {
      const keys = await this.contentKeys(jwe.kid!);
      if (!keys.ok) return keys;
      ceks = keys.ceks;
    } else {
      const agreed = ecdhEsKey(jwe.header, this.deps.keys.agreement);
      if (!agreed.ok) return { ok: false, device: null, reason: agreed.reason, detail: agreed.detail };
      ceks = [agreed.cek];
    }
    const device = jwe.alg === 'dir' ? jwe.kid : null;
    const plain = firstOpening(ceks, (cek) => decryptA256Gcm(cek, jwe.iv, jwe.ciphertext, jwe.tag, jwe.aad));
    if (!plain)
      return failed(
        device,
        jwe.alg === 'dir'
          ? `does not decrypt with any content key registered for ${device}`
          : "does not decrypt with the server's encryption key",
      );
    return bind(plain.toString('utf8'), device);
  }

  private async openEncrypt0(bytes: Uint8Array): Promise<Unwrapped> {
    const p = parseCoseEncrypt0(bytes);
    if (!p.ok) return { ok: false, device: null, reason: p.reason, detail: p.detail };
    const { msg } = p;
    const keys = await this.contentKeys(msg.kid);
    if (!keys.ok) return keys;
    const plain = firstOpening(keys.ceks, (cek) => decryptA256Gcm(cek, msg.iv, msg.ciphertext, msg.tag, msg.aad));
    if (!plain) return failed(msg.kid, `does not decrypt with any content key registered for ${msg.kid}`);
    return bind(plain, msg.kid);
  }

  /** The device's usable content keys (`dir`, COSE_Encrypt0), newest first. */
  private async contentKeys(device: string): Promise<{ ok: true; ceks: Buffer[] } | Extract<Unwrapped, { ok: false }>> {
    const ceks = await this.deps.contentKey(device);
    if (ceks === 'unknown') return { ok: false, device, reason: 'unknown_device', detail: `no device is registered with id ${device}` };
    if (!ceks.length) return failed(device, `device ${device} has no usable content key registered`);
    return { ok: true, ceks };
  }
}

/**
 * The plaintext under the first key that opens the message. AES-GCM authenticates: a wrong key
 * fails its tag check (never yields garbage), so trying at most three keys is safe.
 */
function firstOpening(ceks: Buffer[], open: (cek: Buffer) => Buffer | null): Buffer | null {
  for (const cek of ceks) {
    const plain = open(cek);
    if (plain) return plain;
  }
  return null;
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
    return {
      ok: false,
      device,
      reason: 'kid_mismatch',
      detail: `encrypted for device ${device}, but the inner message is signed as ${opened.envelope.kid}`,
    };
  }
  return { ok: true, raw: inner };
}
