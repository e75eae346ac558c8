/**
 * Which of a device's keys a message is checked with (docs/native-protocol.md). `kid` is
 * the device id (DESIGN §5), not a key id, so every key of the device with the header's
 * algorithm is a candidate: the usable ones (active or retiring, inside validFrom..validUntil on
 * the server clock) decide acceptance; the newest revoked or expired ones are tried after them
 * only to name the rejection (`key_revoked`, `key_expired`) instead of `bad_signature`.
 * At most 3 usable + 2 unusable keys: a forged message costs at most 5 verifications.
 */
import type { DeviceKey, RejectReason } from '@sealwatch/core';
import type { DeviceKeyStatus } from '../storage/device-key-ports';

/** A device key as ingest holds it: material opened (an HS256 secret in memory only), times in ms. */
export interface IngestKey {
  keyId: string;
  /** Device + key id + material fingerprint: names the imported key in verification caches. */
  cacheId: string;
  status: DeviceKeyStatus;
  validFromMs: number;
  validUntilMs: number | null;
  key: DeviceKey;
}

/** What a verified signature under a candidate key means. */
export type KeyOutcome = 'accept' | Extract<RejectReason, 'key_revoked' | 'key_expired'>;
export interface Candidate {
  key: IngestKey;
  outcome: KeyOutcome;
}

const MAX_USABLE = 3;
const MAX_UNUSABLE = 2;

/** Usable now: not revoked, and `receivedMs` inside its validity. */
export const isUsable = (k: IngestKey, receivedMs: number) =>
  k.status !== 'revoked' && k.validFromMs <= receivedMs && (k.validUntilMs === null || receivedMs < k.validUntilMs);

/**
 * The keys to try, in order, for a message whose header names `alg`; null when the device has
 * no key of that algorithm at all (`algorithm_not_allowed`: no alg:none, no HS256 made of a
 * public key, since an algorithm is only ever used with a key registered for it).
 */
export function candidateKeys(keys: IngestKey[], alg: string, receivedMs: number): Candidate[] | null {
  const same = keys.filter((k) => k.key.alg === alg);
  if (!same.length) return null;
  const newestFirst = [...same].reverse();
  const usable = newestFirst.filter((k) => isUsable(k, receivedMs)).slice(0, MAX_USABLE);
  const unusable = newestFirst
    .filter((k) => !isUsable(k, receivedMs) && (k.status === 'revoked' || (k.validUntilMs !== null && receivedMs >= k.validUntilMs)))
    .slice(0, MAX_UNUSABLE);
  return [
    ...usable.map((key) => ({ key, outcome: 'accept' as const })),
    ...unusable.map((key) => ({ key, outcome: key.status === 'revoked' ? ('key_revoked' as const) : ('key_expired' as const) })),
  ];
}

/** The outcome of the first candidate whose signature verified; `bad_signature` when none did. */
export function judgeCandidates(
  candidates: Candidate[],
  verdicts: boolean[],
): { outcome: KeyOutcome | 'bad_signature'; key: IngestKey | null } {
  const i = verdicts.findIndex(Boolean);
  return i < 0 ? { outcome: 'bad_signature', key: null } : { outcome: candidates[i].outcome, key: candidates[i].key };
}
