/**
 * The worked examples of docs/native-protocol.md ("Encrypted messages"), byte for byte: from the
 * same inputs a device's implementation must produce exactly these outputs, and the server opens them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import { concatKdf } from './jwe';
import { PayloadDecryption } from './payload-decryption';
import { encryptCoseEncrypt0, encryptJweDir } from '../testing/payload-encrypter';

const CONTENT_KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const IV = Buffer.from('0a0b0c0d0e0f101112131415', 'hex');
/** The JWS of the COSE worked example's payload, signed with the RFC 8032 TEST 1 key (deterministic). */
const JWS =
  'eyJhbGciOiJFZERTQSIsImtpZCI6IlNFQUwtMDAwMTIzIn0.eyJkZXZpY2UiOiJTRUFMLTAwMDEyMyIsInNlcSI6MTg0MiwidGltZSI6IjIwMjYtMTEtMjZUMDM6MjI6NTIuMTIwWiIsInNlYWwiOnsic3RhdGUiOiJjbG9zZWQiLCJyb3BlIjoiaW5zZXJ0ZWQiLCJsb2NrIjoibG9ja2VkIn0sImJhdHRlcnkiOnsibGV2ZWwiOjg3fX0.PngX25HTgcXbzeTOyKO-X11Bn4CtJ_aml5pwyZm1lSHvY4OL8bTXLilCu7GnWssPYrFtOeD3dfMMBBoGnuIsBA';
/** The COSE_Sign1 worked example (208 bytes). */
const COSE_SIGN1 = Buffer.from(
  'd28443a10127a1044b5345414c2d3030303132335878a5666465766963656b5345414c2d303030313233637365711907326474696d657818323032362d31312d32365430333a32323a35322e3132305a647365616ca365737461746566636c6f73656464726f706568696e736572746564646c6f636b666c6f636b65646762617474657279a1656c6576656c18575840a317d239c082536e007fbbd32e7fa962e310e98813f18715a51dfa74ce82a957b08875553186da2ab4a96500d84692401c570b089b75305327c2e438c8516202',
  'hex',
);
const JWE_DIR =
  'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwia2lkIjoiU0VBTC0wMDAxMjMiLCJjdHkiOiJKT1NFIn0..CgsMDQ4PEBESExQV.CsRwoAmatBz5bZJLhOm3HKxNllz2B4rEsRqCoBgxkqV4NCfF7sCDINUFv4Zjdi3xU8Pt7gMLHQfE81ZfRBTIuTPC31WP8EDdkx-qq5GbRA5ERRa7Z5aAEXQabu7qFMu5-Phh7wHm5FPWTeMxOM8QY24ZBNWTiwJbpuu1iSN-AOg4qnq-dG4aWqLThoHZOn92ryx5LZmYhSkLuEG9vuAckQt5xl8QoGWsT510NvkZ6Tz2Zcyj0wcOYXUc9rMxKVHFVreXAAvcnHNW2lEm-lXupeQ0YWZWxJLv_jq5HT77-QBLIA1Lzt0MhPPxaQcAYiRsv1BQZADGlMVWAQlNSaqAxmfigpb7UDQvXIpEjSAn8kR_D8TWTtVJOdmQI1eIAI3X-RfbazfW2rTiDy0nU669nW3-8zOswCxGVvi_BvD00dl3LcW7TOuaIJykkagGZT-x044.VY__5Isu_HOMKFHb7pU9NA';
