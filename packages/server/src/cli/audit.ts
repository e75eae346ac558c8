/** `sealwatch audit verify` and `sealwatch audit export`: read the store directly, like `retention`. */
import { writeFileSync } from 'node:fs';
import { asMovementId } from '@sealwatch/core';
import { loadConfig } from '../config/config';
import { openPostgresStore } from '../storage/postgres/postgres-store';
import { openSqliteStore } from '../storage/sqlite/sqlite-store';
import type { Store } from '../storage/ports';
import { AuditTrail } from '../audit/audit-trail';
import { buildEvidence } from '../audit/evidence';
import { loadServerKeyRing, rotateServerKey } from '../audit/server-key';
import { verifyAuditTrail, type AuditReport } from '../audit/audit-verify';
import { loadMasterKey } from '../keys/master-key';
import { SealedSettings } from '../keys/sealed-settings';
import { progressReporter } from '../ops/progress';

/** The store, and its secret settings opened with the master key (the audit signing key is sealed). */
export async function openStore(env: NodeJS.ProcessEnv): Promise<Store & { secrets: SealedSettings }> {
  const config = loadConfig(env);
  const box = loadMasterKey(config).box;
  const store = config.databaseUrl
    ? await openPostgresStore({ url: config.databaseUrl, schema: config.dbSchema })
    : await openSqliteStore({ file: config.sqlite.file });
  return Object.assign(store, { secrets: new SealedSettings(store.settings, box) });
}

/** Verifies the configured store's audit trail: the report and the current signing key's id. */
export async function verifyStoredAuditTrail(
  env: NodeJS.ProcessEnv,
  progress: (done: number, total: number) => void = () => {},
): Promise<{ report: AuditReport; keyId: string }> {
  const store = await openStore(env);
  try {
    const ring = await loadServerKeyRing(store.settings, store.secrets);
    return { report: await verifyAuditTrail(store.audit, ring.publicKeys, progress), keyId: ring.current.keyId };
  } finally {
    await store.close();
  }
}

/** The verdict on an audit trail in one or two lines. */
export function auditVerdict({ report, keyId }: Awaited<ReturnType<typeof verifyStoredAuditTrail>>): string {
  const chains = report.chains === 1 ? '' : ` in ${report.chains} chains`;
  if (report.ok)
    return `audit trail intact: ${report.entries} entries${chains}, ${report.checkpoints} signed checkpoints (server key ${keyId})`;
  const p = report.problem!;
  const where = p.chain === 'main' ? `entry ${p.seq}` : `entry ${p.seq} of chain ${p.chain}`;
  return `AUDIT TRAIL ALTERED at ${where}: ${p.code}: ${p.detail}\n(${report.entries} entries verified before it)`;
}

export async function auditVerifyCommand(env: NodeJS.ProcessEnv): Promise<void> {
  const progress = progressReporter(process.stderr);
  const result = await verifyStoredAuditTrail(env, (done, total) => progress.update('audit entries verified', done, total));
  process.stdout.write(`${auditVerdict(result)}\n`);
  if (!result.report.ok) process.exitCode = 1;
}

export async function auditExportCommand(opts: { movement: string; out?: string }, env: NodeJS.ProcessEnv): Promise<void> {
  const store = await openStore(env);
  try {
    const ring = () => loadServerKeyRing(store.settings, store.secrets);
    const trail = new AuditTrail(store.audit, (await ring()).current, Date.now, ring);
    const evidence = await buildEvidence(store, trail, asMovementId(opts.movement), Date.now(), (what, n) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${what}: ${n}   `);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const text = `${JSON.stringify(evidence, null, 1)}\n`;
    if (opts.out) {
      writeFileSync(opts.out, text);
      process.stdout.write(
        `wrote ${opts.out}: ${evidence.entries.length} entries, ${evidence.observations.length} observations, checkpoint of ${evidence.checkpoint.time}\n`,
      );
    } else process.stdout.write(text);
  } finally {
    await store.close();
  }
}

/**
 * `sealwatch audit rotate-key`: a new Ed25519 signing key; the old public key is kept with its
 * validity so checkpoints it signed still verify. Publish the new thumbprint.
 */
export async function auditRotateKeyCommand(
  env: NodeJS.ProcessEnv,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<{ keyId: string; previous: string }> {
  const store = await openStore(env);
  try {
    const before = await loadServerKeyRing(store.settings, store.secrets);
    const ring = await rotateServerKey(store.settings, store.secrets, new Date().toISOString());
    out(
      `audit signing key rotated: new key ${ring.current.keyId} (publish this thumbprint); previous key ${before.current.keyId} kept for verification`,
    );
    out('running servers sign with the new key from their next checkpoint');
    return { keyId: ring.current.keyId, previous: before.current.keyId };
  } finally {
    await store.close();
  }
}
