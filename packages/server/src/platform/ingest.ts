/**
 * Device ingest: signature verification (worker threads on gateways), payload decryption,
 * quarantine budgets, the admission step native and vendor messages share after their own identity check, and the two
 * ingest services the transports hand messages to. Seq conflicts and forgery attempts become
 * security events.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { DeviceId } from '@sealwatch/core';
import { Admission } from '../ingest/admission';
import { QuarantineBudget } from '../ingest/quarantine-budget';
import type { DeviceDirectory } from '../ingest/device-directory';
import type { IngestLog } from '../ingest/ingest-log';
import { IngestService } from '../ingest/ingest.service';
import { contentKeysFromDirectory, PayloadDecryption } from '../ingest/payload-decryption';
import { loadServerEncryptionKeys, type ServerEncryptionKeys } from '../ingest/server-encryption-key';
import { SignatureVerifier } from '../ingest/signature-verifier';
import { VendorIngestService } from '../ingest/vendor-ingest';
import type { Metrics } from '../ops/metrics';
import { makeForgedMessageRecorder } from '../processing/forged-messages';
import type { Mutex } from '../processing/mutex';
import { makeSeqConflictRecorder } from '../processing/security-events';
import type { StreamBus } from '../stream/stream-bus';
import type { OpenedStore } from './store';

export interface IngestParts {
  ingest: IngestService;
  vendorIngest: VendorIngestService;
  verifier: SignatureVerifier;
  encryptionKeys: ServerEncryptionKeys;
  onSeqConflict: ReturnType<typeof makeSeqConflictRecorder>;
  /** Quarantine budgets per source address and claimed device; null when both are off. */
  quarantineBudget: QuarantineBudget | null;
  /** A device's registered report interval, which sizes its rate limit (a day of backlog). */
  reportInterval: (id: string) => Promise<number | null>;
}

export async function wireIngest(p: {
  config: Readonly<Config>;
  opened: OpenedStore;
  bus: StreamBus;
  alertLock: Mutex;
  now: () => number;
  newId: () => string;
  log: Logger;
  metrics: Metrics;
  ingestLog: IngestLog;
  devices: DeviceDirectory;
}): Promise<IngestParts> {
  const {
    config,
    opened: { store, audit, secrets },
    bus,
    alertLock,
    now,
    newId,
    log,
    devices,
  } = p;
  const verifier = new SignatureVerifier(config.roles.gateway ? config.ingest.verifyWorkers : 0);
  const encryptionKeys = await loadServerEncryptionKeys(secrets);
  const decryption = new PayloadDecryption({ contentKey: contentKeysFromDirectory(devices, now), keys: encryptionKeys });
  const onSeqConflict = makeSeqConflictRecorder({ store, bus, alertLock, now, newId });
  // A device may upload a day of backlog at its registered report interval (the device rate limits).
  const reportInterval = async (id: string) => (await store.devices.get(id as DeviceId))?.reportIntervalS ?? null;
  const { perSourcePerMin, perDevicePerMin } = config.quarantineBudget;
  const quarantineBudget =
    perSourcePerMin > 0 || perDevicePerMin > 0 ? new QuarantineBudget({ perSourcePerMin, perDevicePerMin, now }) : null;
  const forged = makeForgedMessageRecorder({ store, bus, alertLock, now, newId });
  const admission = new Admission({
    log: p.ingestLog,
    quarantine: store.quarantine,
    quarantineBudget,
    countOverBudget: (reason) => p.metrics.quarantineOverBudget.inc({ reason }),
    rules: { maxClockSkewMs: config.ingest.maxClockSkewMs, lateAfterMs: config.ingest.lateAfterMs },
    count: (status, reason) => p.metrics.countIngest(status, reason),
    audit: (entries) => audit.record(entries),
    onSeqConflict,
    onForged: (f) => forged.record(f),
    onProven: (device, remote) => forged.proven(device, remote),
  });
  const ingest = new IngestService({
    devices,
    verifier,
    admission,
    now,
    onFailure: (e) => log.warn({ err: e.message }, 'ingest dependency failed; answering retry later'),
    unwrap: (raw) => decryption.unwrap(raw),
    storedKeys: (keys) => store.observations.findKeys(keys),
  });
  const vendorIngest = new VendorIngestService({
    devices,
    admission,
    now,
    onFailure: (e) => log.warn({ err: e.message }, 'vendor ingest dependency failed; answering retry later'),
    pending: config.pendingDevices ? store.pendingDevices : null,
    armings: (device) => store.custody.armings(device),
  });
  return { ingest, vendorIngest, verifier, encryptionKeys, onSeqConflict, quarantineBudget, reportInterval };
}
