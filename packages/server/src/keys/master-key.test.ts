import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config/config';
import { loadMasterKey, masterKeyFile } from './master-key';
import { masterKeyId, SecretBox } from './secret-box';

const dir = mkdtempSync(join(tmpdir(), 'sealwatch-master-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('SecretBox (AES-256-GCM, versioned)', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  const secret = randomBytes(32);

  test('seals into sw1.<master key id>.… and opens only in the same context', () => {
    const box = new SecretBox(k1);
    const sealed = box.seal(secret, 'device-key:secret:D1:k1');
    assert.match(sealed, new RegExp(`^sw1\\.${masterKeyId(k1)}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}$`));
    assert.ok(!sealed.includes(secret.toString('base64url')));
    assert.deepEqual(box.open(sealed, 'device-key:secret:D1:k1'), secret);
    assert.throws(() => box.open(sealed, 'device-key:secret:D2:k1'), 'bound to its row');
    assert.notEqual(box.seal(secret, 'c'), box.seal(secret, 'c'), 'a fresh IV each time');
  });

  test('an altered ciphertext or tag does not open', () => {
    const box = new SecretBox(k1);
    const parts = box.seal(secret, 'c').split('.');
    const flip = (s: string) => {
      const b = Buffer.from(s, 'base64url');
      b[0] ^= 1;
      return b.toString('base64url');
    };
    assert.throws(() => box.open([...parts.slice(0, 3), flip(parts[3]), parts[4]].join('.'), 'c'));
    assert.throws(() => box.open([...parts.slice(0, 4), flip(parts[4])].join('.'), 'c'));
  });

  test('after a master key rotation the old key only opens; isCurrent tells what to re-encrypt', () => {
    const old = new SecretBox(k1).seal(secret, 'c');
    const box = new SecretBox(k2, [k1]);
    assert.equal(box.isCurrent(old), false);
    assert.deepEqual(box.open(old, 'c'), secret);
    assert.equal(box.isCurrent(box.seal(secret, 'c')), true);
    assert.throws(() => new SecretBox(k2).open(old, 'c'), /not configured/);
  });
});

describe('master key source', () => {
  test('embedded mode without SEALWATCH_MASTER_KEY generates a 0600 key file once, then reads it', () => {
    const data = join(dir, 'a');
    const first = loadMasterKey({ masterKey: null, previousMasterKeys: [], dataDir: data });
    assert.equal(first.generated, true);
    assert.equal(first.file, masterKeyFile(data));
    assert.equal(statSync(first.file!).mode & 0o777, 0o600);
    assert.equal(Buffer.from(readFileSync(first.file!, 'utf8').trim(), 'base64').length, 32);
    const again = loadMasterKey({ masterKey: null, previousMasterKeys: [], dataDir: data });
    assert.equal(again.generated, false);
    assert.equal(again.box.currentKeyId, first.box.currentKeyId);
  });

  test('a key file readable by others is made 0600, with a warning', () => {
    const data = join(dir, 'b');
    const { file } = loadMasterKey({ masterKey: null, previousMasterKeys: [], dataDir: data });
    chmodSync(file!, 0o644);
    const r = loadMasterKey({ masterKey: null, previousMasterKeys: [], dataDir: data });
    assert.equal(statSync(file!).mode & 0o777, 0o600);
    assert.equal(r.warnings.length, 1);
  });

  test('SEALWATCH_MASTER_KEY is used as given; no file is written', () => {
    const key = randomBytes(32);
    const data = join(dir, 'c');
    const r = loadMasterKey({ masterKey: key.toString('base64'), previousMasterKeys: [], dataDir: data });
    assert.equal(r.file, null);
    assert.equal(existsSync(masterKeyFile(data)), false);
    assert.equal(r.box.currentKeyId, masterKeyId(key));
  });

  test('configuration: the key must be 32 bytes of base64; cluster mode requires it', () => {
    assert.throws(() => loadConfig({ SEALWATCH_MASTER_KEY: 'c2hvcnQ=' }), /SEALWATCH_MASTER_KEY: must be 32 bytes/);
    assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db' }), /SEALWATCH_MASTER_KEY: required with DATABASE_URL/);
    const key = randomBytes(32).toString('base64');
    const old = randomBytes(32).toString('base64');
    const c = loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db', SEALWATCH_MASTER_KEY: key, SEALWATCH_MASTER_KEY_PREVIOUS: old });
    assert.equal(c.masterKey, key);
    assert.deepEqual(c.previousMasterKeys, [old]);
  });
});
