/**
 * The custody store port (part of `Store`): custody grants (a device handed to a party for a
 * period) and armings (a device's place on a movement). The store enforces the one invariant
 * the rules cannot see across concurrent requests: a device has at most one unreleased arming,
 * decided by a unique index inside the engine, the same on SQLite and PostgreSQL.
 */
import type {
  Arming,
  CustodyGrant,
  DeviceId,
  LendingConsent,
  LendingConsentStatus,
  Movement,
  MovementId,
  Timestamp,
} from '@sealwatch/core';
import type { Page, PageRequest } from './page';

/** What a lifecycle step does to a movement's armings: armed from its start, released at its end. */
export type ArmingChange = { arm: Timestamp } | { release: Timestamp };

export interface CustodyStore {
  /** Stores a new grant (its id is new). */
  addGrant(g: CustodyGrant): Promise<void>;
  getGrant(id: string): Promise<CustodyGrant | null>;
  /** A device's grants, oldest first (by start, then id). */
  grants(device: DeviceId): Promise<CustodyGrant[]>;
  /** Ends an open grant at `to`; false if it is unknown or already ended. */
  endGrant(id: string, to: Timestamp): Promise<boolean>;
  /**
   * Claims every device for the movement, all or none. Throws DomainError('device_on_movement',
   * { device, movement }) naming a device already on another movement that is not released.
   */
  claim(movement: MovementId, devices: readonly DeviceId[]): Promise<void>;
  /**
   * Declares a movement: claims its devices (as `claim`) and stores it (as `MovementStore.create`)
   * in one transaction, so a crash leaves neither a claim without its movement nor a movement
   * without its claims. Throws device_on_movement or movement_exists, and then stores nothing.
   */
  declare(movement: Movement): Promise<void>;
  /**
   * Stores a lifecycle step of a movement (as `MovementStore.update`) and, in the same transaction,
   * arms its devices from the recorded start or releases them at the recorded end.
   */
  recordStep(movement: Movement, armings: ArmingChange | null): Promise<void>;
  /** The movement's armings start at `from` (its recorded departure). */
  arm(movement: MovementId, from: Timestamp): Promise<void>;
  /** The movement's armings end at `to` (its recorded end) and release their devices. */
  release(movement: MovementId, to: Timestamp): Promise<void>;
  /** A device's armings, by start (claims not started last). */
  armings(device: DeviceId): Promise<Arming[]>;
  /**
   * Withdraws the movement's claims on `devices` that were never armed (the trader refused to lend
   * them): released, with no period, so the device is free again and no time is attributed.
   */
  withdrawClaims(movement: MovementId, devices: readonly DeviceId[]): Promise<void>;

  /** Stores a consent; for a movement's request, the one already stored for it wins and is returned. */
  addConsent(c: LendingConsent): Promise<LendingConsent>;
  getConsent(id: string): Promise<LendingConsent | null>;
  /** The request a movement's declaration raised, or null. */
  consentForMovement(movement: MovementId): Promise<LendingConsent | null>;
  /** The standing consents (no movement) of a trader to an administration, any status. */
  standingConsents(trader: string, administration: string): Promise<LendingConsent[]>;
  /**
   * Consents by id, filtered before paging: `party` matches the trader or the administration
   * (absent: all), `status` and `movement` exact.
   */
  listConsents(
    filter: { party?: string; status?: LendingConsentStatus; movement?: MovementId },
    page: PageRequest,
  ): Promise<Page<LendingConsent>>;
  /**
   * Moves a consent from one of `from` to `to` (recording who and when, and for a withdrawal its end
   * `validTo`), atomically: false when its status was no longer one of `from`.
   */
  decideConsent(
    id: string,
    from: readonly LendingConsentStatus[],
    to: LendingConsentStatus,
    at: Timestamp,
    by: string,
    validTo?: Timestamp,
  ): Promise<boolean>;
}
