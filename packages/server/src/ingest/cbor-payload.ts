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
  // Signed evidence must read the same in every decoder: no repeated keys, no deep nesting.
  const problem = cborStructureProblem(bytes);
  if (problem) return { ok: false, detail: `payload: ${problem}` };
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
  const kind =
    v === undefined
      ? 'undefined'
      : v instanceof Uint8Array
        ? 'a byte string'
        : v instanceof Date
          ? 'a date tag (use an ISO 8601 text string)'
          : typeof v === 'bigint'
            ? 'a big integer'
            : 'a tag or unsupported item';
  throw new Error(`${path}: ${kind} has no JSON form`);
}

/**
 * A text key repeated in one CBOR map, or nesting deeper than MAX_DEPTH: the decoder keeps the last
 * of two equal keys silently, so the same signed bytes could read differently elsewhere. Walks the
 * item's structure (definite and indefinite lengths); null when none, or when the bytes are not
 * well-formed (the decoder reports that).
 */
export function cborStructureProblem(bytes: Uint8Array): string | null {
  const b = Buffer.from(bytes);
  let at = 0;
  const head = (): { major: number; info: number; n: number } => {
    if (at >= b.length) throw new RangeError('truncated');
    const first = b[at++];
    const major = first >> 5;
    const info = first & 0x1f;
    if (info > 27 && info !== 31) throw new RangeError('reserved');
    const size = info < 24 || info === 31 ? 0 : 2 ** (info - 24);
    const n =
      size === 0
        ? info
        : size === 1
          ? b.readUInt8(at)
          : size === 2
            ? b.readUInt16BE(at)
            : size === 4
              ? b.readUInt32BE(at)
              : Number(b.readBigUInt64BE(at));
    at += size;
    return { major, info, n };
  };
  const isBreak = () => {
    if (b[at] !== 0xff) return false;
    at += 1;
    return true;
  };
  // Returns the text of a text-string item (for keys), or null for any other item.
  const item = (depth: number): string | null => {
    if (depth > MAX_DEPTH) throw new Error(`nested deeper than ${MAX_DEPTH}`);
    const { major, info, n } = head();
    const indefinite = info === 31;
    switch (major) {
      case 0:
      case 1:
      case 7:
        return null;
      case 2:
      case 3: {
        if (!indefinite) {
          const text = major === 3 ? b.toString('utf8', at, at + n) : null;
          at += n;
          if (at > b.length) throw new RangeError('truncated');
          return text;
        }
        let text = '';
        while (!isBreak()) text += item(depth + 1) ?? '';
        return major === 3 ? text : null;
      }
      case 4:
        for (let i = 0; indefinite ? !isBreak() : i < n; i++) item(depth + 1);
        return null;
      case 5: {
        const keys = new Set<string>();
        for (let i = 0; indefinite ? !isBreak() : i < n; i++) {
          const key = item(depth + 1);
          if (key !== null) {
            if (keys.has(key)) throw new Error(`key ${JSON.stringify(key)} appears twice in one map`);
            keys.add(key);
          }
          item(depth + 1);
        }
        return null;
      }
      default: // 6: a tag and its item
        item(depth + 1);
        return null;
    }
  };
  try {
    item(0);
    return null;
  } catch (e) {
    return e instanceof RangeError ? null : (e as Error).message;
  }
}
