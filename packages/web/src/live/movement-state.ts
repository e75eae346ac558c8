/** Pure presentation rules for movements and alerts: marker state, seal wording, queue order. */
import { isSealBroken } from '@sealwatch/core/seals/seal-transitions';
import { incidentCodeOf } from '@sealwatch/core/incidents/incident';
import type { Alert, Incident, Movement, Seal } from '../api/types';

// The seal rule is the domain's (open, rope removed or cut, tampered = broken), shared with the server.
export { isSealBroken, sealRank, worstSeal } from '@sealwatch/core/seals/seal-transitions';

export const severities = ['critical', 'major', 'minor', 'warning'] as const;
const severityRank = new Map<string, number>(severities.map((s, i) => [s, i]));

export type MarkerState = 'broken' | 'alert' | 'ok' | 'idle';

export const isUnresolved = (a: Pick<Alert, 'status'>) => a.status !== 'resolved';

/** Queue order: severity (critical first), then the one waiting longest first. */
export function compareAlerts(a: Alert, b: Alert): number {
  const s = (severityRank.get(a.severity) ?? 9) - (severityRank.get(b.severity) ?? 9);
  if (s !== 0) return s;
  const t = Date.parse(a.time) - Date.parse(b.time);
  return t !== 0 ? t : a.id.localeCompare(b.id);
}

/**
 * True when an operator confirmed a broken seal on the movement: a seal incident closed, or a
 * seal alert resolved, as `confirmed`. The seal stays broken for the record whatever the lock
 * reports afterwards (a seal closed again after a tamper is not intact).
 */
export function confirmedSealBreak(items: Iterable<Pick<Alert, 'type' | 'outcome'> | Pick<Incident, 'code' | 'outcome'>>): boolean {
  for (const x of items) {
    const code = 'code' in x ? x.code : incidentCodeOf[x.type as keyof typeof incidentCodeOf];
    if (code === 'seal_broken' && x.outcome === 'confirmed') return true;
  }
  return false;
}

/**
 * The colour of a movement: `broken` (red) for a broken seal while under way or held, or a seal
 * break an operator confirmed (at any status); `alert` (amber) with unresolved alerts, `ok`
 * (green) in transit, `idle` (grey) otherwise: declared, arrived or ended, where an open seal is
 * normal (before arming, after arrival).
 */
export function markerState(m: Pick<Movement, 'status' | 'live'>, openAlerts: number, confirmedBreak = false): MarkerState {
  const active = m.status === 'in_transit' || m.status === 'held';
  if (confirmedBreak || (active && isSealBroken(m.live?.seal))) return 'broken';
  if (openAlerts > 0) return 'alert';
  return active ? 'ok' : 'idle';
}

/** "tampered · inserted · locked" */
export function sealText(seal: Seal | null | undefined): string {
  if (!seal) return '—';
  const parts = [seal.state, seal.rope, seal.lock].filter(Boolean);
  return parts.length ? parts.join(' · ') : '—';
}
