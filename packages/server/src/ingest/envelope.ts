/**
 * The two forms of a native protocol v1 message (DESIGN §5, docs/native-protocol.md): a JWS
 * compact serialisation (text) or a COSE_Sign1 / COSE_Mac0 (bytes). Both open into one envelope
 * (device id, declared algorithm, what the signature covers, the payload), so every later rule
 * (registered algorithm, signature, schema, kid = device, seq, clock) is the same code.
 */
import { strictJsonProblem, type RejectReason } from '@sealwatch/core';
import { cborPayloadToJson } from './cbor-payload';
import { parseCoseMessage } from './cose';
import { parseCompactJws } from './jws';

/** A message as it arrived: JWS text, or COSE bytes. */
export type RawMessage = string | Uint8Array;

/** Largest accepted message, bytes. A native message is a few hundred bytes; readers' batches more. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export interface Envelope {
  form: 'jws' | 'cose';
  /** The device id the message claims (JWS `kid`, COSE kid bytes as UTF-8). */
  kid: string;
  /**
   * The algorithm in the registry's naming: `EdDSA`, `ES256` (COSE_Sign1 -8, -7) or `HS256`
   * (COSE_Mac0 5); any other COSE algorithm is named so that it can never equal a registered one.
   */
  alg: string;
  signingInput: string | Buffer;
  signature: Buffer;
  payloadBytes: Buffer;
}

export type EnvelopeResult = { ok: true; envelope: Envelope } | { ok: false; reason: RejectReason; detail: string };

const SIGN1_ALGS: Record<number, string> = { [-8]: 'EdDSA', [-7]: 'ES256' };
const MAC0_ALGS: Record<number, string> = { 5: 'HS256' };

/** The bytes of a raw message (JWS text as UTF-8). */
export const rawBytes = (raw: RawMessage): Buffer => (typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw));

/** Opens either form; never throws. */
export function openEnvelope(raw: RawMessage): EnvelopeResult {
  if (typeof raw === 'string') {
    const p = parseCompactJws(raw);
    if (!p.ok) return p;
    const { header, signingInput, signature, payloadBytes } = p.jws;
    return {
      ok: true,
      envelope: { form: 'jws', kid: header.kid as string, alg: String(header.alg), signingInput, signature, payloadBytes },
    };
  }
  const p = parseCoseMessage(raw);
  if (!p.ok) return p;
  const { structure, alg, kid, toBeSigned, signature, payloadBytes } = p.cose;
  const named = (structure === 'Sign1' ? SIGN1_ALGS : MAC0_ALGS)[alg] ?? `COSE_${structure} alg ${alg}`;
  return { ok: true, envelope: { form: 'cose', kid, alg: named, signingInput: toBeSigned, signature, payloadBytes } };
}

/** The payload as a JSON value: UTF-8 JSON for JWS, a CBOR map for COSE. */
export function readPayload(e: Envelope): { ok: true; value: unknown } | { ok: false; detail: string } {
  if (e.form === 'cose') return cborPayloadToJson(e.payloadBytes);
  const text = e.payloadBytes.toString('utf8');
  // NUL cannot be stored in PostgreSQL text/jsonb; refusing it here keeps both engines alike.
  if (text.includes('\\u0000')) return { ok: false, detail: 'payload contains a NUL character (\\u0000)' };
  // Signed evidence must read the same in every parser: no repeated member names, no deep nesting.
  const problem = strictJsonProblem(text);
  if (problem) return { ok: false, detail: `payload ${problem}` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, detail: 'payload is not UTF-8 JSON' };
  }
}
