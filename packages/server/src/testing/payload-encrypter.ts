/**
 * A reference encrypter for devices (docs/native-protocol.md, "Encrypted messages"): what a
 * device does to wrap its signed message, in node:crypto alone. Tests use it; device makers can
 * read it as a specification in code.
 */
import { createCipheriv, createPublicKey, diffieHellman, generateKeyPairSync, randomBytes } from 'node:crypto';
import { encStructure, COSE_A256GCM, COSE_ENCRYPT0_TAG } from '../ingest/cose-encrypt0';
import { head } from '../ingest/cose';
import { concatKdf } from '../ingest/jwe';
import type { EncryptionJwk } from '../ingest/server-encryption-key';

const b64 = (v: Buffer | string) => Buffer.from(v).toString('base64url');

function a256gcm(key: Buffer, iv: Buffer, plaintext: Buffer, aad: Buffer): { ciphertext: Buffer; tag: Buffer } {
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad);
  const ciphertext = Buffer.concat([c.update(plaintext), c.final()]);
  return { ciphertext, tag: c.getAuthTag() };
}

function compact(header: Record<string, unknown>, cek: Buffer, plaintext: string, iv: Buffer): string {
  const h = b64(JSON.stringify(header));
  const { ciphertext, tag } = a256gcm(cek, iv, Buffer.from(plaintext, 'utf8'), Buffer.from(h, 'ascii'));
  return `${h}..${b64(iv)}.${b64(ciphertext)}.${b64(tag)}`;
}

/** JWE `dir` + A256GCM under the device's content key; `kid` is the device id. */
export function encryptJweDir(
  jws: string,
  device: string,
  contentKey: Buffer,
  options: { header?: Record<string, unknown>; iv?: Buffer } = {},
): string {
  return compact(
    { alg: 'dir', enc: 'A256GCM', kid: device, cty: 'JOSE', ...options.header },
    contentKey,
    jws,
    options.iv ?? randomBytes(12),
  );
}

/**
 * JWE `ECDH-ES` + A256GCM to the server's published key (P-256 or X25519): a fresh ephemeral key
 * per message, the CEK from the Concat KDF with AlgorithmID `A256GCM` (RFC 7518 §4.6.2).
 */
export function encryptJweEcdhEs(jws: string, server: EncryptionJwk, options: { header?: Record<string, unknown> } = {}): string {
  const { privateKey, publicKey } =
    server.crv === 'P-256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('x25519');
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  const epk = server.crv === 'P-256' ? { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } : { kty: 'OKP', crv: 'X25519', x: jwk.x };
  const serverKey = createPublicKey({
    key: (server.crv === 'P-256'
      ? { kty: 'EC', crv: 'P-256', x: server.x, y: (server as { y: string }).y }
      : { kty: 'OKP', crv: 'X25519', x: server.x }) as never,
    format: 'jwk',
  });
  const cek = concatKdf(diffieHellman({ privateKey, publicKey: serverKey }), 256, 'A256GCM');
  return compact({ alg: 'ECDH-ES', enc: 'A256GCM', kid: server.kid, epk, cty: 'JOSE', ...options.header }, cek, jws, randomBytes(12));
}

/** COSE_Encrypt0 (tag 16) with A256GCM around COSE_Sign1 / COSE_Mac0 bytes; kid and IV unprotected. */
export function encryptCoseEncrypt0(
  inner: Buffer,
  device: string,
  contentKey: Buffer,
  options: { alg?: number; iv?: Buffer } = {},
): Buffer {
  const iv = options.iv ?? randomBytes(12);
  const protectedBytes = Buffer.concat([Buffer.from([0xa1, 0x01]), cborInt(options.alg ?? COSE_A256GCM)]); // {1: alg}
  const { ciphertext, tag } = a256gcm(contentKey, iv, inner, encStructure(protectedBytes));
  const kid = Buffer.from(device, 'utf8');
  const body = Buffer.concat([ciphertext, tag]);
  return Buffer.concat([
    Buffer.from([0xc0 + COSE_ENCRYPT0_TAG, 0x83]),
    head(2, protectedBytes.length),
    protectedBytes,
    Buffer.from([0xa2, 0x04]),
    head(2, kid.length),
    kid, // {4: kid,
    Buffer.from([0x05]),
    head(2, iv.length),
    iv, //  5: IV}
    head(2, body.length),
    body,
  ]);
}

const cborInt = (n: number) => (n >= 0 ? head(0, n) : head(1, -1 - n));
