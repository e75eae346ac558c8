/**
 * One movement as an investigation: facts, lifecycle steps for officers, a map with its corridor,
 * stops, track and incidents (each linking to its page), the risk assessment with its reasons when
 * the server sends one, its records (trip report, evidence export), the timeline (oldest first,
 * filtered by kind, repeats folded, each row with its position) with transit events and data
 * gaps, the seal state history, and sensor and battery charts.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, get, listAll, post } from '../api/client';
import type { Alert, DomainEvent, Incident, MovementWithRisk, Observation, RiskAssessment } from '../api/types';
import type { MessageKey } from '../i18n/messages';
import { trackOf } from '../alerts/incident-view';
import { SiteMap, type SiteMarker } from '../map/site-map';
import { useI18n } from '../i18n/i18n-context';
import { codeWords } from '../i18n/domain-words';
import type { LiveStore } from '../live/live-store';
import { confirmedSealBreak, markerState } from '../live/movement-state';
import { useNotices } from '../ui/notices';
import { useStore } from '../ui/hooks';
import { LineChart } from './line-chart';
import '../ui/screens.css';
import { MovementRisk } from '../risk/movement-risk';
import { MovementRecords } from './movement-records';
import { LendingNote } from './lending-note';
import { MovementFederationNote, OriginBadge } from './origin-badge';
import { ControlResultsForm } from './control-results-form';
import {
  buildTimeline,
  detectionOf,
  positionOfEntry,
  sealHistory,
  sensorSeries,
  timelineRuns,
  type DataGap,
  type TimelineEntry,
  type TimelineRun,
} from './timeline';
import { PlaceName } from '../map/place-name';

interface Loaded {
  movement: MovementWithRisk;
  events: DomainEvent[];
  alerts: Alert[];
  observations: Observation[];
  gaps: DataGap[];
  incidents: Incident[];
}

async function load(id: string): Promise<Loaded> {
  const movement = (await get('/api/v1/movements/{id}', { path: { id } })) as MovementWithRisk;
  const from = movement.startedAt ?? movement.createdAt;
  const [events, alerts, incidents, report, ...perDevice] = await Promise.all([
    listAll((cursor) => get('/api/v1/movements/{id}/events', { path: { id }, query: { limit: 1000, cursor } }), 5),
    listAll((cursor) => get('/api/v1/alerts', { query: { movement: id, limit: 500, cursor } }), 4),
    listAll((cursor) => get('/api/v1/incidents', { query: { movement: id, limit: 500, cursor } }), 2).catch(() => ({
      items: [] as Incident[],
      complete: false,
    })),
    // the trip report names the data gaps (signal_lost episodes of the transit monitor)
    get('/api/v1/movements/{id}/report', { path: { id } }).then(
      (r) => (Array.isArray(r.dataGaps) ? (r.dataGaps as DataGap[]) : []),
      () => [] as DataGap[],
    ),
    ...movement.devices.map((d) =>
      listAll(
        (cursor) => get('/api/v1/devices/{id}/observations', { path: { id: d }, query: { from, order: 'asc', limit: 1000, cursor } }),
        10,
      ).catch(() => ({ items: [] as Observation[], complete: false })),
    ),
  ]);
  return {
    movement,
    events: events.items,
    alerts: alerts.items,
    observations: perDevice.flatMap((p) => p.items),
    gaps: report,
    incidents: incidents.items,
  };
}

export function MovementPage({
  id,
  store,
  canWrite,
  canAudit = false,
  tileUrl = null,
}: {
  id: string;
  store: LiveStore;
  canWrite: boolean;
  canAudit?: boolean;
  tileUrl?: string | null;
}) {
  const { t, type: typeName, dateTime, number, seal } = useI18n();
  const [kind, setKind] = useState<TimelineEntry['kind'] | ''>('');
  const { toast } = useNotices();
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const version = useStore(store, ['alerts', 'movements'], 2000);

  const reload = useCallback(() => {
    load(id).then(setData, (e: Error) => setError(e.message));
  }, [id]);
  // Reloads when the live store hears of a change (throttled to every 2 s).
  useEffect(reload, [reload, version]);

  if (error)
    return (
      <main className="page">
        <p role="alert">{t('common.error', { detail: error })}</p>
      </main>
    );
  if (!data)
    return (
      <main className="page">
        <p>{t('common.loading')}</p>
      </main>
    );
  const m = data.movement;
  const state = markerState(
    m,
    data.alerts.filter((a) => a.status !== 'resolved').length,
    confirmedSealBreak(data.alerts) || store.confirmedBreaks.has(m.id),
  );
  const timeline = buildTimeline(data.observations, data.events, data.alerts, data.gaps);
  const runs = timelineRuns(timeline, new Set(kind ? [kind] : []));
  const readings = new Map(data.observations.map((o) => [o.id, o]));
  const track = trackOf(data.observations);
  const codeName = (i: Incident) => t(`incident.code.${i.code}` as MessageKey);
  const markers: SiteMarker[] = data.incidents
    .filter((i) => i.position)
    .map((i) => ({
      id: i.id,
      lon: i.position!.lon,
      lat: i.position!.lat,
      state: i.code === 'seal_broken' ? 'broken' : 'alert',
      label: codeName(i),
    }));
  const live = store.movements.get(m.id)?.live ?? m.live;
  if (live?.position) markers.push({ id: m.id, lon: live.position.lon, lat: live.position.lat, state, label: m.reference });
  const seals = sealHistory(data.observations);
  const series = sensorSeries(data.observations);

  const step = async (action: 'start' | 'arrive' | 'end') => {
    try {
      await post(`/api/v1/movements/{id}/${action}` as '/api/v1/movements/{id}/start', { path: { id }, body: {} });
      reload();
    } catch (e) {
      toast(t('common.error', { detail: (e as ApiError).message }), 'error');
    }
  };
  return (
    <main className="page movement-page" aria-labelledby="movement-heading">
      <p>
        <a href="#/">{t('movement.back')}</a>
      </p>
      <h1 id="movement-heading">
        {t('movement.heading', { reference: m.reference })} <span className={`badge state-${state}`}>{t(`state.${state}`)}</span>{' '}
        <OriginBadge origin={m.origin} />
      </h1>
      <MovementFederationNote movement={m} />
      <div className="columns">
        <section aria-labelledby="facts-heading" className="card">
          <h2 id="facts-heading">{t('movement.facts')}</h2>
          <dl className="facts">
            <dt>{t('movement.status')}</dt>
            <dd>{t(`mstatus.${m.status}`)}</dd>
            <dt>{t('movement.container')}</dt>
            <dd>{m.container ?? '—'}</dd>
            <dt>{t('movement.vehicle')}</dt>
            <dd>{m.vehicle ?? '—'}</dd>
            <dt>{t('movement.trader')}</dt>
            <dd>{m.trader ?? '—'}</dd>
            <dt>{t('movement.route')}</dt>
            <dd>
              {m.departureOffice} → {m.destinationOffice}
            </dd>
            <dt>{t('movement.devices')}</dt>
            <dd>{m.devices.join(', ') || '—'}</dd>
            <dt>{t('movement.seals')}</dt>
            <dd>{m.seals.join(', ') || '—'}</dd>
            <dt>{t('movement.timeLimit')}</dt>
            <dd>{dateTime(m.timeLimit)}</dd>
            <dt>{t('movement.seal')}</dt>
            <dd>{seal(m.live?.seal)}</dd>
            <dt>{t('movement.position')}</dt>
            <dd>
              <PlaceName position={live?.position} />
              {live?.position && live.positionTime && (
                <span className="hint as-of">{t('movement.positionAsOf', { time: dateTime(live.positionTime) })}</span>
              )}
            </dd>
            <dt>{t('movement.lastSeen')}</dt>
            <dd>{dateTime(m.live?.lastSeenAt)}</dd>
          </dl>
          {m.status === 'declared' && <LendingNote movement={m.id} status={m.status} />}
          {canWrite && (
            <div className="actions" role="group" aria-label={t('movement.actions')}>
              {m.status === 'declared' && !m.origin && (
                <button type="button" onClick={() => void step('start')}>
                  {t('movement.start')}
                </button>
              )}
              {(m.status === 'in_transit' || m.status === 'held') && !m.origin?.leftAt && (
                <button type="button" onClick={() => void step('arrive')}>
                  {t('movement.arrive')}
                </button>
              )}
              {m.status === 'arrived' && !m.origin && (
                <button type="button" onClick={() => void step('end')}>
                  {t('movement.end')}
                </button>
              )}
            </div>
          )}
        </section>
        {m.origin && <ControlResultsForm id={m.id} recorded={m.controlResults} canWrite={canWrite} onRecorded={reload} />}
        <MovementRisk id={id} version={version} />
        <MovementRecords id={m.id} reference={m.reference} container={m.container ?? null} canAudit={canAudit} />
        <section aria-labelledby="seal-heading" className="card">
          <h2 id="seal-heading">{t('movement.sealHistory')}</h2>
          {seals.length === 0 ? (
            <p className="empty">{t('movement.timelineEmpty')}</p>
          ) : (
            <ol className="seal-history">
              {seals.map((o) => (
                <li key={o.id}>
                  <time dateTime={o.time}>{dateTime(o.time)}</time> · <bdi>{o.device}</bdi> ·{' '}
                  <span className={o.seal?.state === 'closed' ? '' : 'bad'}>{seal(o.seal)}</span>
                  {o.door ? ` · ${t('movement.door', { state: codeWords({ t }, 'door', o.door) })}` : ''}
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
      <section aria-labelledby="movement-map-heading" className="card">
        <h2 id="movement-map-heading">{t('movement.mapHeading')}</h2>
        <SiteMap
          label={t('movement.mapLabel', { reference: m.reference, incidents: data.incidents.length })}
          route={m.route?.coordinates ?? null}
          corridorWidthM={m.corridorWidthM}
          stops={m.authorizedStops ?? []}
          offices={[...store.offices.values()]}
          track={track}
          at={null}
          markers={markers}
          ringed={m.id}
          tileUrl={tileUrl}
        />
        {data.incidents.length > 0 && (
          <ul className="movement-incidents" aria-label={t('movement.incidents')}>
            {data.incidents.map((i) => (
              <li key={i.id}>
                <a href={`#/incidents/${encodeURIComponent(i.id)}`}>{codeName(i)}</a> · {dateTime(i.openedAt)} ·{' '}
                {i.status === 'open'
                  ? t('status.open')
                  : `${t('incident.status.closed')}${i.outcome ? ` (${t(`outcome.${i.outcome}`)})` : ''}`}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="sensors-heading" className="card">
        <h2 id="sensors-heading">{t('movement.sensors')}</h2>
        {series.length === 0 ? (
          <p className="empty">{t('movement.noSensors')}</p>
        ) : (
          <div className="charts">
            {series.map((s) => (
              <LineChart key={s.name} title={t(`chart.${s.name}`)} points={s.points} />
            ))}
          </div>
        )}
      </section>
      <section aria-labelledby="timeline-heading" className="card">
        <h2 id="timeline-heading">{t('movement.timeline')}</h2>
        <label className="timeline-kind">
          <span>{t('timeline.show')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as TimelineEntry['kind'] | '')}>
            <option value="">{t('timeline.everything')}</option>
            {(['event', 'alert', 'observation', 'gap'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`timeline.filter.${k}`)}
              </option>
            ))}
          </select>
        </label>
        {runs.length === 0 ? (
          <p className="empty">{t('movement.timelineEmpty')}</p>
        ) : (
          <ol className="timeline">
            {runs.map((r) => (
              <TimelineRow key={r.entry.key} run={r} typeName={typeName} position={positionOfEntry(r.entry, readings)} />
            ))}
          </ol>
        )}
      </section>
    </main>
  );
}

function TimelineRow({
  run,
  typeName,
  position,
}: {
  run: TimelineRun;
  typeName(c: string): string;
  position: { lat: number; lon: number } | null;
}) {
  const { t, dateTime, number, seal } = useI18n();
  const entry = run.entry;
  let what: string;
  let late: string | null = null;
  let device: string | null = null;
  if (entry.kind === 'observation') {
    device = entry.observation.device;
    what = seal(entry.observation.seal);
  } else if (entry.kind === 'alert')
    what = `${t(`severity.${entry.alert.severity}`)} ${typeName(entry.alert.type)} · ${t(`status.${entry.alert.status}`)}`;
  else if (entry.kind === 'gap') {
    const g = entry.gap;
    what = g.end
      ? t('timeline.gapWas', { device: g.device ?? '—', end: dateTime(g.end), minutes: number((g.gapS ?? 0) / 60) })
      : t('timeline.gapOngoing', { device: g.device ?? '—' });
  } else {
    const d = entry.event.details;
    const extra =
      entry.event.type === 'border_crossed' && typeof d.from === 'string'
        ? ` · ${d.from} → ${String(d.to ?? '')}`
        : (entry.event.type === 'office_entered' || entry.event.type === 'office_left') && typeof d.office === 'string'
          ? ` · ${d.office}`
          : '';
    what = `${typeName(entry.event.type)}${extra}`;
    const det = detectionOf(entry.event);
    if (det?.late) late = t('timeline.late', { occurred: dateTime(det.occurredAt), detected: dateTime(det.detectedAt) });
  }
  return (
    <li className={`tl tl-${entry.kind}`}>
      <time dateTime={entry.time}>{dateTime(entry.time)}</time>
      <span className="tl-kind">{t(`timeline.${entry.kind}`)}</span>
      <span>
        {device && (
          <>
            <bdi>{device}</bdi>:{' '}
          </>
        )}
        {what}
        {run.count > 1 && (
          <span className="tl-repeat"> · {t('timeline.repeated', { count: number(run.count), last: dateTime(run.last) })}</span>
        )}
        {late && <span className="tl-late"> · {late}</span>}
      </span>
      {position ? <PlaceName className="tl-where" position={position} /> : <span className="tl-where" />}
    </li>
  );
}
