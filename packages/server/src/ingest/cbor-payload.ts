/**
 * The payload of a COSE native message: the native v1 JSON object encoded as a CBOR map
 * (docs/native-protocol.md). It is turned into the JSON data model and then checked by the same
 * schema as the JWS form. Only what JSON can say is accepted: maps with text keys, arrays, text,
 * finite numbers, true/false/null. Byte strings, tags (dates, bignums), undefined and non-text
 * keys are refused with their path, so both forms carry exactly the same information.
 */
import { decodeCbor } from './cose';

export type CborPayloadResult = { ok: true; value: unknown } | { ok: false; detail: string };

const MAX_DEPTH = 16;

/** Decodes CBOR payload bytes into a JSON value; never throws. */
export function cborPayloadToJson(bytes: Uint8Array): CborPayloadResult {
  let item: unknown;
  try {
    item = decodeCbor(bytes);
  } catch (e) {
    return { ok: false, detail: `payload is not one well-formed CBOR item: ${(e as Error).message}` };
  }
  try {
    return { ok: true, value: toJson(item, 'payload', 0) };
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
}

function toJson(v: unknown, path: string, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new Error(`${path}: nested deeper than ${MAX_DEPTH}`);
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${path}: NaN and infinities have no JSON form`);
    return v;
  }
  if (Array.isArray(v)) return v.map((x, i) => toJson(x, `${path}[${i}]`, depth + 1));
  if (v instanceof Map) {
    const entries: [string, unknown][] = [];
    for (const [k, x] of v) {
      if (typeof k !== 'string') throw new Error(`${path}: map keys must be text strings, found ${typeof k}`);
      entries.push([k, toJson(x, `${path}.${k}`, depth + 1)]);
    }
    // fromEntries defines own properties: a "__proto__" key stays data, as with JSON.parse.
    return Object.fromEntries(entries);
  }
  const kind = v === undefined ? 'undefined' : v instanceof Uint8Array ? 'a byte string' : v instanceof Date ? 'a date tag (use an ISO 8601 text string)' : typeof v === 'bigint' ? 'a big integer' : 'a tag or unsupported item';
  throw new Error(`${path}: ${kind} has no JSON form`);
}
