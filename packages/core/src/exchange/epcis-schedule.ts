/**
 * EPCIS query schedules (EPCIS §8.2.5.3, the REST binding's `schedule` of a subscription): each
 * field (second, minute, hour, dayOfMonth, month, dayOfWeek) is `Element ("," Element)*` with an
 * Element a number or a range `[a-b]`; a time matches when every given field matches, an omitted
 * field matches any value. Times are taken in UTC (the standard lets the service choose the zone).
 */

export const scheduleFields = {
  second: [0, 59],
  minute: [0, 59],
  hour: [0, 23],
  dayOfMonth: [1, 31],
  month: [1, 12],
  /** 1 Monday … 7 Sunday. */
  dayOfWeek: [1, 7],
} as const;
export type ScheduleField = keyof typeof scheduleFields;
export type EpcisSchedule = Partial<Record<ScheduleField, string>>;

const ELEMENT = /^(\d+)$|^\[(\d+)-(\d+)\]$/;

/**
 * Why the schedule is not one the standard allows (a SubscriptionControlsException), or null:
 * a field off the grammar, a number outside its field's range, a range whose first number is the greater.
 */
export function scheduleError(s: EpcisSchedule): string | null {
  for (const [name, value] of Object.entries(s)) {
    const range = scheduleFields[name as ScheduleField];
    if (!range) return `schedule.${name} is not a schedule field`;
    if (typeof value !== 'string') return `schedule.${name} must be a string`;
    for (const el of value.split(',')) {
      const m = ELEMENT.exec(el.trim());
      if (!m) return `schedule.${name}: "${el}" is neither a number nor a range [a-b]`;
      const [lo, hi] = m[1] !== undefined ? [Number(m[1]), Number(m[1])] : [Number(m[2]), Number(m[3])];
      if (lo > hi) return `schedule.${name}: range ${el} runs backwards`;
      if (lo < range[0] || hi > range[1]) return `schedule.${name}: ${el} is outside ${range[0]}–${range[1]}`;
    }
  }
  return null;
}

const fieldMatches = (value: string | undefined, n: number) =>
  value === undefined ||
  value.split(',').some((el) => {
    const m = ELEMENT.exec(el.trim());
    if (!m) return false;
    return m[1] !== undefined ? Number(m[1]) === n : Number(m[2]) <= n && n <= Number(m[3]);
  });

/** Whether the second starting at `ms` (Unix milliseconds) is a query time of the schedule (UTC). */
export function scheduleMatches(s: EpcisSchedule, ms: number): boolean {
  const d = new Date(ms);
  return (
    fieldMatches(s.second, d.getUTCSeconds()) &&
    fieldMatches(s.minute, d.getUTCMinutes()) &&
    fieldMatches(s.hour, d.getUTCHours()) &&
    fieldMatches(s.dayOfMonth, d.getUTCDate()) &&
    fieldMatches(s.month, d.getUTCMonth() + 1) &&
    fieldMatches(s.dayOfWeek, ((d.getUTCDay() + 6) % 7) + 1)
  );
}

/**
 * The latest query time in (`afterMs`, `untilMs`], to the second, or null. Looks back at most
 * `maxLookbackS` seconds (default one day): a subscription that missed runs while the server was
 * down gets one report covering everything since its last one, not one per missed time.
 */
export function lastScheduledTime(s: EpcisSchedule, afterMs: number, untilMs: number, maxLookbackS = 86_400): number | null {
  const first = Math.max(Math.floor(afterMs / 1000) + 1, Math.floor(untilMs / 1000) - maxLookbackS);
  for (let sec = Math.floor(untilMs / 1000); sec >= first; sec--) if (scheduleMatches(s, sec * 1000)) return sec * 1000;
  return null;
}
