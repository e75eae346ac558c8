/**
 * A device's side of native protocol v1 as COSE, for tests, the docs' worked example and device
 * makers who want a reference: the payload as a CBOR map, then a tagged COSE_Sign1 (EdDSA -8,
 * ES256 -7) or COSE_Mac0 (HMAC 256/256, 5) with the device id as kid. Options let tests forge
 * the attacks the server must refuse.
 */
import { createHmac, sign } from 'node:crypto';
import { Encoder, Tag } from 'cbor-x';
import type { DeviceSigningKey } from '@sealwatch/sim/signer';
import { toBeSigned } from '../ingest/cose';

// variableMapSize: shortest map heads (a5, not b9 0005), as RFC 8949 §4.2.1 deterministic encoding asks.
const encoder = new Encoder({ useRecords: false, mapsAsObjects: false, variableMapSize: true } as never);
const COSE_ALG = { EdDSA: -8, ES256: -7, HS256: 5 } as const;

export interface CoseSignOptions {
  /** Where the kid goes (default: unprotected, as RFC 9052 examples do). */
  kidIn?: 'protected' | 'unprotected';
  /** Claim this COSE algorithm instead of the key's own (attack tests). */
  alg?: number;
  /** Put alg in the unprotected header instead (attack tests). */
  algUnprotected?: boolean;
  /** Override the kid (default: payload.device). */
  kid?: string;
  /** Sign as this structure regardless of the key (attack tests). */
  structure?: 'Sign1' | 'Mac0';
}

/** The payload bytes: the native JSON object as a CBOR map with text keys. */
export const encodeCborPayload = (payload: Record<string, unknown>): Buffer => Buffer.from(encoder.encode(payload));

/** One COSE message; the same key and payload always give the same bytes for EdDSA and HMAC. */
export function signCose(
  key: DeviceSigningKey,
  payload: { device: string } & Record<string, unknown>,
  options: CoseSignOptions = {},
): Buffer {
  const payloadBytes = encodeCborPayload(payload);
  const structure = options.structure ?? (key.alg === 'HS256' ? 'Mac0' : 'Sign1');
  const alg = options.alg ?? COSE_ALG[key.alg];
  const kid = Buffer.from(options.kid ?? payload.device, 'utf8');
  const prot = new Map<number, unknown>(options.algUnprotected ? [] : [[1, alg]]);
  const unprot = new Map<number, unknown>(options.algUnprotected ? [[1, alg]] : []);
  (options.kidIn === 'protected' ? prot : unprot).set(4, kid);
  const protectedBytes = Buffer.from(encoder.encode(prot));
  const tbs = toBeSigned(structure === 'Sign1' ? 'Signature1' : 'MAC0', protectedBytes, payloadBytes);
  const signature =
    key.alg === 'HS256'
      ? createHmac('sha256', key.privateKey).update(tbs).digest()
      : sign(
          key.alg === 'EdDSA' ? null : 'sha256',
          tbs,
          key.alg === 'EdDSA' ? key.privateKey : { key: key.privateKey, dsaEncoding: 'ieee-p1363' },
        );
  return Buffer.from(encoder.encode(new Tag([protectedBytes, unprot, payloadBytes, signature], structure === 'Sign1' ? 18 : 17)));
}
