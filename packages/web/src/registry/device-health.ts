/**
 * A device's health as a device provider reads it: never heard from, silent (no message for more
 * than three report intervals, the platform's signal-loss rule), battery low, or fine.
 */
export type DeviceHealth = 'never_seen' | 'silent' | 'battery_low' | 'ok';

/** Below this battery level (%) a device should be charged or swapped before its next trip. */
export const LOW_BATTERY_PCT = 20;
/** Silence allowed for a device without a declared report interval. */
const DEFAULT_SILENCE_MS = 3_600_000;

export function deviceHealth(
  d: { lastSeenAt: string | null; reportIntervalS?: number | null; battery?: { level?: number } | null },
  now: number,
): DeviceHealth {
  if (!d.lastSeenAt) return 'never_seen';
  const allowed = d.reportIntervalS ? 3 * d.reportIntervalS * 1000 : DEFAULT_SILENCE_MS;
  if (now - Date.parse(d.lastSeenAt) > allowed) return 'silent';
  if (typeof d.battery?.level === 'number' && d.battery.level < LOW_BATTERY_PCT) return 'battery_low';
  return 'ok';
}

/** How many devices are in each state. */
export function healthCounts(devices: Parameters<typeof deviceHealth>[0][], now: number): Record<DeviceHealth, number> {
  const out: Record<DeviceHealth, number> = { never_seen: 0, silent: 0, battery_low: 0, ok: 0 };
  for (const d of devices) out[deviceHealth(d, now)]++;
  return out;
}
