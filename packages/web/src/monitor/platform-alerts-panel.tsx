/**
 * The platform's own degraded states on the monitor: open `platform_degraded` alerts (no movement,
 * no device; one per health check and process), worst first, each with its check, severity, the
 * server's detail and since when. They come with the other alerts (snapshot and stream), which
 * the server gives only to principals whose scope is `all`, so nobody else ever sees the panel.
 * A cleared alert (the check is ok again) leaves it; acknowledging one says someone is on it.
 */
import type { Alert } from '../api/types';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/i18n';
import type { LiveStore } from '../live/live-store';
import { useStore } from '../ui/hooks';

const CHECKS = ['store', 'nats', 'mqtt', 'disk', 'lag', 'leases'];
const RANK: Record<string, number> = { critical: 0, major: 1, minor: 2, warning: 3 };

/** The platform alerts still raised: unresolved and not cleared, worst then oldest first. */
export function openPlatformAlerts(alerts: Iterable<Alert>): Alert[] {
  return [...alerts]
    .filter((a) => a.type === 'platform_degraded' && !a.details?.cleared)
    .sort((a, b) => (RANK[a.severity] ?? 9) - (RANK[b.severity] ?? 9) || Date.parse(a.time) - Date.parse(b.time));
}

export function PlatformAlertsPanel({
  store,
  canAct,
  onAcknowledge,
}: {
  store: LiveStore;
  canAct: boolean;
  onAcknowledge: (a: Alert) => Promise<void>;
}) {
  const { t, dateTime } = useI18n();
  useStore(store, ['alerts']);
  const open = openPlatformAlerts(store.alerts.values());
  if (!open.length) return null;
  const checkName = (c: string) => (CHECKS.includes(c) ? t(`platform.check.${c}` as MessageKey) : c);
  return (
    <section className="platform-alerts" role="alert" aria-label={t('platform.heading')}>
      <h2>{t('platform.heading')}</h2>
      <ul>
        {open.map((a) => {
          const check = String(a.details.check ?? '');
          const status = String(a.details.status ?? '');
          return (
            <li key={a.id} className={`platform-alert sev-${a.severity}`} data-check={check}>
              <strong>{checkName(check)}</strong> <span className="alert-severity">{t(`severity.${a.severity}` as MessageKey)}</span>
              {status === 'degraded' || status === 'failing' ? <span> · {t(`platform.status.${status}` as MessageKey)}</span> : null}
              {a.status === 'acknowledged' ? <span> · {t('status.acknowledged')}</span> : null}
              {/* The server's own words (a path, an address, an error): shown as data, left to right. */}
              <div className="platform-detail" dir="ltr" translate="no">
                <code>{String(a.details.detail ?? '')}</code>
              </div>
              <div className="platform-since">
                {t('platform.since', { time: dateTime(a.time) })}
                {a.details.instance ? <> · {t('platform.instance', { instance: String(a.details.instance) })}</> : null}
              </div>
              {canAct && a.status === 'open' && (
                <button
                  type="button"
                  aria-label={t('platform.acknowledgeLabel', { check: checkName(check) })}
                  onClick={() => void onAcknowledge(a)}
                >
                  {t('alerts.acknowledge')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
