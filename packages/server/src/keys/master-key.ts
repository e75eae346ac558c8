/**
 * Where the master key comes from. SEALWATCH_MASTER_KEY (base64, 32 bytes) when set; in
 * embedded mode without it, a key generated on first start into `<data dir>/master.key`
 * (mode 0600), said so in the log. Cluster mode requires the variable (config.ts), since every
 * process must hold the same key. Older keys (SEALWATCH_MASTER_KEY_PREVIOUS, or the key file's
 * later lines) only decrypt, until `sealwatch keys rotate-master` has re-encrypted everything.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

/** The key file of embedded mode: one base64 key per line, the first one current. */
export const masterKeyFile = (dataDir: string) => join(dataDir, 'master.key');

export interface MasterKeySource {
  box: SecretBox;
  /** The key file used (embedded mode without SEALWATCH_MASTER_KEY), else null. */
  file: string | null;
  /** True when that file was created now. */
  generated: boolean;
  /** Things an operator should hear about (e.g. a key file readable by others). */
  warnings: string[];
}

/** Decodes a base64 master key; throws unless it is exactly 32 bytes. */
export function decodeMasterKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error('a master key is 32 bytes, base64-encoded (openssl rand -base64 32)');
  return key;
}

export function loadMasterKey(config: {
  masterKey: string | null;
  previousMasterKeys: readonly string[];
  dataDir: string;
}): MasterKeySource {
  const previous = config.previousMasterKeys.map(decodeMasterKey);
  if (config.masterKey)
    return { box: new SecretBox(decodeMasterKey(config.masterKey), previous), file: null, generated: false, warnings: [] };
  const file = masterKeyFile(config.dataDir);
  const warnings: string[] = [];
  let generated = false;
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    try {
      // `wx`: if two processes start at once on one folder, the second reads the first one's key.
      writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      generated = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    chmodSync(file, 0o600);
    warnings.push(`${file} was readable by other users; its mode is now 0600`);
  }
  const [current, ...older] = readKeyFile(file);
  return { box: new SecretBox(current, [...older, ...previous]), file, generated, warnings };
}

/** The keys of a key file, current first. */
export function readKeyFile(file: string): Buffer[] {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (!lines.length) throw new Error(`${file} holds no master key`);
  return lines.map(decodeMasterKey);
}

/** Writes a key file (current key first), replacing it whole, mode 0600. */
export function writeKeyFile(file: string, keys: Buffer[]): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, keys.map((k) => `${k.toString('base64')}\n`).join(''), { mode: 0o600 });
  // rename is atomic: a crash leaves the old file or the new one, never half of one.
  renameSync(tmp, file);
}
