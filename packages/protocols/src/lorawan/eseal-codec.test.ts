/** The e-seal payload v1: the worked examples of docs/lorawan-codec.md, round trips, each reason, and a fuzz test. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEsealPayload, encodeEsealPayload, ESEAL_EVENTS, type EsealPayload } from './eseal-codec';

const fromHex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const reason = (h: string) => {
  const r = decodeEsealPayload(fromHex(h));
  return r.ok ? 'ok' : r.reason;
};

test('worked example 1 (docs/lorawan-codec.md): opened, rope cut, with position and temperature, 17 bytes', () => {
  const r = decodeEsealPayload(fromHex('01090357073206FF3AD75815F2937801A4'));
  assert.ok(r.ok);
  assert.deepEqual(r.payload, {
    seal: { state: 'open', rope: 'cut', lock: 'locked' },
    door: 'closed',
    battery: 87,
    seq: 1842,
    events: ['opened', 'rope_cut'],
    position: { lat: -1.2921, lon: 36.8219 },
    temperature: 4.2,
  });
  assert.equal(toHex(encodeEsealPayload(r.payload)), '01090357073206FF3AD75815F2937801A4');
});

test('worked example 2: armed heartbeat without position, 7 bytes', () => {
  const r = decodeEsealPayload(fromHex('0100005B000701'));
  assert.ok(r.ok);
  assert.deepEqual(r.payload, {
    seal: { state: 'closed', rope: 'inserted', lock: 'locked' },
    door: 'closed',
    battery: 91,
    seq: 7,
    events: ['armed'],
  });
});

test('not-reported states, unknown battery, negative temperature and the seq wrap', () => {
  const p: EsealPayload = { seal: {}, seq: 70000, events: [], temperature: -18.25 };
  const b = encodeEsealPayload(p);
  assert.equal(toHex(b), '01FF02FF1170' + '00' + 'F8DF');
  const r = decodeEsealPayload(b);
  assert.ok(r.ok);
  assert.deepEqual(r.payload, { seal: {}, seq: 70000 & 0xffff, events: [], temperature: -18.25 });
});

test('bad payloads name their reason', () => {
  assert.equal(reason(''), 'bad_length');
  assert.equal(reason('010000'), 'bad_length');
  assert.equal(reason('0100015B000701'), 'bad_length'); // says position, has none
  assert.equal(reason('0100005B00070100'), 'bad_length'); // trailing byte
  assert.equal(reason('0200005B000701'), 'unsupported_version');
  assert.equal(reason('0100045B000701'), 'reserved_bits_set');
  assert.equal(reason('0120005B000701'), 'invalid_state'); // lock = 2
  assert.equal(reason('0180005B000701'), 'invalid_state'); // door = 2
  assert.equal(reason('01000065000701'), 'battery_out_of_range'); // 101 %
  assert.equal(reason('0100015B00070136B6A4017FFFFFFF'), 'position_out_of_range'); // lat 91.75
});

test('round trip: random payloads survive encode → decode at the wire precision', () => {
  let seed = 3;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(xs: readonly T[]): T | undefined => (rand() < 0.2 ? undefined : xs[Math.floor(rand() * xs.length)]);
  for (let i = 0; i < 5000; i++) {
    const state = pick(['closed', 'open', 'tampered'] as const);
    const rope = pick(['inserted', 'removed', 'cut'] as const);
    const lock = pick(['locked', 'unlocked'] as const);
    const door = pick(['open', 'closed'] as const);
    const p: EsealPayload = {
      seal: { ...(state ? { state } : {}), ...(rope ? { rope } : {}), ...(lock ? { lock } : {}) },
      ...(door ? { door } : {}),
      ...(rand() < 0.8 ? { battery: Math.floor(rand() * 101) } : {}),
      seq: Math.floor(rand() * 65536),
      events: ESEAL_EVENTS.filter(() => rand() < 0.2),
      ...(rand() < 0.5
        ? { position: { lat: Math.round((rand() * 180 - 90) * 1e7) / 1e7, lon: Math.round((rand() * 360 - 180) * 1e7) / 1e7 } }
        : {}),
      ...(rand() < 0.5 ? { temperature: Math.round((rand() * 200 - 100) * 100) / 100 } : {}),
    };
    const r = decodeEsealPayload(encodeEsealPayload(p));
    assert.ok(r.ok);
    assert.deepEqual(r.payload, p);
  }
});

test('fuzz: random bytes never throw; every failure has a known reason', () => {
  let seed = 5;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const known = new Set([
    'bad_length',
    'unsupported_version',
    'reserved_bits_set',
    'invalid_state',
    'battery_out_of_range',
    'position_out_of_range',
  ]);
  let ok = 0;
  for (let i = 0; i < 50_000; i++) {
    const b = new Uint8Array([7, 9, 15, 17, 3][Math.floor(rand() * 5)]).map(() => Math.floor(rand() * 256));
    if (rand() < 0.7) b[0] = 1;
    if (rand() < 0.7 && b.length > 2) b[2] &= 3;
    const r = decodeEsealPayload(b);
    if (r.ok) ok++;
    else assert.ok(known.has(r.reason), r.reason);
  }
  assert.ok(ok > 500, `only ${ok} random payloads decoded`);
});
