/**
 * The operator's queue: one row per open incident (one physical event on a movement), its alerts
 * listed inside as the evidence, and the actions on the incident: acknowledge, assign, note an
 * action taken, close with an outcome (its alerts are resolved with it).
 */
import { useEffect, useMemo, useState } from 'react';
import { get } from '../api/client';
import type { Incident } from '../api/types';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/messages';
import type { LiveStore } from '../live/live-store';
import { useStore, useTick } from '../ui/hooks';
import { filterIncidents, incidentChoices, noIncidentFilter, type IncidentFilter } from './incident-filters';
import { AssignDialog, NoteDialog, ResolveDialog } from './alert-dialogs';
import { assigneeName, useAssignees } from './assignees';
import { PlaceName } from '../map/place-name';

export interface IncidentActions {
  acknowledge(i: Incident): Promise<void>;
  assign(i: Incident, assignee: string, comment: string): Promise<void>;
  note(i: Incident, comment: string): Promise<void>;
  close(i: Incident, outcome: 'confirmed' | 'false_alarm', comment: string): Promise<void>;
}

export function IncidentQueue({
  store,
  actions,
  canAct,
  onSelect,
}: {
  store: LiveStore;
  actions: IncidentActions;
  canAct: boolean;
  onSelect(movementId: string): void;
}) {
  const { t, type: typeName, ago, dateTime } = useI18n();
  const version = useStore(store, ['incidents', 'alerts', 'movements']);
  const now = useTick(10_000);
  const [filter, setFilter] = useState<IncidentFilter>(noIncidentFilter);
  const [closing, setClosing] = useState<Incident | null>(null);
  const [assigning, setAssigning] = useState<Incident | null>(null);
  const [noting, setNoting] = useState<Incident | null>(null);
  const people = useAssignees(canAct);
  // Closed incidents are not kept live: fetched (the latest 100) when asked for, again on each change.
  const [closed, setClosed] = useState<Incident[] | null>(null);
  const wantClosed = filter.show !== 'open';
  const incidentsVersion = wantClosed ? version : -1;
  useEffect(() => {
    if (incidentsVersion < 0) return;
    let live = true;
    get('/api/v1/incidents', { query: { status: 'closed', limit: 100 } }).then(
      (r) => live && setClosed(r.items),
      () => live && setClosed([]),
    );
    return () => {
      live = false;
    };
  }, [incidentsVersion]);
  const all = [...store.incidents.values(), ...(wantClosed ? (closed ?? []).filter((c) => !store.incidents.has(c.id)) : [])];
  const shown = filterIncidents(all, filter, store.movements);
  const choices = useMemo(() => incidentChoices(all, store.movements), [all.length, store.version]); // eslint-disable-line react-hooks/exhaustive-deps
  const ref = (i: Incident) => store.movements.get(i.movement)?.reference ?? i.movement;
  const codeName = (code: string) => t(`incident.code.${code}` as MessageKey);
  const summary = (i: Incident | null) => (i ? `${codeName(i.code)} · ${ref(i)}` : null);

  return (
    <section className="panel alerts-panel" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading" tabIndex={-1}>
        {t('incidents.heading')} <span className="pill">{shown.length}</span>
      </h2>
      <div className="filters" role="group" aria-label={t('incidents.filters')}>
        <label>
          <span>{t('queue.show')}</span>
          <select value={filter.show} onChange={(e) => setFilter({ ...filter, show: e.target.value as IncidentFilter['show'] })}>
            <option value="open">{t('queue.showOpen')}</option>
            <option value="closed">{t('queue.showClosed')}</option>
            <option value="all">{t('queue.showAll')}</option>
          </select>
        </label>
        <label>
          <span>{t('alerts.filterOffice')}</span>
          <select value={filter.office} onChange={(e) => setFilter({ ...filter, office: e.target.value })}>
            <option value="">{t('alerts.any')}</option>
            {choices.offices.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('incidents.filterCode')}</span>
          <select value={filter.code} onChange={(e) => setFilter({ ...filter, code: e.target.value })}>
            <option value="">{t('alerts.any')}</option>
            {choices.codes.map((x) => (
              <option key={x} value={x}>
                {codeName(x)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('incidents.filterState')}</span>
          <select value={filter.state} onChange={(e) => setFilter({ ...filter, state: e.target.value })}>
            <option value="">{t('alerts.any')}</option>
            <option value="new">{t('incidents.notAcknowledged')}</option>
            <option value="acknowledged">{t('incidents.acknowledged')}</option>
          </select>
        </label>
      </div>
      {wantClosed && closed === null ? (
        <p className="empty">{t('queue.loadingClosed')}</p>
      ) : shown.length === 0 ? (
        <p className="empty">{t('incidents.empty')}</p>
      ) : (
        <ul className="alert-list">
          {shown.map((i) => {
            const vars = { code: codeName(i.code), reference: ref(i) };
            const alerts = i.alerts.map((id) => store.alerts.get(id)).filter((a) => !!a);
            const mute = store.mutes.get(i.movement);
            const closedBy = i.history.findLast((h) => h.action === 'closed')?.by as string | undefined;
            const open = i.status === 'open';
            const escalated = alerts.some((a) => (a.details as { escalated?: unknown }).escalated);
            return (
              <li key={i.id} className={`alert sev-${i.severity} st-${open ? (i.acknowledgedAt ? 'acknowledged' : 'open') : 'closed'}`}>
                <button
                  type="button"
                  className="alert-main"
                  onClick={() => onSelect(i.movement)}
                  aria-label={t('incidents.rowLabel', {
                    severity: t(`severity.${i.severity}`),
                    code: codeName(i.code),
                    reference: ref(i),
                    alerts: String(i.alerts.length),
                    age: ago(i.openedAt, now),
                  })}
                >
                  <span className={`sev sev-${i.severity}`}>{t(`severity.${i.severity}`)}</span>
                  <span className="alert-type">{codeName(i.code)}</span>
                  <span className="alert-ref">{ref(i)}</span>
                  <time dateTime={i.openedAt} className="age">
                    {ago(i.openedAt, now)}
                  </time>
                  {i.position && <PlaceName className="alert-where" position={i.position} />}
                </button>
                <ul className="incident-alerts" aria-label={t('incidents.alertsLabel')}>
                  {alerts.map((a) => (
                    <li key={a.id}>
                      {typeName(a.type)}
                      {a.device ? ` · ${a.device}` : ''}
                      {a.count > 1 ? ` ×${a.count}` : ''} · {t(`status.${a.status}`)}
                    </li>
                  ))}
                </ul>
                <div className="alert-foot">
                  {open ? (
                    <span className="alert-status">{i.acknowledgedAt ? t('incidents.acknowledged') : t('status.open')}</span>
                  ) : (
                    <span className="alert-status incident-closed">
                      {t('incidents.closedRow', {
                        time: dateTime(i.closedAt),
                        who: closedBy ? assigneeName(people, closedBy) : '—',
                        outcome: i.outcome ? t(`outcome.${i.outcome}`) : '—',
                      })}
                    </span>
                  )}
                  {escalated && <span className="badge escalated">{t('incident.escalated')}</span>}
                  {i.assignee && (
                    <span className="alert-assignee">{t('alerts.assignedTo', { name: assigneeName(people, i.assignee) })}</span>
                  )}
                  {i.seals.length > 0 && <span className="incident-seals">{t('incidents.seals', { seals: i.seals.join(', ') })}</span>}
                  {mute && (
                    <span className="incident-muted">
                      {t('incidents.muted', { until: new Date(mute.until).toLocaleString(), reason: mute.reason })}
                    </span>
                  )}
                  <a className="incident-link" href={`#/incidents/${encodeURIComponent(i.id)}`} aria-label={t('incident.open', vars)}>
                    {t('incidents.details')}
                  </a>
                  {canAct && open && (
                    <span className="alert-actions">
                      {!i.acknowledgedAt && (
                        <button
                          type="button"
                          className="small"
                          aria-label={t('incidents.acknowledgeLabel', vars)}
                          onClick={() => void actions.acknowledge(i)}
                        >
                          {t('alerts.acknowledge')}
                        </button>
                      )}
                      <button type="button" className="small" aria-label={t('incidents.assignLabel', vars)} onClick={() => setAssigning(i)}>
                        {t('alerts.assign')}
                      </button>
                      <button type="button" className="small" aria-label={t('incidents.noteLabel', vars)} onClick={() => setNoting(i)}>
                        {t('incidents.note')}
                      </button>
                      <button type="button" className="small" aria-label={t('incidents.closeLabel', vars)} onClick={() => setClosing(i)}>
                        {t('incidents.close')}
                      </button>
                    </span>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <ResolveDialog
        summary={summary(closing)}
        onClose={() => setClosing(null)}
        onResolve={(outcome, comment) => actions.close(closing!, outcome, comment)}
      />
      <AssignDialog
        summary={summary(assigning)}
        onClose={() => setAssigning(null)}
        onAssign={(who, comment) => actions.assign(assigning!, who, comment)}
      />
      <NoteDialog summary={summary(noting)} onClose={() => setNoting(null)} onNote={(comment) => actions.note(noting!, comment)} />
    </section>
  );
}
