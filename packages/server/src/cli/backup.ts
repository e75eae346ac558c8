/**
 * `sealwatch backup --out <folder>` and `sealwatch restore --from <folder>` (embedded mode):
 * the database with its master key (ops/backup.ts). A restore ends by verifying the restored
 * audit trail, so a damaged or mismatched backup is found at once, not on the day of an inquiry.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../config/config';
import { masterKeyFile } from '../keys/master-key';
import { backupEmbedded, BackupError, restoreEmbedded } from '../ops/backup';
import { auditVerdict, verifyStoredAuditTrail } from './audit';

type Out = (line: string) => void;
const stdout: Out = (l) => process.stdout.write(`${l}\n`);

const PG_HINT =
  'cluster mode keeps its data in PostgreSQL: back it up with pg_dump -Fc, restore with pg_restore, and keep SEALWATCH_MASTER_KEY with the dump (docs/operations.md)';

export async function backupCommand(opts: { out: string }, env: NodeJS.ProcessEnv, out: Out = stdout): Promise<void> {
  const config = loadConfig(env);
  if (config.databaseUrl) throw new BackupError(PG_HINT);
  const result = await backupEmbedded({
    sqliteFile: config.sqlite.file,
    keyFile: config.masterKey ? null : masterKeyFile(config.dataDir),
    out: resolve(opts.out),
  });
  out(`backup written (${(result.bytes / 1e6).toFixed(1)} MB): ${result.files.join(', ')}`);
  if (config.masterKey)
    out('the master key is SEALWATCH_MASTER_KEY: keep it with this backup, apart from it (without it the backup cannot be opened)');
  else out('it holds master.key: store it as securely as the key itself');
}

/** Restores into SEALWATCH_DATA_DIR and verifies the audit trail there; false when it does not verify. */
export async function restoreCommand(opts: { from: string }, env: NodeJS.ProcessEnv, out: Out = stdout): Promise<boolean> {
  const config = loadConfig(env);
  if (config.databaseUrl) throw new BackupError(PG_HINT);
  const { files, hasKey } = restoreEmbedded({ from: resolve(opts.from), dataDir: config.dataDir });
  out(`restored: ${files.join(', ')}`);
  if (!hasKey && !config.masterKey) {
    // Verifying now would generate a fresh key file that opens nothing.
    out('the backup holds no master.key: set SEALWATCH_MASTER_KEY to the key it was made under, then run `sealwatch audit verify`');
    return false;
  }
  const verdict = await verifyStoredAuditTrail(env);
  out(auditVerdict(verdict));
  return verdict.report.ok;
}
