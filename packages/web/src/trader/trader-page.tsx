/**
 * The trader portal, phone first: the trader's own movements (the server sends nothing else) as
 * cards with the ETA and the condition first, in plain words; a tap opens the detail with an
 * explanation of the status. Ended movements stay listed with their outcome. The ETA divides the
 * distance left by a smoothed speed (eta.ts), so it does not jump with each reading.
 */
import { useRef, useState } from 'react';
import type { Movement } from '../api/types';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/messages';
import type { LiveStore } from '../live/live-store';
import { markerState, type MarkerState } from '../live/movement-state';
import { endedOutcome } from './outcome';
import { MapView } from '../map/map-view';
import { useStore, useTick } from '../ui/hooks';
import { MIN_SPEED_KMH, nextSpeed, stableArrival, type SmoothedSpeed } from './eta';
import '../ui/screens.css';
import { PlaceName } from '../map/place-name';
import { DeviceLending } from './device-lending';

export function TraderPage({ store, tileUrl }: { store: LiveStore; tileUrl: string | null }) {
  const { t } = useI18n();
  useStore(store, ['movements', 'alerts', 'incidents'], 1000);
  const now = useTick(30_000);
  const speeds = useRef(new Map<string, SmoothedSpeed | null>());
  const all = [...store.movements.values()].sort((a, b) => a.reference.localeCompare(b.reference));
  const current = all.filter((m) => m.status !== 'ended');
  const ended = all.filter((m) => m.status === 'ended');
  for (const m of current) {
    const p = m.live?.position;
    const at = Date.parse(m.live?.positionTime ?? '');
    if (p && Number.isFinite(at)) speeds.current.set(m.id, nextSpeed(speeds.current.get(m.id) ?? null, p.speed, at));
  }
  const card = (m: Movement) => (
    <TraderCard
      key={m.id}
      m={m}
      state={markerState(m, store.openAlertCount(m), store.confirmedBreaks.has(m.id))}
      speed={speeds.current.get(m.id) ?? null}
      now={now}
    />
  );
  return (
    <main className="page trader" aria-labelledby="trader-heading">
      <h1 id="trader-heading">{t('trader.heading')}</h1>
      <p>{t('trader.intro')}</p>
      <DeviceLending movementOf={(id) => store.movements.get(id) ?? null} />
      {current.length === 0 ? (
        <p className="empty">{t('trader.empty')}</p>
      ) : (
        <ul className="trader-list" aria-label={t('trader.current')}>
          {current.map(card)}
        </ul>
      )}
      <div className="trader-map">
        <MapView store={store} onSelect={(id) => store.select(id)} tileUrl={tileUrl} replayTime={null} />
      </div>
      {ended.length > 0 && (
        <section aria-labelledby="trader-ended">
          <h2 id="trader-ended">{t('trader.ended')}</h2>
          <ul className="trader-list" aria-label={t('trader.ended')}>
            {ended.map(card)}
          </ul>
        </section>
      )}
    </main>
  );
}

function TraderCard({ m, state, speed, now }: { m: Movement; state: MarkerState; speed: SmoothedSpeed | null; now: number }) {
  const { t, dateTime, dateMinute, ago, number } = useI18n();
  const [open, setOpen] = useState(false);
  const p = m.live?.position;
  const eta = m.status === 'in_transit' ? stableArrival(m.route?.coordinates, p, speed, now) : null;
  const ended = m.status === 'ended';
  const headline = ended
    ? t(endedOutcome(state), { time: dateMinute(m.endedAt) })
    : eta
      ? t('trader.eta', { time: dateMinute(new Date(eta).toISOString()) })
      : t(`trader.when.${m.status}` as MessageKey);
  const explain = ended ? 'ended' : state === 'idle' ? m.status : state;
  const detailId = `trader-detail-${m.id}`;
  return (
    <li className={`trader-card state-${state}`}>
      <button type="button" className="trader-card-main" aria-expanded={open} aria-controls={detailId} onClick={() => setOpen(!open)}>
        <span className="trader-card-top">
          <span className="trader-ref">{m.reference}</span>
          <span className={`badge state-${state}`}>{t(`condition.${state}`)}</span>
        </span>
        <span className="trader-headline">{headline}</span>
        {p && !ended && <PlaceName className="trader-where" position={p} />}
        <span className="trader-sub">
          {t(`mstatus.${m.status}`)} · {m.departureOffice} → {m.destinationOffice}
          {p && !ended ? ` · ${t('trader.seen', { ago: ago(m.live?.positionTime, now) })}` : ''}
        </span>
      </button>
      {open && (
        <div id={detailId} className="trader-detail">
          <p className="trader-explain">{t(`trader.explain.${explain}` as MessageKey)}</p>
          <dl className="facts">
            <dt>{t('movement.container')}</dt>
            <dd>{m.container ?? '—'}</dd>
            <dt>{t('movement.seals')}</dt>
            <dd>{m.seals.join(', ') || '—'}</dd>
            <dt>{t('movement.position')}</dt>
            <dd>
              <PlaceName position={p} />
            </dd>
            <dt>{t('movement.lastSeen')}</dt>
            <dd>{dateTime(m.live?.lastSeenAt)}</dd>
            {eta && (
              <>
                <dt>{t('movement.eta')}</dt>
                <dd>{t('trader.etaBasis', { speed: number(Math.max(MIN_SPEED_KMH, speed?.kmh ?? 50)) })}</dd>
              </>
            )}
            <dt>{t('movement.timeLimit')}</dt>
            <dd>{dateTime(m.timeLimit)}</dd>
          </dl>
        </div>
      )}
    </li>
  );
}
