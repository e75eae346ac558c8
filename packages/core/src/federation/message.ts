/**
 * The federation message (DESIGN §8): a JWS compact, EdDSA, `kid` = `<administration>/<key id>`,
 * over `{"id","type","from","to","movement","time","body"}`. `movement` is always the id at the
 * movement's origin, so both sides name it the same way.
 */

export const federationMessageTypes = [
  'anticipated_arrival',
  'border_crossed',
  'position',
  'incident',
  'arrived',
  'control_results',
  // An extension of DESIGN §8's list: the movement ended at its origin (docs/federation.md).
  'ended',
] as const;
export type FederationMessageType = (typeof federationMessageTypes)[number];

/** Sent by the origin of a movement, or back to it by the partner that received it. */
export const sentBackToOrigin: readonly FederationMessageType[] = ['arrived', 'control_results'];

export interface FederationMessage {
  id: string;
  type: FederationMessageType;
  /** The sender's administration id. */
  from: string;
  /** The receiver's administration id. */
  to: string;
  /** The movement's id at its origin. */
  movement: string;
  time: string;
  body: Record<string, unknown>;
}

/**
 * `ended`: the origin tells each partner it announced a movement to that the movement no longer
 * runs there: arrived (wherever that was recorded), ended, or cancelled. The partner's copy ends
 * then, and its retention counts from `time`. `cancelled` is for implementations whose lifecycle
 * can cancel a movement under way; Sealwatch's sends `arrived` and `ended`.
 */
export const endedStatuses = ['arrived', 'ended', 'cancelled'] as const;
export interface EndedBody {
  time: string;
  status: (typeof endedStatuses)[number];
}

/** NCTS control result codes (A1 satisfactory … B1 not satisfactory). */
export const controlResultCodes = ['A1', 'A2', 'A3', 'A4', 'A5', 'B1'] as const;
export type ControlResultCode = (typeof controlResultCodes)[number];

export interface ControlResults {
  result: ControlResultCode;
  stateOfSeals: 'ok' | 'not_ok';
  comment?: string;
  time: string;
}

/** `<administration>/<key id>`. */
export const federationKid = (administration: string, keyId: string) => `${administration}/${keyId}`;

/** The administration and key id of a kid, or null when it is not of that form. */
export function parseFederationKid(kid: unknown): { administration: string; keyId: string } | null {
  if (typeof kid !== 'string') return null;
  const slash = kid.indexOf('/');
  if (slash <= 0 || slash === kid.length - 1) return null;
  return { administration: kid.slice(0, slash), keyId: kid.slice(slash + 1) };
}

/** Retry delay after `attempts` failed deliveries: 5 s doubling to at most one hour, so a day's outage costs a few dozen tries. */
export function federationRetryDelayMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/**
 * The device a partner's shared readings are stored under at the receiver: one feed per copied
 * movement, so the receiver's track and transit detectors read them like any device's.
 */
export const sharedFeedDevice = (partner: string, movement: string) => `federation:${partner}:${movement}`;
