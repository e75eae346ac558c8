/**
 * A person's own notification settings: which incidents reach them by e-mail (codes, the lowest
 * severity, quiet hours in their time zone when only serious ones get through), and the e-mails
 * sent to them lately. Only a signed-in user has settings; what they receive never exceeds what
 * their scope shows (the dispatcher checks each incident's movement against it).
 */
import { z } from 'zod';
import { DomainError, incidentCodes, toTimestamp, type NotificationPrefs, type Principal } from '@sealwatch/core';
import type { AppContext } from '../../app-context';
import type { Api } from '../route';

const severity = z.enum(['critical', 'major', 'minor', 'warning']);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM on a 24-hour clock');
const timeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone, e.g. Africa/Nairobi');

const prefsIn = z
  .object({
    email: z.string().email().max(254).nullable(),
    codes: z.array(z.enum(incidentCodes)).min(1).max(incidentCodes.length).nullable().default(null),
    minSeverity: severity.default('warning'),
    quietHours: z
      .object({ from: clock, to: clock, timeZone, minSeverity: severity.default('critical') })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();

const prefsOut = z.object({
  email: z.string().nullable(),
  codes: z.array(z.string()).nullable().describe('null: every incident code'),
  minSeverity: severity,
  quietHours: z.object({ from: z.string(), to: z.string(), timeZone: z.string(), minSeverity: severity }).nullable(),
  updatedAt: z.string().nullable(),
});

const outboxOut = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      subject: z.string(),
      to: z.string(),
      status: z.enum(['pending', 'sent', 'failed']),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});

/** Settings belong to a person: the installation's admin token has none. */
function userOf(p: Principal): string {
  if (p.id === 'admin') throw new DomainError('not_a_user', 'the admin token has no notification settings; sign in as a user');
  return p.id;
}

export function notificationRoutes(api: Api, ctx: AppContext): void {
  const { store } = ctx;
  const tag = 'notifications';

  api.route({
    method: 'GET',
    url: '/api/v1/me/notifications',
    operationId: 'getMyNotifications',
    tag,
    auth: 'user',
    permission: 'alerts.read',
    summary: 'Your notification settings (defaults when you have set none: no e-mail)',
    responses: { 200: { description: 'The settings', schema: prefsOut } },
    handler: async ({ principal }) => {
      const p = await store.notifications.getPrefs(userOf(principal));
      return p ?? { email: null, codes: null, minSeverity: 'warning', quietHours: null, updatedAt: null };
    },
  });

  api.route({
    method: 'PUT',
    url: '/api/v1/me/notifications',
    operationId: 'setMyNotifications',
    tag,
    auth: 'user',
    permission: 'alerts.read',
    summary:
      'Set which incidents reach you by e-mail: their codes (null: all), the lowest severity, and quiet hours in your time zone during which only incidents at or above their own severity are sent',
    body: prefsIn,
    responses: { 200: { description: 'The settings stored', schema: prefsOut }, 422: { description: 'not_a_user' } },
    handler: async ({ principal, body }) => {
      const prefs: NotificationPrefs = { user: userOf(principal), ...body, updatedAt: toTimestamp(ctx.now()) };
      await store.notifications.setPrefs(prefs);
      return prefs;
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/me/notifications/outbox',
    operationId: 'listMyEmails',
    tag,
    auth: 'user',
    permission: 'alerts.read',
    summary: 'The last 50 e-mails sent or queued to you, newest first, with the SMTP error of the last attempt',
    responses: { 200: { description: 'The e-mails', schema: outboxOut } },
    handler: async ({ principal }) => ({
      items: (await store.notifications.recent(userOf(principal), 50)).map((e) => ({
        id: e.id,
        subject: e.subject,
        to: e.to,
        status: e.status,
        attempts: e.attempts.length,
        lastError: e.attempts.at(-1)?.error ?? null,
        createdAt: e.createdAt,
      })),
    }),
  });
}
