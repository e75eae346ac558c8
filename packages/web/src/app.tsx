/**
 * The console shell: who is signed in (the session cookie, or the admin token of the `npm start`
 * link), the header (counts, connection, language, sound, sign-out), the screens the user's
 * permissions open, and the live sync shared by the monitoring and trader screens.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, setUnauthorizedHandler } from './api/client';
import type { Incident } from './api/types';
import { severityCounts } from './alerts/alert-filters';
import type { IncidentActions } from './alerts/incident-queue';
import { IncidentPage } from './alerts/incident-page';
import { installAlarmUnlock, isAlarmEnabled, raiseAlarm, setAlarmEnabled } from './alerts/alarm';
import { can, followsMovements, homeOf, isTrader, screensFor, type Screen, type User } from './auth/roles';
import { loadSession, logout } from './auth/session';
import { SignIn } from './auth/sign-in';
import { languageNames, languages, type Language, type MessageKey } from './i18n/i18n';
import { useI18n } from './i18n/i18n-context';
import { LiveStore } from './live/live-store';
import { startLiveSync, type LiveSync } from './live/live-sync';
import { AdminPage, TokensPage } from './admin/admin-page';
import { MonitorPage } from './monitor/monitor-page';
import { NotificationsPage } from './notifications/notifications-page';
import { MovementPage } from './movements/movement-page';
import { AdvicePage } from './risk/advice-page';
import { RiskPage } from './risk/risk-page';
import { AuditPage } from './audit/audit-page';
import { QuarantinePage } from './quarantine/quarantine-page';
import { DevicePage } from './registry/device-page';
import { DevicesPage } from './registry/devices-page';
import { MovementsPage } from './registry/movements-page';
import { OfficesPage } from './registry/offices-page';
import { TraderPage } from './trader/trader-page';
import { TrainingBanner } from './training/training-banner';
import { TrainingPage } from './training/training-page';
import { useRoute, useStore, useTick } from './ui/hooks';
import { useNotices } from './ui/notices';

const TILE_KEY = 'sealwatch.tileUrl';

/** The configured raster tile template ({z}/{x}/{y}); none means the offline basemap. */
function tileUrl(): string | null {
  return localStorage.getItem(TILE_KEY) || (import.meta.env.VITE_SEALWATCH_TILE_URL as string | undefined) || null;
}

export function App() {
  const [session, setSession] = useState<{ user: User | null } | null>(null);
  useEffect(() => {
    installAlarmUnlock();
    setUnauthorizedHandler(() => setSession({ user: null }));
    void loadSession().then(setSession);
  }, []);
  if (!session) return null;
  if (!session.user) return <SignIn onSignedIn={(user) => setSession({ user })} />;
  return <Console key={session.user.id} user={session.user} onSignOut={() => void logout().then(() => setSession({ user: null }))} />;
}

