/**
 * The signed-in person's own notification settings (GET/PUT /api/v1/me/notifications): the address
 * incidents are e-mailed to, which kinds and from which severity, and quiet hours in their time
 * zone during which only the serious ones are sent; and the e-mails sent to them lately.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { incidentCodes } from '@sealwatch/core/incidents/incident';
import { request } from '../api/client';
import type { MessageKey } from '../i18n/i18n';
import { useI18n } from '../i18n/i18n-context';
import { useNotices } from '../ui/notices';
import '../ui/screens.css';

const severities = ['critical', 'major', 'minor', 'warning'] as const;
type Severity = (typeof severities)[number];
interface Prefs {
  email: string | null;
  codes: string[] | null;
  minSeverity: Severity;
  quietHours: { from: string; to: string; timeZone: string; minSeverity: Severity } | null;
}
interface Sent {
  id: string;
  subject: string;
  to: string;
  status: 'pending' | 'sent' | 'failed';
  createdAt: string;
}

// A 24-hour HH:MM text field: the browser's time picker follows its own locale (09:30 PM in en-US).
const clockField = { type: 'text', inputMode: 'numeric', pattern: '([01][0-9]|2[0-3]):[0-5][0-9]', maxLength: 5, size: 5 } as const;

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function NotificationsPage() {
  const { t, dateTime } = useI18n();
  const { toast } = useNotices();
  const [prefs, setPrefs] = useState<Prefs | null>(null);
  const [outbox, setOutbox] = useState<Sent[]>([]);
  useEffect(() => {
    request<Prefs>('GET', '/api/v1/me/notifications').then(setPrefs, (e: Error) =>
      toast(t('common.error', { detail: e.message }), 'error'),
    );
    request<{ items: Sent[] }>('GET', '/api/v1/me/notifications/outbox').then(
      (r) => setOutbox(r.items),
      () => undefined,
    );
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  if (!prefs) return <main className="page">{t('common.loading')}</main>;

  const chosen = new Set(prefs.codes ?? incidentCodes);
  const handleCode = (code: string, on: boolean) => {
    const next = incidentCodes.filter((c) => (c === code ? on : chosen.has(c)));
    // every kind ticked is stored as "all", so kinds added later reach the person too
    setPrefs({ ...prefs, codes: next.length === incidentCodes.length ? null : next });
  };
  const handleSave = async (e: FormEvent) => {
    e.preventDefault();
    if (prefs.codes?.length === 0) return toast(t('notify.pickKind'), 'error');
    try {
      const body = { email: prefs.email?.trim() || null, codes: prefs.codes, minSeverity: prefs.minSeverity, quietHours: prefs.quietHours };
      setPrefs(await request<Prefs>('PUT', '/api/v1/me/notifications', body));
      toast(t('notify.saved'));
    } catch (err) {
      toast(t('common.error', { detail: (err as Error).message }), 'error');
    }
  };
  const severityOptions = severities.map((s) => (
    <option key={s} value={s}>
      {t(`severity.${s}` as MessageKey)}
    </option>
  ));
  const quiet = prefs.quietHours;

  return (
    <main className="page" aria-labelledby="notify-heading">
      <h1 id="notify-heading">{t('notify.heading')}</h1>
      <p className="note">{t('notify.intro')}</p>
      <form className="card form" onSubmit={(e) => void handleSave(e)} aria-labelledby="notify-heading">
        <label>
          {t('notify.email')}
          <input type="email" dir="ltr" value={prefs.email ?? ''} onChange={(e) => setPrefs({ ...prefs, email: e.target.value })} />
        </label>
        <fieldset>
          <legend>{t('notify.kinds')}</legend>
          {incidentCodes.map((c) => (
            <label key={c} className="check">
              <input type="checkbox" checked={chosen.has(c)} onChange={(e) => handleCode(c, e.target.checked)} />{' '}
              {t(`incident.code.${c}` as MessageKey)}
            </label>
          ))}
        </fieldset>
        <label>
          {t('notify.minSeverity')}
          <select value={prefs.minSeverity} onChange={(e) => setPrefs({ ...prefs, minSeverity: e.target.value as Severity })}>
            {severityOptions}
          </select>
        </label>
        <fieldset>
          <legend>{t('notify.quiet')}</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={!!quiet}
              onChange={(e) =>
                setPrefs({
                  ...prefs,
                  quietHours: e.target.checked ? { from: '22:00', to: '06:00', timeZone: browserZone(), minSeverity: 'critical' } : null,
                })
              }
            />{' '}
            {t('notify.quietOn')}
          </label>
          {quiet && (
            <>
              {/* 24-hour clock fields in the person's own time zone, named beside them */}
              <label>
                {t('notify.from')}
                <input
                  {...clockField}
                  dir="ltr"
                  required
                  value={quiet.from}
                  onChange={(e) => setPrefs({ ...prefs, quietHours: { ...quiet, from: e.target.value } })}
                />
              </label>
              <label>
                {t('notify.to')}
                <input
                  {...clockField}
                  dir="ltr"
                  required
                  value={quiet.to}
                  onChange={(e) => setPrefs({ ...prefs, quietHours: { ...quiet, to: e.target.value } })}
                />
              </label>
              <label>
                {t('notify.timeZone')}
                <input
                  dir="ltr"
                  required
                  value={quiet.timeZone}
                  onChange={(e) => setPrefs({ ...prefs, quietHours: { ...quiet, timeZone: e.target.value } })}
                />
              </label>
              <label>
                {t('notify.quietMin')}
                <select
                  value={quiet.minSeverity}
                  onChange={(e) => setPrefs({ ...prefs, quietHours: { ...quiet, minSeverity: e.target.value as Severity } })}
                >
                  {severityOptions}
                </select>
              </label>
            </>
          )}
        </fieldset>
        <button type="submit">{t('notify.save')}</button>
      </form>
      <section className="card" aria-labelledby="outbox-heading">
        <h2 id="outbox-heading">{t('notify.outbox')}</h2>
        {outbox.length === 0 ? (
          <p className="empty">{t('notify.outboxEmpty')}</p>
        ) : (
          <ul>
            {outbox.map((m) => (
              <li key={m.id}>
                {dateTime(m.createdAt)} · {t(`notify.status.${m.status}` as MessageKey)} · <span translate="no">{m.to}</span> · {m.subject}
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}
