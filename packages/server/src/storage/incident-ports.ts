/**
 * The incident store port (part of `Store`): incidents (core/incidents) and per-movement mutes.
 * Incidents are written with the alerts they group, in the processing store's transactions
 * (`ProcessingEffects.incidents`, `record`'s third argument), and by operators' actions (`save`).
 */
import type { Incident, IncidentId, IncidentStatus, MovementId, MovementMute, Timestamp } from '@sealwatch/core';
import type { Page, PageRequest } from './page';
import type { MovementVisibility } from './visibility';

export interface IncidentFilter {
  movement?: MovementId;
  status?: IncidentStatus;
  /** Only incidents of movements in this scope. */
  visibleTo?: MovementVisibility;
}

export interface IncidentStore {
  get(id: IncidentId): Promise<Incident | null>;
  /** Newest change first (by updatedAt, then id). */
  list(filter: IncidentFilter, page: PageRequest): Promise<Page<Incident>>;
  /** The movement's open incidents, oldest first (by openedAt, then id). */
  openOf(movement: MovementId): Promise<Incident[]>;
  /**
   * Writes an incident change over the revision it was made from (revision 1 inserts, n updates
   * the stored n-1); throws DomainError('incident_changed') when another writer got there first.
   */
  save(incident: Incident): Promise<void>;
  /** The organisation's mute of the movement (ended or not), or null. */
  getMute(movement: MovementId, organisation: string): Promise<MovementMute | null>;
  /** Sets (replaces) the organisation's mute of the movement; other organisations' mutes stay. */
  setMute(mute: MovementMute): Promise<void>;
  /** Removes the organisation's mute of the movement; false when it had none. */
  removeMute(movement: MovementId, organisation: string): Promise<boolean>;
  /** Mutes still holding at `at` (until later than it), of one organisation when given, by until, movement, organisation. */
  activeMutes(at: Timestamp, organisation?: string): Promise<MovementMute[]>;
}
