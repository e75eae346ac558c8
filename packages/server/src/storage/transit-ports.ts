/**
 * The transit store port (part of `Store`): what each movement's last transit evaluation found,
 * kept so the next evaluation can tell new findings from known ones (transit/transit-monitor.ts),
 * and read by the trip report (data gaps are its signal_lost episodes).
 */
import type { MovementId, Timestamp } from '@sealwatch/core';

/** One finding of a detector: an episode (a period) or a fact (an instant). */
export interface StoredTransitFinding {
  kind: 'episode' | 'fact';
  type: string;
  /** What tells findings of one type apart: device, office, reader, sensor, level ('' when none). */
  subject: string;
  /** The device of the movement it concerns, if one. */
  device: string | null;
  /** Episode start, or the fact's time. */
  start: Timestamp;
  /** Episode end (null while ongoing); always null for a fact. */
  end: Timestamp | null;
  details: Record<string, unknown>;
}

/** A movement's findings as its last evaluation left them. */
export interface TransitEvaluation {
  movement: MovementId;
  evaluatedAt: Timestamp;
  /** In the order they were saved. */
  findings: StoredTransitFinding[];
}

export interface TransitStore {
  /** The movement's last evaluation, or null if it was never evaluated. */
  get(movement: MovementId): Promise<TransitEvaluation | null>;
  /** Replaces the movement's findings and evaluation time in one transaction. */
  replace(evaluation: TransitEvaluation): Promise<void>;
}
