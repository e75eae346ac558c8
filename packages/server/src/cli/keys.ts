/**
 * `sealwatch keys rotate-master`: re-encrypts every stored secret (device secrets and content
 * keys, the audit signing and ECDH-ES keys, the demo seed, webhook and TOTP secrets) under the
 * current master key (docs/device-keys.md).
 *
 * - With SEALWATCH_MASTER_KEY: set it to the new key and SEALWATCH_MASTER_KEY_PREVIOUS to the
 *   old one(s), run this, then drop SEALWATCH_MASTER_KEY_PREVIOUS.
 * - Embedded mode with the generated key file: a new key is generated; the file first holds
 *   both (a crash loses nothing), then only the new one once every secret is re-encrypted.
 * Stop the embedded server first: it would go on sealing with the key it started with.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config/config';
import { DeviceKeyService } from '../keys/device-keys.service';
import { loadMasterKey, readKeyFile, writeKeyFile } from '../keys/master-key';
import { SecretBox } from '../keys/secret-box';
import { SealedSettings } from '../keys/sealed-settings';
import { resealAllSecrets, resealTotal } from '../keys/secrets-at-rest';
import { openPostgresStore } from '../storage/postgres/postgres-store';
import { openSqliteStore } from '../storage/sqlite/sqlite-store';

export async function rotateMasterCommand(
  env: Record<string, string | undefined>,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<{ reencrypted: number; keyId: string }> {
  const config = loadConfig(env);
  const source = loadMasterKey(config);
  let box = source.box;
  if (source.file) {
    const old = readKeyFile(source.file);
    const fresh = randomBytes(32);
    writeKeyFile(source.file, [fresh, ...old]);
    box = new SecretBox(fresh, old);
  }
  const store = config.databaseUrl
    ? await openPostgresStore({ url: config.databaseUrl, schema: config.dbSchema })
    : await openSqliteStore({ file: config.sqlite.file });
  try {
    const counts = await resealAllSecrets({
      box,
      deviceKeys: new DeviceKeyService({ store: store.deviceKeys, box, now: Date.now, onChanged: () => {} }),
      settings: new SealedSettings(store.settings, box),
      webhooks: store.webhooks,
      access: store.access,
    });
    const reencrypted = resealTotal(counts);
    if (source.file) writeKeyFile(source.file, [readKeyFile(source.file)[0]]);
    out(
      `${reencrypted} secret(s) re-encrypted under master key ${box.currentKeyId}: ${counts.deviceSecrets} device secret(s), ${counts.settings} server key(s) and seed(s), ${counts.webhooks} webhook secret(s), ${counts.totp} TOTP secret(s)`,
    );
    if (source.file) out(`${source.file} now holds only the new key; back it up with the database`);
    else if (config.previousMasterKeys.length) out('every secret is under SEALWATCH_MASTER_KEY now: remove SEALWATCH_MASTER_KEY_PREVIOUS');
    return { reencrypted, keyId: box.currentKeyId };
  } finally {
    await store.close();
  }
}
