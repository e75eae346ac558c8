/** Pure presentation rules for movements and alerts: marker state, seal wording, queue order. */
import { isSealBroken } from '@sealwatch/core/seals/seal-transitions';
import type { Alert, Movement, Seal } from '../api/types';

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
 * The colour of a movement: `broken` (red) for a broken seal while under way or held, `alert`
 * (amber) with unresolved alerts, `ok` (green) in transit, `idle` (grey) otherwise: declared,
 * arrived or ended, where an open seal is normal (before arming, after arrival).
 */
export function markerState(m: Pick<Movement, 'status' | 'live'>, openAlerts: number): MarkerState {
  const active = m.status === 'in_transit' || m.status === 'held';
  if (active && isSealBroken(m.live?.seal)) return 'broken';
  if (openAlerts > 0) return 'alert';
  return active ? 'ok' : 'idle';
}

/** "tampered · inserted · locked" */
export function sealText(seal: Seal | null | undefined): string {
  if (!seal) return '—';
  const parts = [seal.state, seal.rope, seal.lock].filter(Boolean);
  return parts.length ? parts.join(' · ') : '—';
}
