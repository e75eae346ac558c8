import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, base32Encode, totpCode, verifyTotp } from './totp';
import { hashPassword, verifyPassword } from './passwords';

// RFC 6238 Appendix B: the SHA-1 secret is the ASCII "12345678901234567890"; 8-digit codes there,
// whose last 6 digits are the 6-digit codes.
const secret = base32Encode(Buffer.from('12345678901234567890'));

test('TOTP matches the RFC 6238 test vectors (last six digits)', () => {
  assert.equal(secret, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.equal(totpCode(secret, 59_000), '287082');
  assert.equal(totpCode(secret, 1_111_111_109_000), '081804');
  assert.equal(totpCode(secret, 1_234_567_890_000), '005924');
  assert.equal(totpCode(secret, 20_000_000_000_000), '353130');
  assert.deepEqual(base32Decode(secret), Buffer.from('12345678901234567890'));
});

test('a code is accepted one step either side and refused beyond', () => {
  const t = 1_234_567_890_000;
  assert.equal(verifyTotp(secret, totpCode(secret, t - 30_000), t), true);
  assert.equal(verifyTotp(secret, totpCode(secret, t + 30_000), t), true);
  assert.equal(verifyTotp(secret, totpCode(secret, t - 90_000), t), false);
  assert.equal(verifyTotp(secret, 'abcdef', t), false);
});

test('scrypt hashes verify the right password only, and differ by salt', async () => {
  const a = await hashPassword('correct horse battery staple');
  const b = await hashPassword('correct horse battery staple');
  assert.notEqual(a, b);
  assert.match(a, /^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
  assert.equal(await verifyPassword('correct horse battery staple', a), true);
  assert.equal(await verifyPassword('correct horse battery stapler', a), false);
  assert.equal(await verifyPassword('x', 'md5$abc'), false);
});
