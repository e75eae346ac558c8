// Pure presentation rules of the console: labels, times, alert order, marker state.

export const severities = ['critical', 'major', 'minor', 'warning'];
const severityRank = new Map(severities.map((s, i) => [s, i]));

/** "seal_opened" → "Seal opened" */
export function label(code) {
  if (!code) return '—';
  const text = String(code).replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** An alert still needs a person until it is resolved. */
export function isUnresolved(alert) {
  return alert.status !== 'resolved';
}

/** Queue order: severity (critical first), then the one waiting longest first. */
export function compareAlerts(a, b) {
  const s = (severityRank.get(a.severity) ?? 9) - (severityRank.get(b.severity) ?? 9);
  if (s !== 0) return s;
  const t = Date.parse(a.time) - Date.parse(b.time);
  return t !== 0 ? t : String(a.id).localeCompare(String(b.id));
}

/** A seal reading that means the cargo may have been reached: opened, tampered, or rope cut. */
export function isSealBroken(seal) {
  return !!seal && (seal.state === 'open' || seal.state === 'tampered' || seal.rope === 'cut');
}

/**
 * The colour class of a movement's marker: `broken` (red) for a broken seal while the
 * goods are under way or held, `alert` (amber) while it has unresolved alerts, `ok` (green)
 * in transit, `idle` (grey) otherwise: declared, arrived or ended, where an open seal is
 * the normal state (before arming, after arrival).
 */
export function markerState(movement, openAlerts) {
  const active = movement.status === 'in_transit' || movement.status === 'held';
  if (active && isSealBroken(movement.live?.seal)) return 'broken';
  if (openAlerts > 0) return 'alert';
  return active ? 'ok' : 'idle';
}

export const markerStateText = {
  broken: 'seal broken',
  alert: 'open alert',
  ok: 'on route',
  idle: 'not under way',
};

/** "12 s ago", "4 min ago", "3 h ago", "2 d ago"; "—" without a time. */
export function ago(iso, now = Date.now()) {
  if (!iso) return '—';
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return '—';
  if (s < 1) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** "03:22:52" (UTC) */
export function utcTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : d.toISOString().slice(11, 19);
}

/** "2026-11-26 03:22:52Z" */
export function utcDateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}Z`;
}

/** "closed · cut · locked" from a seal reading; "—" when unknown. */
export function sealText(seal) {
  if (!seal) return '—';
  const parts = [seal.state, seal.rope, seal.lock].filter(Boolean);
  return parts.length ? parts.join(' · ') : '—';
}

/** "87 %" or "3.91 V"; "—" when unknown. */
export function batteryText(battery) {
  if (!battery) return '—';
  if (typeof battery.level === 'number') return `${Math.round(battery.level)} %`;
  if (typeof battery.voltage === 'number') return `${battery.voltage.toFixed(2)} V`;
  return '—';
}

/** A short one-line summary of an event's or alert's details object. */
export function detailsText(details) {
  if (!details || typeof details !== 'object') return '';
  return Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .slice(0, 4)
    .map(([k, v]) => `${label(k).toLowerCase()}: ${typeof v === 'number' ? Math.round(v * 100) / 100 : v}`)
    .join(', ');
}

/** Event types that are also alert types (DESIGN §6): shown stronger in the timeline. */
export const alertTypeSet = new Set([
  'seal_opened', 'seal_tampered', 'rope_cut', 'unlock_unauthorized', 'route_deviation', 'unauthorized_stop',
  'transit_overdue', 'signal_lost', 'battery_low', 'battery_insufficient', 'sensor_out_of_range', 'gnss_anomaly',
  'device_cloned', 'checkpoint_missed', 'seal_mismatch', 'message_forged',
]);
