/** The alert queue: filters, then one row per unresolved alert with its actions. */
import { useMemo, useState } from 'react';
import type { Alert } from '../api/types';
import { useI18n } from '../i18n/i18n-context';
import type { LiveStore } from '../live/live-store';
import { useStore, useTick } from '../ui/hooks';
import { filterAlerts, filterChoices, noFilter, type AlertFilter } from './alert-filters';
import { AssignDialog, ResolveDialog } from './alert-dialogs';

export interface AlertActions {
  acknowledge(a: Alert): Promise<void>;
  assign(a: Alert, assignee: string, comment: string): Promise<void>;
  resolve(a: Alert, outcome: 'confirmed' | 'false_alarm', comment: string): Promise<void>;
}

export function AlertQueue({ store, actions, canAct, onSelect }: { store: LiveStore; actions: AlertActions; canAct: boolean; onSelect(movementId: string): void }) {
  const { t, type: typeName, ago } = useI18n();
  useStore(store, ['alerts', 'movements']);
  const now = useTick(10_000);
  const [filter, setFilter] = useState<AlertFilter>(noFilter);
  const [resolving, setResolving] = useState<Alert | null>(null);
  const [assigning, setAssigning] = useState<Alert | null>(null);
  const all = [...store.alerts.values()];
  const shown = filterAlerts(all, filter, store.movements);
  const choices = useMemo(() => filterChoices(all, store.movements), [all.length, store.version]); // eslint-disable-line react-hooks/exhaustive-deps
  const ref = (a: Alert) => (a.movement ? (store.movements.get(a.movement)?.reference ?? a.movement) : '—');

  return (
    <section className="panel alerts-panel" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading" tabIndex={-1}>
        {t('alerts.heading')} <span className="pill">{shown.length}</span>
      </h2>
      <div className="filters" role="group" aria-label={t('alerts.filters')}>
        <label>
          <span>{t('alerts.filterOffice')}</span>
          <select value={filter.office} onChange={(e) => setFilter({ ...filter, office: e.target.value })}>
            <option value="">{t('alerts.any')}</option>
            {choices.offices.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        </label>
        <label>
          <span>{t('alerts.filterType')}</span>
          <select value={filter.type} onChange={(e) => setFilter({ ...filter, type: e.target.value })}>
            <option value="">{t('alerts.any')}</option>
            {choices.types.map((x) => <option key={x} value={x}>{typeName(x)}</option>)}
          </select>
        </label>
        <label>
          <span>{t('alerts.filterStatus')}</span>
          <select value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value })}>
            <option value="">{t('alerts.unresolved')}</option>
            {(['open', 'acknowledged', 'assigned'] as const).map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
          </select>
        </label>
      </div>
      {shown.length === 0 ? <p className="empty">{t('alerts.empty')}</p> : (
        <ul className="alert-list">
          {shown.map((a) => {
            const vars = { type: typeName(a.type), reference: ref(a) };
            return (
              <li key={a.id} className={`alert sev-${a.severity} st-${a.status}`}>
                <button type="button" className="alert-main" onClick={() => a.movement && onSelect(a.movement)}
                  aria-label={t('alerts.rowLabel', { severity: t(`severity.${a.severity}`), type: typeName(a.type), reference: ref(a), device: a.device ?? '—', age: ago(a.time, now) })}>
                  <span className={`sev sev-${a.severity}`}>{t(`severity.${a.severity}`)}</span>
                  <span className="alert-type">{typeName(a.type)}</span>
                  <span className="alert-ref">{ref(a)}</span>
                  <time dateTime={a.time} className="age">{ago(a.time, now)}</time>
                </button>
                <div className="alert-foot">
                  <span className="alert-status">{t(`status.${a.status}`)}</span>
                  {a.assignee && <span className="alert-assignee">{t('alerts.assignedTo', { name: a.assignee })}</span>}
                  {a.count > 1 && <span className="pill">×{a.count}</span>}
                  {canAct && (
                    <span className="alert-actions">
                      {a.status === 'open' && (
                        <button type="button" className="small" aria-label={t('alerts.acknowledgeLabel', vars)} onClick={() => void actions.acknowledge(a)}>{t('alerts.acknowledge')}</button>
                      )}
                      <button type="button" className="small" aria-label={t('alerts.assignLabel', vars)} onClick={() => setAssigning(a)}>{t('alerts.assign')}</button>
                      <button type="button" className="small" aria-label={t('alerts.resolveLabel', vars)} onClick={() => setResolving(a)}>{t('alerts.resolve')}</button>
                    </span>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <ResolveDialog alert={resolving} reference={resolving ? ref(resolving) : ''} onClose={() => setResolving(null)} onResolve={(outcome, comment) => actions.resolve(resolving!, outcome, comment)} />
      <AssignDialog alert={assigning} reference={assigning ? ref(assigning) : ''} onClose={() => setAssigning(null)} onAssign={(who, comment) => actions.assign(assigning!, who, comment)} />
    </section>
  );
}