const COSE_ENCRYPT0 = Buffer.from(
  'd08343a10103a2044b5345414c2d303030313233054c0a0b0c0d0e0f10111213141558e0bd3979696afa7671fd579d4c9281d578cd2fed1ce7125bd28f3cbdff3238b7b06c201c9c93b4f266aa62958f4f6904d804ded3ec34363f6faff13100264cb3c053a1cd28f09e3398e46eddfcedd03d2769583db66866ac544d2f7dbbc11ed0bfefda69ff29dadd00f74ec43510d73d7247292dcebd8a3e6284cc93da0a732bbf028a56b9409b364190ccaa9e8803695a556cdc7d1674a52e68f4a806f4d8e09aa70065bd6116dbc3b0d7df2b7bd80a1224defb9aabebbb22a0e2a6c9b33789b510b7cd61dceae653132afb6c7b6ee3ce8b3c10f4a069530851b26369ced0fc9b',
  'hex',
);
const JWE_ECDH_ES =
  'eyJhbGciOiJFQ0RILUVTIiwiZW5jIjoiQTI1NkdDTSIsImVwayI6eyJrdHkiOiJPS1AiLCJjcnYiOiJYMjU1MTkiLCJ4IjoiaFNEd0NZa3dwMVIwaTMzY3RENzNXZzJfT2cwbU9CcjA2NlNwanFxYlRtbyJ9LCJjdHkiOiJKT1NFIn0..CgsMDQ4PEBESExQV.uEx40JwPmiyESJG7eDS-10w68sh-iR4fDz7mnGzFt7X_dA7sHiruNphsDPU3mZ6Ico8ltLwT2r7i_yMtqJdLw-qXeiyCcZ0xSOf9QK37p0DByrLk6jx0weBTSt8QOyD4Jcb0kVRq2hFupw2Z-EI1D_pK3OW_v8JMQCsQnbqTX0D8k0HYtlwCy-UEPH-gGtuw5yabLl07Ok7UnE3JUt_T6E_kKNifrpA_mAEF-RS7JQ68p7dvhxquW9AOhK-iN5-fhCWHuUlxunmrnj0otbvtUP1ad8bGUDtRcVqx5Lr0Ik_UQx4nz7ij77eOlRYKCj-YAKbjxnHIZFSfqs1_9pU77fOSLNOv2Q0PEvOdY9FLsf_zh6T1lav4xr5k-h9UolrbIjaiRxT0NP8IdxH4eAeCRwRLtn3lRxHTIh1B02BqlrO1cPDWFm8bQoBXFMsAxjH5fhY.KWKFWBV1knG8zXlocPFuLg';
// RFC 7748 §6.1: the device's ephemeral key is Alice's, the server's key Bob's.
const raw = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');
const ALICE = {
  kty: 'OKP',
  crv: 'X25519',
  d: raw('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'),
  x: raw('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a'),
};
const BOB = {
  kty: 'OKP',
  crv: 'X25519',
  d: raw('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'),
  x: raw('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'),
};

const bob = createPrivateKey({ key: BOB as never, format: 'jwk' });
const decryption = new PayloadDecryption({
  contentKey: async (device) => (device === 'SEAL-000123' ? [CONTENT_KEY] : 'unknown'),
  keys: { agreement: { 'P-256': { kid: 'unused', privateKey: bob }, X25519: { kid: 'bob', privateKey: bob } }, jwks: { keys: [] } },
});

test('JWE dir: the documented content key and IV give exactly the documented JWE, which opens to the JWS', async () => {
  assert.equal(encryptJweDir(JWS, 'SEAL-000123', CONTENT_KEY, { iv: IV }), JWE_DIR);
  assert.deepEqual(await decryption.unwrap(JWE_DIR), { ok: true, raw: JWS });
});

test('COSE_Encrypt0: the documented bytes wrap the COSE_Sign1 worked example', async () => {
  assert.deepEqual(encryptCoseEncrypt0(COSE_SIGN1, 'SEAL-000123', CONTENT_KEY, { iv: IV }), COSE_ENCRYPT0);
  assert.equal(COSE_ENCRYPT0.length, 260);
  const r = await decryption.unwrap(COSE_ENCRYPT0);
  assert.ok(r.ok);
  assert.deepEqual(Buffer.from(r.raw as Uint8Array), COSE_SIGN1);
});

test('ECDH-ES X25519: Z is the RFC 7748 shared secret, the CEK the documented one, and the JWE opens', async () => {
  const z = diffieHellman({
    privateKey: createPrivateKey({ key: ALICE as never, format: 'jwk' }),
    publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: BOB.x } as never, format: 'jwk' }),
  });
  assert.equal(z.toString('hex'), '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');
  assert.equal(concatKdf(z, 256, 'A256GCM').toString('hex'), 'd3f1a933aa331e5d3204beab09cddb96dbdaba47a555530b70fa4af7187c6edd');
  assert.deepEqual(await decryption.unwrap(JWE_ECDH_ES), { ok: true, raw: JWS });
});
