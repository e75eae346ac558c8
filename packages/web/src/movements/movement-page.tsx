/**
 * One movement: facts, lifecycle steps for officers, the risk assessment with its reasons when
 * the server sends one, the trip report when it exists, the timeline, the seal state history,
 * and sensor and battery charts.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, get, listAll, post } from '../api/client';
import type { Alert, DomainEvent, MovementWithRisk, Observation, RiskAssessment } from '../api/types';
import { getToken } from '../auth/credentials';
import { useI18n } from '../i18n/i18n-context';
import type { LiveStore } from '../live/live-store';
import { markerState, sealText } from '../live/movement-state';
import { useNotices } from '../ui/notices';
import { useStore } from '../ui/hooks';
import { LineChart } from './line-chart';
import { buildTimeline, sealHistory, sensorSeries, type TimelineEntry } from './timeline';

interface Loaded {
  movement: MovementWithRisk;
  events: DomainEvent[];
  alerts: Alert[];
  observations: Observation[];
  report: boolean;
}

let reportRoute: Promise<boolean> | null = null;
/** Whether this server serves trip reports: asked once of the OpenAPI document, so no 404 is provoked. */
function hasTripReport(): Promise<boolean> {
  reportRoute ??= fetch('/api/v1/openapi.json', { credentials: 'same-origin' })
    .then((r) => r.json() as Promise<{ paths?: Record<string, unknown> }>)
    .then((doc) => Object.keys(doc.paths ?? {}).some((path) => /^\/api\/v1\/movements\/\{id\}\/report\.html$/.test(path)), () => false);
  return reportRoute;
}

async function load(id: string): Promise<Loaded> {
  const movement = (await get('/api/v1/movements/{id}', { path: { id } })) as MovementWithRisk;
  const from = movement.startedAt ?? movement.createdAt;
  const [events, alerts, report, ...perDevice] = await Promise.all([
    listAll((cursor) => get('/api/v1/movements/{id}/events', { path: { id }, query: { limit: 1000, cursor } }), 5),
    listAll((cursor) => get('/api/v1/alerts', { query: { movement: id, limit: 500, cursor } }), 4),
    hasTripReport(),
    ...movement.devices.map((d) => listAll((cursor) => get('/api/v1/devices/{id}/observations', { path: { id: d }, query: { from, order: 'asc', limit: 1000, cursor } }), 10).catch(() => ({ items: [] as Observation[], complete: false }))),
  ]);
  return { movement, events: events.items, alerts: alerts.items, observations: perDevice.flatMap((p) => p.items), report };
}

