/**
 * Forgery attempts against a registered device, found at ingest, and when they are worth an
 * officer's attention. Every one is rejected, quarantined with its reason (within the quarantine
 * budget) and counted; an alert (`message_forged`, with its incident) needs evidence that a party
 * was really speaking for the device, because device ingest is open to anyone:
 *
 * - **Proven** by the device's own key: `kid_mismatch` (its valid signature over a payload naming
 *   another device) and `key_revoked` (a valid signature under a key revoked since). Whoever sent it
 *   holds the key: alerted at once, unless the same bytes were quarantined before (a replay of
 *   what the quarantine showed proves nothing about its sender). (`seq_conflict`, also under a valid signature, has its own
 *   recorder, security-events.ts.)
 * - **Unproven**: `bad_signature` and `algorithm_not_allowed` (alg:none, HS256 made of a public key)
 *   can be sent by anyone who knows a device's id, from anywhere; alerting on them would let anyone
 *   flood officers with incidents on any movement. They are alerted only when they come **from the
 *   device's own source address** (the address of its last verified message, within a day) at least
 *   `UNPROVEN_THRESHOLD` times in `UNPROVEN_WINDOW_MS`: something on the device's own path (a tampered
 *   unit, a man in the middle on its link) is sending in its name.
 *
 * Per device and cause at most one event per `quietMs`, and the alert rules keep one open
 * `message_forged` alert per movement (or per device outside a movement). Not alerted at all:
 * `key_expired` (the device's own old key after its overlap), clock skew, unknown devices,
 * malformed input. Sources and counts live in this process's memory (docs/security.md).
 */
import {
  asEventId,
  DomainError,
  isInTransitAt,
  toTimestamp,
  type DeviceId,
  type DomainEvent,
  type RejectReason,
  type Incident,
} from '@sealwatch/core';
import { AlertBatch, type AlertBatchStore } from './alert-batch';
import type { Store } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import type { Mutex } from './mutex';

/** Rejections under the device's own valid signature: whoever sent them holds its key. */
const provenReasons: ReadonlySet<RejectReason> = new Set<RejectReason>(['key_revoked', 'kid_mismatch']);
/** Rejections anyone can produce by naming a device: evidence only from the device's own source. */
const unprovenReasons: ReadonlySet<RejectReason> = new Set<RejectReason>(['bad_signature', 'algorithm_not_allowed']);

/** The rejections that mean someone tried to speak for a registered device. */
export const forgedReasons: ReadonlySet<RejectReason> = new Set([...provenReasons, ...unprovenReasons]);

/** Unproven forgeries from the device's own source that raise an alert, and the window they are counted in. */
export const UNPROVEN_THRESHOLD = 3;
export const UNPROVEN_WINDOW_MS = 10 * 60_000;
/** How long a device's last verified source address counts as its own. */
const OWN_SOURCE_MS = 86_400_000;
const MAX_TRACKED = 100_000;
/** How many of the device's latest quarantine entries are searched for an earlier copy of a message. */
const SEEN_BEFORE_SCAN = 500;

export interface ForgedMessage {
  device: DeviceId;
  reason: RejectReason;
  seq: number | null;
  quarantineId: number;
  /** The sender's address (null when the transport has none). */
  remote: string | null;
}

export interface ForgedMessageRecorder {
  /** A forgery attempt, already quarantined: recorded as an event and alert when the evidence rule says so. */
  record(f: ForgedMessage): Promise<void>;
  /** A message the device's key verified, from `remote`: that address is the device's own source. */
  proven(device: string, remote: string | null): void;
}

export function makeForgedMessageRecorder(deps: {
  store: AlertBatchStore & Pick<Store, 'processing' | 'quarantine'>;
  bus: StreamBus;
  alertLock: Mutex;
  now: () => number;
  newId: () => string;
  quietMs?: number;
}): ForgedMessageRecorder {
  const quietMs = deps.quietMs ?? 60_000;
  const lastAt = new Map<string, number>();
  const ownSource = new Map<string, { remote: string; at: number }>();
  const fromOwnSource = new Map<string, number[]>();

  /** True when this unproven forgery is the threshold-th from the device's own source within the window. */
  const isEvidence = (f: ForgedMessage, nowMs: number): boolean => {
    const own = ownSource.get(f.device);
    if (!f.remote || !own || own.remote !== f.remote || nowMs - own.at > OWN_SOURCE_MS) return false;
    if (fromOwnSource.size > MAX_TRACKED) fromOwnSource.clear();
    const times = (fromOwnSource.get(f.device) ?? []).filter((t) => nowMs - t < UNPROVEN_WINDOW_MS);
    times.push(nowMs);
    fromOwnSource.set(f.device, times.slice(-UNPROVEN_THRESHOLD));
    return times.length >= UNPROVEN_THRESHOLD;
  };

  /**
   * True when the very bytes of this refusal were quarantined before under the device: a message
   * the quarantine already showed (to everyone who may read it) proves nothing about who sends it
   * again, even under the device's own key.
   */
  const seenBefore = async (f: ForgedMessage): Promise<boolean> => {
    const entry = await deps.store.quarantine.get(f.quarantineId);
    if (!entry) return false;
    const earlier = await deps.store.quarantine.list({ device: f.device }, { limit: SEEN_BEFORE_SCAN });
    return earlier.items.some((q) => q.id < entry.id && q.raw === entry.raw);
  };

  const record = async (f: ForgedMessage): Promise<void> => {
    const nowMs = deps.now();
    if (unprovenReasons.has(f.reason) && !isEvidence(f, nowMs)) return;
    if (f.reason === 'key_revoked' && (await seenBefore(f))) return;
    const key = `${f.device}|${f.reason}`;
    if (nowMs - (lastAt.get(key) ?? -Infinity) < quietMs) return;
    if (lastAt.size > MAX_TRACKED) lastAt.clear();
    lastAt.set(key, nowMs);
    await deps.alertLock.run(async () => {
      const now = toTimestamp(nowMs);
      const movement = (await deps.store.movements.listOpenByDevice(f.device)).find((m) => isInTransitAt(m, now))?.id ?? null;
      const forged: DomainEvent & { type: 'message_forged' } = {
        id: asEventId(deps.newId()),
        type: 'message_forged',
        movement,
        device: f.device,
        time: now,
        details: {
          cause: f.reason,
          seq: f.seq,
          quarantineId: f.quarantineId,
          evidence: unprovenReasons.has(f.reason) ? 'device_source' : 'device_key',
        },
        observation: null,
        createdAt: now,
      };
      let alert;
      let incidents: Incident[] = [];
      for (let attempt = 1; ; attempt++) {
        const batch = new AlertBatch(deps.store, deps.newId, now);
        await batch.raise(forged);
        const done = await batch.finish();
        [alert] = done.alerts;
        incidents = done.incidents;
        try {
          await deps.store.processing.record([forged], [alert], incidents);
          break;
        } catch (e) {
          if (attempt < 3 && e instanceof DomainError && (e.code === 'alert_changed' || e.code === 'incident_changed')) continue;
          throw e;
        }
      }
      deps.bus.publish({ kind: 'event', data: forged });
      deps.bus.publish({ kind: 'alert', data: alert });
      for (const i of incidents) deps.bus.publish({ kind: 'incident', data: i });
    });
  };

  return {
    record,
    proven(device, remote) {
      if (!remote) return;
      if (ownSource.size > MAX_TRACKED) ownSource.clear();
      ownSource.set(device, { remote, at: deps.now() });
    },
  };
}
