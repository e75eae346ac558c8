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
