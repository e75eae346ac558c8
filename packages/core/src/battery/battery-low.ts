/**
 * Low battery: the first reading at or below the threshold after one above it (or the first
 * reading of all) is a battery_low fact. A forecast from the discharge rate (battery_insufficient)
 * builds on the same readings later.
 */

/** Battery level, %, at or below which a device in transit raises battery_low. */
export const DEFAULT_BATTERY_LOW_PERCENT = 20;

/** True when `level` crosses to or below the threshold from `previous` (null: nothing known before). */
export function crossesBatteryLow(
  previous: number | null | undefined,
  level: number | null | undefined,
  thresholdPercent = DEFAULT_BATTERY_LOW_PERCENT,
): boolean {
  if (level === null || level === undefined) return false;
  if (level > thresholdPercent) return false;
  return previous === null || previous === undefined || previous > thresholdPercent;
}
