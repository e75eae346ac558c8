/**
 * Lending consent: a trader's devices are lent to a customs administration only with the trader's
 * consent. Custody lets an administration declare a movement with the devices of the movement's
 * trader; the trader confirms that use, either per declaration (a request the declaration raises,
 * confirmed or refused by the trader) or beforehand for an administration and a period (a standing
 * consent, optionally for named devices). Until then the movement cannot start with those devices.
 * Pure: the caller loads grants and consents.
 */
import { DomainError } from '../errors';
import type { DeviceId, MovementId, Timestamp } from '../ids';
import { holdsCustody, type CustodyGrant } from './custody';

export const lendingConsentStatuses = ['requested', 'confirmed', 'refused', 'withdrawn'] as const;
export type LendingConsentStatus = (typeof lendingConsentStatuses)[number];

/**
 * A trader's consent to lend the devices it holds to an administration. With `movement`: the
 * request one declaration raised, for `devices` (the trader's devices on it), `requested` until the
 * trader confirms or refuses it. Without: a standing consent, `confirmed` from `from` until `to`
 * (null: until withdrawn), for `devices` or, when null, every device the trader holds.
 */
export interface LendingConsent {
  id: string;
  /** The trader organisation that holds the devices and consents. */
  trader: string;
  /** The organisation the devices are lent to (a customs administration). */
  administration: string;
  movement: MovementId | null;
  devices: DeviceId[] | null;
  status: LendingConsentStatus;
  from: Timestamp;
  to: Timestamp | null;
  createdAt: Timestamp;
  /** A user id, or `admin`. */
  createdBy: string;
  decidedAt: Timestamp | null;
  decidedBy: string | null;
}

/**
 * The devices of a movement that `actor` would use only through the trader's custody at `at`:
 * held by `trader` and not by `actor` itself. These need the trader's consent.
 */
export function lentDevices(
  devices: readonly DeviceId[],
  grantsOf: ReadonlyMap<DeviceId, readonly CustodyGrant[]>,
  actor: string,
  trader: string | null,
  at: Timestamp,
): DeviceId[] {
  if (!trader || trader === actor) return [];
  return devices.filter((d) => {
    const grants = grantsOf.get(d) ?? [];
    return !holdsCustody(grants, actor, at) && holdsCustody(grants, trader, at);
  });
}

/** True when a standing consent of `trader` to `administration` covers `device` at `at`. */
export function standingConsentCovers(c: LendingConsent, trader: string, administration: string, device: DeviceId, at: Timestamp): boolean {
  return (
    c.movement === null &&
    c.status === 'confirmed' &&
    c.trader === trader &&
    c.administration === administration &&
    c.from <= at &&
    (c.to === null || at < c.to) &&
    (c.devices === null || c.devices.includes(device))
  );
}

/**
 * Throws unless every lent device of `movement` is consented: by the movement's request, confirmed
 * (lending_refused when the trader refused it), or by a standing consent of the trader to
 * `administration` valid at `at` (lending_not_confirmed otherwise, naming the devices and the request).
 */
export function assertLendingConsented(f: {
  movement: MovementId;
  trader: string;
  administration: string;
  lent: readonly DeviceId[];
  request: LendingConsent | null;
  standing: readonly LendingConsent[];
  at: Timestamp;
}): void {
  const missing = f.lent.filter(
    (d) =>
      !(f.request?.status === 'confirmed' && (f.request.devices ?? []).includes(d)) &&
      !f.standing.some((c) => standingConsentCovers(c, f.trader, f.administration, d, f.at)),
  );
  if (missing.length === 0) return;
  const details = { devices: missing, trader: f.trader, ...(f.request ? { consent: f.request.id } : {}) };
  if (f.request?.status === 'refused') {
    throw new DomainError(
      'lending_refused',
      `trader ${f.trader} refused to lend ${missing.join(', ')} for movement ${f.movement}`,
      details,
    );
  }
  throw new DomainError(
    'lending_not_confirmed',
    `trader ${f.trader} has not confirmed lending ${missing.join(', ')} for movement ${f.movement}: it confirms the request, or consents beforehand`,
    details,
  );
}

/** Throws `invalid_time` for a standing consent whose end is not after its start. */
export function assertConsentPeriod(from: Timestamp, to: Timestamp | null): void {
  if (to !== null && to <= from)
    throw new DomainError('invalid_time', `a consent must end after it starts (${from} → ${to})`, { from, to });
}
