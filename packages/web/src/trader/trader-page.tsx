/**
 * The trader portal: the trader's own movements (the server sends nothing else) with position,
 * ETA and condition in plain words, and the same live map.
 */
import { useI18n } from '../i18n/i18n-context';
import type { LiveStore } from '../live/live-store';
import { markerState } from '../live/movement-state';
import { MapView } from '../map/map-view';
import { useStore, useTick } from '../ui/hooks';
import { estimateArrival } from './eta';

export function TraderPage({ store, tileUrl }: { store: LiveStore; tileUrl: string | null }) {
  const { t, dateTime, number, ago } = useI18n();
  useStore(store, ['movements', 'alerts'], 1000);
  const now = useTick(30_000);
  const rows = [...store.movements.values()].filter((m) => m.status !== 'ended');
  return (
    <main className="page trader" aria-labelledby="trader-heading">
      <h1 id="trader-heading">{t('trader.heading')}</h1>
      <p>{t('trader.intro')}</p>
      <div className="trader-map">
        <MapView store={store} onSelect={(id) => store.select(id)} tileUrl={tileUrl} replayTime={null} />
      </div>
      {rows.length === 0 ? (
        <p className="empty">{t('trader.empty')}</p>
      ) : (
        <table className="grid" aria-label={t('trader.heading')}>
          <thead>
            <tr>
              <th scope="col">{t('movement.reference')}</th>
              <th scope="col">{t('movement.container')}</th>
              <th scope="col">{t('movement.status')}</th>
              <th scope="col">{t('movement.position')}</th>
              <th scope="col">{t('movement.eta')}</th>
              <th scope="col">{t('movement.condition')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => {
              const state = markerState(m, store.openAlertCount(m), store.confirmedBreaks.has(m.id));
              const p = m.live?.position;
              const eta = m.status === 'in_transit' ? estimateArrival(m.route?.coordinates, p, now) : null;
              return (
                <tr key={m.id} className={`state-${state}`}>
                  <th scope="row">{m.reference}</th>
                  <td>{m.container ?? '—'}</td>
                  <td>{t(`mstatus.${m.status}`)}</td>
                  <td>{p ? `${number(p.lat, 4)}, ${number(p.lon, 4)} · ${ago(m.live?.positionTime, now)}` : '—'}</td>
                  <td>{eta ? dateTime(new Date(eta).toISOString()) : '—'}</td>
                  <td>
                    <span className={`badge state-${state}`}>{t(`condition.${state}`)}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </main>
  );
}
