/** The selected movement beside the map: key facts, a link to its page, its notification mute, and track replay. */
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n-context';
import type { LiveStore } from '../live/live-store';
import { markerState } from '../live/movement-state';
import { useStore } from '../ui/hooks';
import type { MovementFederation } from '../api/types';
import { OriginBadge } from '../movements/origin-badge';
import { MuteControl } from './mute-control';
import { PlaceName } from '../map/place-name';

/** The first and last time of a track, or null without timed points. */
export function trackSpan(times: readonly (string | null)[]): [number, number] | null {
  const ms = times
    .filter((x): x is string => !!x)
    .map(Date.parse)
    .filter(Number.isFinite);
  return ms.length ? [Math.min(...ms), Math.max(...ms)] : null;
}

export function SelectionPanel({
  store,
  replayTime,
  onReplay,
  follow = true,
  onFollow,
  onClose,
  canMute = false,
}: {
  store: LiveStore;
  replayTime: number | null;
  onReplay(t: number | null): void;
  /** Whether the map keeps the replayed truck in view, and the switch for it. */
  follow?: boolean;
  onFollow?(follow: boolean): void;
  onClose(): void;
  canMute?: boolean;
}) {
  const { t, dateTime, unit, time, seal } = useI18n();
  useStore(store, ['selection', 'track', 'movements'], 500);
  const m = store.selectedId ? store.movements.get(store.selectedId) : undefined;
  const span = trackSpan(store.track.map((p) => p.time));
  const [playing, setPlaying] = useState(false);
  const timer = useRef<ReturnType<typeof setInterval>>(undefined);

  useEffect(() => {
    if (!playing || !span) return;
    const step = (span[1] - span[0]) / 200;
    let at = replayTime ?? span[0];
    timer.current = setInterval(() => {
      at += step;
      if (at >= span[1]) {
        setPlaying(false);
        at = span[1];
      }
      onReplay(at);
    }, 50);
    return () => clearInterval(timer.current);
    // restart only when play is pressed or the track's span changes
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [playing, span?.[0], span?.[1]]);

  if (!m) return null;
  const state = markerState(m, store.openAlertCount(m), store.confirmedBreaks.has(m.id));
  return (
    <section className="panel details-panel" aria-labelledby="details-heading">
      <div className="panel-head">
        <h2 id="details-heading">
          {m.reference} <OriginBadge origin={(m as MovementFederation).origin} />
        </h2>
        <a className="button ghost" href={`#/movements/${encodeURIComponent(m.id)}`}>
          {t('movements.open')}
        </a>
        <button type="button" className="ghost" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <dl className="facts">
        <dt>{t('movement.status')}</dt>
        <dd>
          {t(`mstatus.${m.status}`)} · <span className={`state-${state}`}>{t(`state.${state}`)}</span>
        </dd>
        <dt>{t('movement.route')}</dt>
        <dd>
          {m.departureOffice} → {m.destinationOffice}
        </dd>
        <dt>{t('movement.seal')}</dt>
        <dd>{seal(m.live?.seal)}</dd>
        <dt>{t('movement.battery')}</dt>
        <dd>{unit(m.live?.battery?.level, 'percent')}</dd>
        <dt>{t('movement.position')}</dt>
        <dd>
          <PlaceName position={m.live?.position} />
        </dd>
        <dt>{t('movement.lastSeen')}</dt>
        <dd>{dateTime(m.live?.positionTime)}</dd>
      </dl>
      {canMute && <MuteControl store={store} movementId={m.id} />}
      {span && (
        <div className="replay" role="group" aria-label={t('replay.label')}>
          <button
            type="button"
            className="small"
            onClick={() => {
              if (!playing && (replayTime === null || replayTime >= span[1])) onReplay(span[0]);
              setPlaying(!playing);
            }}
          >
            {playing ? t('replay.pause') : t('replay.play')}
          </button>
          <input
            type="range"
            // Time runs left to right in every language, as on the charts.
            dir="ltr"
            aria-label={t('replay.time')}
            min={span[0]}
            max={span[1]}
            step={1000}
            value={replayTime ?? span[1]}
            aria-valuetext={dateTime(new Date(replayTime ?? span[1]).toISOString())}
            onChange={(e) => {
              setPlaying(false);
              onReplay(Number(e.target.value));
            }}
          />
          <output>{time(new Date(replayTime ?? span[1]).toISOString())}</output>
          <button
            type="button"
            className="small ghost"
            disabled={replayTime === null}
            onClick={() => {
              setPlaying(false);
              onReplay(null);
            }}
          >
            {t('replay.live')}
          </button>
          {onFollow && (
            <label className="check">
              <input type="checkbox" checked={follow} onChange={(e) => onFollow(e.target.checked)} />
              {t('replay.follow')}
            </label>
          )}
        </div>
      )}
    </section>
  );
}
