/** The movements beside the map: filterable, worst first; a row selects the movement on the map. */
import { useState } from 'react';
import { useI18n } from '../i18n/i18n-context';
import type { LiveMovement, LiveStore } from '../live/live-store';
import { markerState, type MarkerState } from '../live/movement-state';
import { useStore } from '../ui/hooks';

const SHOWN_MAX = 200;
const order: Record<MarkerState, number> = { broken: 0, alert: 1, ok: 2, idle: 3 };

/** True when the text filter matches the movement's reference, container, devices or offices. */
export function matchesText(
  m: Pick<LiveMovement, 'reference' | 'container' | 'devices' | 'departureOffice' | 'destinationOffice' | 'vehicle'>,
  text: string,
): boolean {
  const q = text.trim().toLowerCase();
  if (!q) return true;
  return [m.reference, m.container, m.vehicle, m.departureOffice, m.destinationOffice, ...(m.devices ?? [])].some((s) =>
    s?.toLowerCase().includes(q),
  );
}

export function MovementList({ store, onSelect }: { store: LiveStore; onSelect(id: string): void }) {
  const { t, seal } = useI18n();
  useStore(store, ['movements', 'alerts', 'selection'], 500);
  const [text, setText] = useState('');
  const rows = [...store.movements.values()]
    .filter((m) => m.status !== 'ended' && matchesText(m, text))
    .map((m) => ({ m, alerts: store.openAlertCount(m), state: markerState(m, store.openAlertCount(m), store.confirmedBreaks.has(m.id)) }))
    .sort((a, b) => order[a.state] - order[b.state] || a.m.reference.localeCompare(b.m.reference));
  return (
    <section className="panel movements-panel" aria-labelledby="movements-heading">
      <div className="panel-head">
        <h2 id="movements-heading">
          {t('movements.heading')} <span className="pill">{rows.length}</span>
        </h2>
        <label className="visually-hidden" htmlFor="movement-filter">
          {t('movements.filter')}
        </label>
        <input
          id="movement-filter"
          type="search"
          placeholder={t('movements.filterPlaceholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoComplete="off"
        />
      </div>
      {rows.length === 0 ? (
        <p className="empty">{t('movements.empty')}</p>
      ) : (
        <ul className="movement-list" aria-label={t('movements.heading')}>
          {rows.slice(0, SHOWN_MAX).map(({ m, alerts, state }) => (
            <li key={m.id}>
              <button
                type="button"
                className={`movement ${state}${store.selectedId === m.id ? ' selected' : ''}`}
                aria-pressed={store.selectedId === m.id}
                aria-label={t('movements.rowLabel', {
                  reference: m.reference,
                  status: t(`mstatus.${m.status}`),
                  state: t(`state.${state}`),
                  alerts,
                  seal: seal(m.live?.seal),
                })}
                onClick={() => onSelect(m.id)}
              >
                <span className={`dot ${state}`} aria-hidden="true" />
                <span className="m-ref">{m.reference}</span>
                <span className="m-route">
                  {m.departureOffice} → {m.destinationOffice}
                </span>
                <span className={`m-seal${state === 'broken' ? ' bad' : ''}`}>{seal(m.live?.seal)}</span>
              </button>
            </li>
          ))}
          {rows.length > SHOWN_MAX && <li className="more">+{rows.length - SHOWN_MAX}</li>}
        </ul>
      )}
    </section>
  );
}