export function MovementPage({ id, store, canWrite }: { id: string; store: LiveStore; canWrite: boolean }) {
  const { t, type: typeName, dateTime, number } = useI18n();
  const { toast } = useNotices();
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const version = useStore(store, ['alerts', 'movements'], 2000);

  const reload = useCallback(() => {
    load(id).then(setData, (e: Error) => setError(e.message));
  }, [id]);
  // Reloads when the live store hears of a change (throttled to every 2 s).
  useEffect(reload, [reload, version]);

  if (error) return <main className="page"><p role="alert">{t('common.error', { detail: error })}</p></main>;
  if (!data) return <main className="page"><p>{t('common.loading')}</p></main>;
  const m = data.movement;
  const state = markerState(m, data.alerts.filter((a) => a.status !== 'resolved').length);
  const timeline = buildTimeline(data.observations, data.events, data.alerts);
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
  const openReport = async () => {
    const res = await fetch(`/api/v1/movements/${encodeURIComponent(id)}/report.html`, { headers: { Authorization: `Bearer ${getToken()}` } });
    window.open(URL.createObjectURL(await res.blob()), '_blank', 'noopener');
  };
  const reportUrl = `/api/v1/movements/${encodeURIComponent(id)}/report.html`;

  return (
    <main className="page movement-page" aria-labelledby="movement-heading">
      <p><a href="#/">{t('movement.back')}</a></p>
      <h1 id="movement-heading">{t('movement.heading', { reference: m.reference })} <span className={`badge state-${state}`}>{t(`state.${state}`)}</span></h1>
      <div className="columns">
        <section aria-labelledby="facts-heading" className="card">
          <h2 id="facts-heading">{t('movement.facts')}</h2>
          <dl className="facts">
            <dt>{t('movement.status')}</dt><dd>{t(`mstatus.${m.status}`)}</dd>
            <dt>{t('movement.container')}</dt><dd>{m.container ?? '—'}</dd>
            <dt>{t('movement.vehicle')}</dt><dd>{m.vehicle ?? '—'}</dd>
            <dt>{t('movement.trader')}</dt><dd>{m.trader ?? '—'}</dd>
            <dt>{t('movement.route')}</dt><dd>{m.departureOffice} → {m.destinationOffice}</dd>
            <dt>{t('movement.devices')}</dt><dd>{m.devices.join(', ') || '—'}</dd>
            <dt>{t('movement.seals')}</dt><dd>{m.seals.join(', ') || '—'}</dd>
            <dt>{t('movement.timeLimit')}</dt><dd>{dateTime(m.timeLimit)}</dd>
            <dt>{t('movement.seal')}</dt><dd>{sealText(m.live?.seal)}</dd>
            <dt>{t('movement.lastSeen')}</dt><dd>{dateTime(m.live?.lastSeenAt)}</dd>
          </dl>
          {canWrite && (
            <div className="actions" role="group" aria-label={t('movement.actions')}>
              {m.status === 'declared' && <button type="button" onClick={() => void step('start')}>{t('movement.start')}</button>}
              {(m.status === 'in_transit' || m.status === 'held') && <button type="button" onClick={() => void step('arrive')}>{t('movement.arrive')}</button>}
              {m.status === 'arrived' && <button type="button" onClick={() => void step('end')}>{t('movement.end')}</button>}
            </div>
          )}
          {data.report && (getToken()
            ? <button type="button" className="link" onClick={() => void openReport()}>{t('movement.report')}</button>
            : <a href={reportUrl} target="_blank" rel="noopener">{t('movement.report')}</a>)}
        </section>
        {m.risk && (
          <section aria-labelledby="risk-heading" className={`card risk lane-${m.risk.lane}`}>
            <h2 id="risk-heading">{t('movement.risk')}</h2>
            <p className="risk-score">{t('movement.riskScore', { score: number(m.risk.score, 2), lane: m.risk.lane })}</p>
            <h3>{t('movement.riskReasons')}</h3>
            <ul>
              {(m.risk.indicators as RiskAssessment['indicators']).map((r, i) => (
                <li key={i}>{r.label ?? r.name ?? r.code ?? r.reason}{typeof (r.contribution ?? r.weight) === 'number' ? ` (${number((r.contribution ?? r.weight)!, 2)})` : ''}</li>
              ))}
            </ul>
          </section>
        )}
        <section aria-labelledby="seal-heading" className="card">
          <h2 id="seal-heading">{t('movement.sealHistory')}</h2>
          {seals.length === 0 ? <p className="empty">{t('movement.timelineEmpty')}</p> : (
            <ol className="seal-history">
              {seals.map((o) => (
                <li key={o.id}><time dateTime={o.time}>{dateTime(o.time)}</time> · {o.device} · <span className={o.seal?.state === 'closed' ? '' : 'bad'}>{sealText(o.seal)}</span>{o.door ? ` · ${o.door}` : ''}</li>
              ))}
            </ol>
          )}
        </section>
      </div>
      <section aria-labelledby="sensors-heading" className="card">
        <h2 id="sensors-heading">{t('movement.sensors')}</h2>
        {series.length === 0 ? <p className="empty">{t('movement.noSensors')}</p> : (
          <div className="charts">{series.map((s) => <LineChart key={s.name} title={t(`chart.${s.name}`)} points={s.points} />)}</div>
        )}
      </section>
      <section aria-labelledby="timeline-heading" className="card">
        <h2 id="timeline-heading">{t('movement.timeline')}</h2>
        {timeline.length === 0 ? <p className="empty">{t('movement.timelineEmpty')}</p> : (
          <ol className="timeline">{timeline.map((e) => <TimelineRow key={e.key} entry={e} typeName={typeName} />)}</ol>
        )}
      </section>
    </main>
  );
}

function TimelineRow({ entry, typeName }: { entry: TimelineEntry; typeName(c: string): string }) {
  const { t, dateTime } = useI18n();
  const what = entry.kind === 'observation'
    ? `${entry.observation.device}: ${sealText(entry.observation.seal)}`
    : entry.kind === 'event' ? typeName(entry.event.type) : `${t(`severity.${entry.alert.severity}`)} ${typeName(entry.alert.type)} · ${t(`status.${entry.alert.status}`)}`;
  return (
    <li className={`tl tl-${entry.kind}`}>
      <time dateTime={entry.time}>{dateTime(entry.time)}</time>
      <span className="tl-kind">{t(`timeline.${entry.kind}`)}</span>
      <span>{what}</span>
    </li>
  );
}