function Console({ user, onSignOut }: { user: User; onSignOut(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { toast, announce } = useNotices();
  const store = useMemo(() => new LiveStore(), []);
  const sync = useRef<LiveSync | null>(null);
  const route = useRoute();
  const screens = screensFor(user);
  const trader = isTrader(user);
  const live = followsMovements(user);
  const monitoring = live && !trader && can(user, 'alerts.read');
  const [alarm, setAlarm] = useState(isAlarmEnabled());
  const tr = useRef(i18n);
  tr.current = i18n;

  useEffect(() => {
    // A device provider follows no movements: no snapshot of them, no stream of them.
    if (!live) return;
    sync.current = startLiveSync(store, {
      canReadOffices: can(user, 'offices.read'),
      onNewIncident(i: Incident) {
        const { t: tt } = tr.current;
        const reference = store.movements.get(i.movement)?.reference || i.movement;
        const code = tt(`incident.code.${i.code}` as MessageKey);
        const text = tt('incidents.new', { severity: tt(`severity.${i.severity}`), code, reference });
        announce(text);
        // A muted movement's incidents are in the queue, without the alarm.
        if (i.severity === 'critical' && !trader && !store.mutes.has(i.movement)) raiseAlarm(`Sealwatch: ${code}`, text, i.id);
      },
      onError: (err) => toast(tr.current.t('common.error', { detail: err.message }), 'error'),
      onUnauthorized: onSignOut,
    });
    return () => sync.current?.stop();
  }, [store, user]); // eslint-disable-line react-hooks/exhaustive-deps

  const act = async (f: () => Promise<unknown>) => {
    try {
      await f();
    } catch (e) {
      toast(t('common.error', { detail: (e as ApiError).message }), 'error');
      throw e;
    }
  };
  const actions: IncidentActions = {
    acknowledge: (i) => act(() => sync.current!.incidentAction(i.id, 'acknowledge', {})),
    assign: (i, assignee, comment) =>
      act(() => sync.current!.incidentAction(i.id, 'assign', comment ? { assignee, comment } : { assignee })),
    note: (i, comment) => act(() => sync.current!.incidentAction(i.id, 'note', { comment })),
    close: (i, outcome, comment) => act(() => sync.current!.incidentAction(i.id, 'close', { outcome, comment })),
  };

  const home = homeOf(user);
  const screen: Screen | 'movement' | 'incident' =
    route[0] === 'movements' && route[1] ? 'movement' : route[0] === 'incidents' && route[1] ? 'incident' : (route[0] as Screen) || home;
  // The trader portal is also open to customs roles at #/trader, to see what traders see.
  const allowed =
    (screen === 'movement' && can(user, 'movements.read')) ||
    (screen === 'incident' && monitoring) ||
    screens.includes(screen as Screen) ||
    (screen === 'trader' && can(user, 'movements.read'));
  const pageOf = (s: Screen | 'movement' | 'incident') => {
    switch (s) {
      case 'incident':
        return (
          <IncidentPage key={route[1]} id={route[1]} store={store} actions={actions} canAct={can(user, 'alerts.act')} tileUrl={tileUrl()} />
        );
      case 'movement':
        return (
          <MovementPage
            id={route[1]}
            store={store}
            canWrite={can(user, 'movements.write')}
            canAudit={can(user, 'audit.read')}
            tileUrl={tileUrl()}
          />
        );
      case 'monitor':
        return (
          <MonitorPage
            store={store}
            actions={actions}
            canAct={can(user, 'alerts.act')}
            onAcknowledgeAlert={(a) => act(() => sync.current!.alertAction(a.id, 'acknowledge', {}))}
            tileUrl={tileUrl()}
          />
        );
      case 'trader':
        return <TraderPage store={store} tileUrl={tileUrl()} />;
      case 'offices':
        return <OfficesPage canWrite={can(user, 'offices.write')} self={user} />;
      case 'devices':
        return route[1] ? (
          <DevicePage
            key={route[1]}
            id={route[1]}
            canWrite={can(user, 'devices.write')}
            canCommand={can(user, 'devices.command')}
            canReadMovements={can(user, 'movements.read')}
            canReadAlerts={can(user, 'alerts.read')}
          />
        ) : (
          <DevicesPage canWrite={can(user, 'devices.write')} />
        );
      case 'quarantine':
        return <QuarantinePage />;
      case 'audit':
        return <AuditPage />;
      case 'movements':
        return <MovementsPage canWrite={can(user, 'movements.write')} />;
      case 'risk':
        return <RiskPage tab={route[1]} canWrite={can(user, 'risk.write')} />;
      case 'advice':
        return <AdvicePage />;
      case 'admin':
        return <AdminPage tab={route[1]} self={user} />;
      case 'tokens':
        return <TokensPage self={user} />;
      case 'training':
        return <TrainingPage runId={route[1]} />;
      case 'notifications':
        return <NotificationsPage />;
    }
  };
  const page = pageOf(allowed ? screen : home);

  return (
    <>
      {monitoring && (
        <a
          className="skip-link"
          href="#alerts-heading"
          onClick={(e) => {
            e.preventDefault();
            document.getElementById('alerts-heading')?.focus();
          }}
        >
          {t('app.skip')}
        </a>
      )}
      <header className="topbar">
        <h1 className="brand">
          <img src="/favicon.svg" alt="" width={18} height={18} /> {t('app.title')}
        </h1>
        <nav aria-label={t('nav.main')}>
          <ul className="nav">
            {screens.map((s) => (
              <li key={s}>
                <a
                  href={s === home ? '#/' : `#/${s}`}
                  aria-current={screen === s || ((screen === 'movement' || screen === 'incident') && s === home) ? 'page' : undefined}
                >
                  {t(`nav.${s}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {monitoring && <Counts store={store} />}
        <div className="topbar-end">
          {live && <Connection store={store} />}
          <Clock />
          {monitoring && (
            <button
              type="button"
              className="ghost"
              title={t('sound.title')}
              aria-pressed={alarm}
              onClick={() => {
                setAlarmEnabled(!alarm);
                setAlarm(!alarm);
              }}
            >
              {alarm ? t('sound.on') : t('sound.off')}
            </button>
          )}
          <label className="lang">
            <span className="visually-hidden">{t('lang.label')}</span>
            <select value={i18n.lang} aria-label={t('lang.label')} onChange={(e) => i18n.setLanguage(e.target.value as Language)}>
              {languages.map((l) => (
                <option key={l} value={l} lang={l}>
                  {languageNames[l]}
                </option>
              ))}
            </select>
          </label>
          <span className="user" title={t('session.signedInAs', { name: user.name })}>
            <span className="user-name">{user.name}</span>
            <span className="user-org">
              {user.roles.map((r) => t(`role.${r}` as MessageKey)).join(', ')} · {user.organisation.id}
            </span>
          </span>
          <button type="button" className="ghost" onClick={onSignOut}>
            {t('session.signOut')}
          </button>
        </div>
      </header>
      <TrainingBanner />
      {page}
    </>
  );
}

function Counts({ store }: { store: LiveStore }) {
  const { t, number } = useI18n();
  useStore(store, ['alerts', 'movements'], 500);
  const c = severityCounts(store.alerts.values());
  let inTransit = 0;
  for (const m of store.movements.values()) if (m.status === 'in_transit') inTransit++;
  return (
    <dl className="counts" aria-label={t('counts.summary')}>
      <div>
        <dt>{t('counts.inTransit')}</dt>
        <dd id="count-in-transit">{number(inTransit)}</dd>
      </div>
      {(['critical', 'major', 'minor', 'warning'] as const).map((s) => (
        <div key={s} className={`sev-${s}`}>
          <dt>{t(`severity.${s}`)}</dt>
          <dd id={`count-${s}`}>{number(c[s])}</dd>
        </div>
      ))}
    </dl>
  );
}

function Connection({ store }: { store: LiveStore }) {
  const { t } = useI18n();
  useStore(store, ['connection'], 0);
  return (
    <span className="connection" data-state={store.connection} role="status">
      <span className="connection-dot" aria-hidden="true" />
      <span>{t(`conn.${store.connection}`)}</span>
    </span>
  );
}

function Clock() {
  const now = useTick(1000);
  const iso = new Date(now).toISOString();
  return (
    <time className="clock" dateTime={iso}>
      {iso.slice(11, 19)} UTC
    </time>
  );
}
