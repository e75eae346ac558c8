/**
 * Which incidents reach a person outside the console, by e-mail: each user says which incident
 * codes they want, from which severity, and when their quiet hours are (in their own time zone),
 * during which only incidents at or above a higher severity get through. An incident is sent to a
 * user when it opens (and to its assignee when it is assigned to them), never twice for one change.
 * Pure: the dispatcher loads the users, their scope and the movement's mute, and asks here.
 */
import { severityRank } from '../alerts/alert-rules';
import type { Timestamp } from '../ids';
import type { Incident, IncidentCode } from '../incidents/incident';
import type { Severity } from '../model';

/** A time of day, `HH:MM` on a 24-hour clock. */
export type ClockTime = string;

export interface NotificationPrefs {
  /** The user they belong to. */
  user: string;
  /** Where e-mails go; null: no e-mail. */
  email: string | null;
  /** The incident codes wanted; null: every code. */
  codes: IncidentCode[] | null;
  /** The lowest severity that is sent at all. */
  minSeverity: Severity;
  /**
   * Quiet hours in the user's time zone (IANA name, e.g. `Africa/Nairobi`): from `from` to `to`
   * (across midnight when `to` is earlier), only incidents at or above `minSeverity` are sent.
   */
  quietHours: { from: ClockTime; to: ClockTime; timeZone: string; minSeverity: Severity } | null;
  updatedAt: Timestamp;
}

/** Why an incident change is worth telling someone: it opened, or it was assigned to them. */
export type NotifiedChange = { kind: 'opened' } | { kind: 'assigned'; assignee: string };

/** What the incident's last change was, if it is one people are told about. */
export function notifiedChange(i: Incident): NotifiedChange | null {
  const last = i.history.at(-1);
  if (!last) return null;
  if (last.action === 'opened' && i.revision === 1) return { kind: 'opened' };
  if (last.action === 'assigned' && last.assignee) return { kind: 'assigned', assignee: last.assignee };
  return null;
}

/** True when `severity` is at least as serious as `floor`. */
const atLeast = (severity: Severity, floor: Severity) => severityRank[severity] <= severityRank[floor];

/** Minutes since midnight of `at` on the wall clock of `timeZone`. */
export function minutesOfDay(at: Timestamp, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(
    new Date(at),
  );
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

const clockMinutes = (t: ClockTime) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** Whether `at` falls in the quiet hours (from inclusive, to exclusive; across midnight when to < from). */
export function inQuietHours(q: NonNullable<NotificationPrefs['quietHours']>, at: Timestamp): boolean {
  const now = minutesOfDay(at, q.timeZone);
  const from = clockMinutes(q.from);
  const to = clockMinutes(q.to);
  if (from === to) return false;
  return from < to ? now >= from && now < to : now >= from || now < to;
}

/** Whether an incident change goes to this user by e-mail at `at` (the user may see the movement: the caller checked). */
export function wantsEmail(p: NotificationPrefs, i: Pick<Incident, 'code' | 'severity'>, change: NotifiedChange, at: Timestamp): boolean {
  if (!p.email) return false;
  // Being made responsible for an incident is always worth a message, whatever its code.
  if (change.kind === 'assigned') return change.assignee === p.user;
  if (p.codes && !p.codes.includes(i.code)) return false;
  if (!atLeast(i.severity, p.minSeverity)) return false;
  if (p.quietHours && inQuietHours(p.quietHours, at) && !atLeast(i.severity, p.quietHours.minSeverity)) return false;
  return true;
}

/** The plain-text e-mail for an incident change; `link` opens the incident in the console when the public URL is known. */
export function incidentEmail(i: Incident, change: NotifiedChange, link: string | null): { subject: string; text: string } {
  const what = i.code.replace(/_/g, ' ');
  const subject =
    change.kind === 'assigned'
      ? `[Sealwatch] Assigned to you: ${what} on ${i.container ?? i.movement}`
      : `[Sealwatch] ${i.severity.toUpperCase()}: ${what} on ${i.container ?? i.movement}`;
  const lines = [
    change.kind === 'assigned' ? `An incident was assigned to you.` : `A new incident was opened.`,
    '',
    `Incident:  ${i.id} (${what}, ${i.severity})`,
    `Movement:  ${i.movement}`,
    `Container: ${i.container ?? '—'}`,
    `Seals:     ${i.seals.length ? i.seals.join(', ') : '—'}`,
    `Happened:  ${i.openedAt}`,
    `Where:     ${i.position ? `${i.position.lat.toFixed(5)}, ${i.position.lon.toFixed(5)}` : 'no position'}`,
    `Alerts:    ${i.types.join(', ')}`,
    ...(link ? ['', `Open it: ${link}`] : []),
    '',
    'You receive this because of your notification settings in Sealwatch.',
  ];
  return { subject, text: lines.join('\n') };
}
