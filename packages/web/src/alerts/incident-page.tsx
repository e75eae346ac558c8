/**
 * One incident as an investigation (#/incidents/<id>, the deep link webhooks and e-mails can
 * carry): where it happened on a map with the track before and after, the device and which of
 * the movement's seals, the readings either side of the moment, its alerts (escalation shown),
 * what was done in order with who and the outcome, and acknowledge / assign / note / close in place;
 * and its NCTS CC182C (docs/exchange.md), downloaded with the console's credentials.
 */
import { useCallback, useEffect, useState } from 'react';
import { get, listAll } from '../api/client';
import { fetchFile, save } from '../api/files';
import type { Alert, Incident, MovementWithRisk, Observation } from '../api/types';
import { useI18n } from '../i18n/i18n-context';
import { codeWords } from '../i18n/domain-words';
import type { MessageKey } from '../i18n/messages';
import type { LiveStore } from '../live/live-store';
import { markerState } from '../live/movement-state';
import { SiteMap, type SiteMarker } from '../map/site-map';
import { useStore } from '../ui/hooks';
import { useNotices } from '../ui/notices';
import { AssignDialog, NoteDialog, ResolveDialog } from './alert-dialogs';
import { assigneeName, useAssignees } from './assignees';
import type { IncidentActions } from './incident-queue';
import { historyOf, readingsAround, sealsConcerned, trackOf, WINDOW_MS } from './incident-view';
import './investigation.css';
import { PlaceName } from '../map/place-name';

interface Loaded {
  incident: Incident;
  movement: MovementWithRisk;
  alerts: Alert[];
  observations: Observation[];
}

async function load(id: string): Promise<Loaded> {
  const incident = await get('/api/v1/incidents/{id}', { path: { id } });
  const at = Date.parse(incident.openedAt);
  const from = new Date(at - WINDOW_MS).toISOString();
  const to = new Date(Math.max(at, Date.parse(incident.lastTime)) + WINDOW_MS).toISOString();
  const [movement, alerts, ...perDevice] = await Promise.all([
    get('/api/v1/movements/{id}', { path: { id: incident.movement } }) as Promise<MovementWithRisk>,
    listAll((cursor) => get('/api/v1/alerts', { query: { movement: incident.movement, limit: 500, cursor } }), 4),
    ...incident.devices.map((d) =>
      listAll(
        (cursor) => get('/api/v1/devices/{id}/observations', { path: { id: d }, query: { from, to, order: 'asc', limit: 1000, cursor } }),
        5,
      ).catch(() => ({ items: [] as Observation[], complete: false })),
    ),
  ]);
  const mine = new Set(incident.alerts);
  return { incident, movement, alerts: alerts.items.filter((a) => mine.has(a.id)), observations: perDevice.flatMap((p) => p.items) };
}

export function IncidentPage({
  id,
  store,
  actions,
  canAct,
  tileUrl,
}: {
  id: string;
  store: LiveStore;
  actions: IncidentActions;
  canAct: boolean;
  tileUrl: string | null;
}) {
  const { t, type: typeName, dateTime, number, coords, place, seal } = useI18n();
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'assign' | 'note' | 'close' | null>(null);
  const people = useAssignees(canAct);
  const { toast } = useNotices();
  const version = useStore(store, ['incidents', 'alerts', 'offices'], 1000);
  const reload = useCallback(() => {
    load(id).then(setData, (e: Error) => setError(e.message));
  }, [id]);
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
  const { incident: i, movement: m } = data;
  const codeName = t(`incident.code.${i.code}` as MessageKey);
  const vars = { code: codeName, reference: m.reference };
  const who = (by: string | null | undefined) => (by ? assigneeName(people, by) : t('history.system'));
  const status = i.status === 'closed' ? 'closed' : i.acknowledgedAt ? 'acknowledged' : 'open';
  const seals = sealsConcerned(i, m.seals);
  const escalations = data.alerts.flatMap((a) => {
    const e = (a.details as { escalated?: { at?: string } }).escalated;
    return e ? [e.at ?? ''] : [];
  });
  const track = trackOf(data.observations);
  const at = Date.parse(i.openedAt);
  const near = track.filter((p) => p.time && Math.abs(Date.parse(p.time) - at) <= 20 * 60 * 1000).map((p) => p.position);
  const markers: SiteMarker[] = [];
  if (i.position)
    markers.push({
      id: i.id,
      lon: i.position.lon,
      lat: i.position.lat,
      state: i.code === 'seal_broken' ? 'broken' : 'alert',
      label: codeName,
    });
  const live = store.movements.get(m.id)?.live ?? m.live;
  if (live?.position)
    markers.push({
      id: m.id,
      lon: live.position.lon,
      lat: live.position.lat,
      state: markerState(m, 0, store.confirmedBreaks.has(m.id) || (i.code === 'seal_broken' && i.outcome === 'confirmed')),
      label: m.reference,
    });
  const act = (f: () => Promise<void>) => f().then(reload);
  const cc182c = async () => {
    const name = `cc182c-${m.reference.replace(/[^A-Za-z0-9._-]/g, '_')}-${i.id}.xml`;
    try {
      save(await fetchFile(`/api/v1/incidents/${encodeURIComponent(i.id)}/cc182c`), name);
      toast(t('records.saved', { name }));
    } catch (e) {
      toast(t('common.error', { detail: (e as Error).message }), 'error');
    }
  };

  return (
    <main className="page incident-page" aria-labelledby="incident-heading">
      <p className="crumbs">
        <a href="#/">{t('incident.back')}</a> · <a href={`#/movements/${encodeURIComponent(m.id)}`}>{t('incident.movement', vars)}</a>
      </p>
      <h1 id="incident-heading">
        {t('incident.heading', vars)} <span className={`sev sev-${i.severity}`}>{t(`severity.${i.severity}`)}</span>{' '}
        <span className={`badge incident-status st-${status}`}>{t(`incident.status.${status}`)}</span>
        {escalations.length > 0 && <span className="badge escalated">{t('incident.escalated')}</span>}
      </h1>
      {canAct && (
        <div className="actions incident-actions" role="group" aria-label={t('incident.actions')}>
          {i.status === 'open' && !i.acknowledgedAt && (
            <button type="button" onClick={() => void act(() => actions.acknowledge(i))}>
              {t('alerts.acknowledge')}
            </button>
          )}
          {i.status === 'open' && (
            <button type="button" onClick={() => setDialog('assign')}>
              {t('alerts.assign')}
            </button>
          )}
          <button type="button" onClick={() => setDialog('note')}>
            {t('incidents.note')}
          </button>
          {i.status === 'open' && (
            <button type="button" onClick={() => setDialog('close')}>
              {t('incidents.close')}
            </button>
          )}
        </div>
      )}
      <div className="incident-grid">
        <section className="card incident-where" aria-labelledby="where-heading">
          <h2 id="where-heading">{t('incident.where')}</h2>
          <dl className="facts">
            <dt>{t('incident.openedAt')}</dt>
            <dd>
              <time dateTime={i.openedAt}>{dateTime(i.openedAt)}</time>
            </dd>
            <dt>{t('incident.position')}</dt>
            <dd>
              {i.position ? (
                <>
                  <PlaceName position={i.position} />{' '}
                  <bdi className="coords" dir="ltr">
                    ({coords(i.position)})
                  </bdi>
                </>
              ) : (
                t('incident.noPosition')
              )}
            </dd>
          </dl>
          <SiteMap
            label={t('incident.mapLabel', vars)}
            route={m.route?.coordinates ?? null}
            corridorWidthM={m.corridorWidthM}
            stops={m.authorizedStops ?? []}
            offices={[...store.offices.values()]}
            track={track}
            at={at}
            markers={markers}
            ringed={m.id}
            focus={i.position ? [[i.position.lon, i.position.lat], ...near] : near}
            tileUrl={tileUrl}
          />
        </section>
        <section className="card" aria-labelledby="what-heading">
          <h2 id="what-heading">{t('incident.what')}</h2>
          <dl className="facts">
            <dt>{t('movement.trader')}</dt>
            <dd>{m.trader ?? '—'}</dd>
            <dt>{t('movement.container')}</dt>
            <dd>{i.container ?? m.container ?? '—'}</dd>
            <dt>{t('incident.device')}</dt>
            <dd>
              {i.devices.length
                ? i.devices.map((d, n) => (
                    <span key={d}>
                      {n > 0 && ', '}
                      <a href={`#/devices/${encodeURIComponent(d)}`}>{d}</a>
                    </span>
                  ))
                : '—'}
            </dd>
            <dt>{t('incident.sealConcerned')}</dt>
            <dd className="seal-concerned">
              {seals.concerned.length
                ? t('incident.sealOf', { seals: seals.concerned.join(', '), count: m.seals.length, all: m.seals.join(', ') || '—' })
                : '—'}
            </dd>
            <dt>{t('incident.lastTime')}</dt>
            <dd>{dateTime(i.lastTime)}</dd>
            <dt>{t('incident.state')}</dt>
            <dd>{t(`incident.status.${status}`)}</dd>
            <dt>{t('incident.assignee')}</dt>
            <dd>{assigneeName(people, i.assignee)}</dd>
            <dt>{t('incident.outcome')}</dt>
            <dd className="incident-outcome">{i.outcome ? t(`outcome.${i.outcome}`) : '—'}</dd>
          </dl>
          {escalations.map((e, n) => (
            <p key={n} className="escalation">
              {t('incident.escalatedAt', { time: dateTime(e) })}
            </p>
          ))}
          <p className="incident-exchange">
            <button type="button" className="link" onClick={() => void cc182c()}>
              {t('incident.cc182c')}
            </button>
          </p>
        </section>
        <section className="card" aria-labelledby="readings-heading">
          <h2 id="readings-heading">{t('incident.readings')}</h2>
          <table className="readings">
            <thead>
              <tr>
                <th scope="col">{t('incident.device')}</th>
                <th scope="col">{t('incident.before')}</th>
                <th scope="col">{t('incident.after')}</th>
              </tr>
            </thead>
            <tbody>
              {readingsAround(data.observations, i.devices, i.openedAt).map((r) => (
                <tr key={r.device}>
                  <th scope="row">{r.device}</th>
                  {[r.before, r.after].map((o, n) => (
                    <td key={n}>
                      {o
                        ? t('incident.reading', {
                            time: dateTime(o.time),
                            seal: seal(o.seal),
                            door: codeWords({ t }, 'door', o.door),
                            battery: o.battery?.level != null ? `${number(o.battery.level)} %` : '—',
                            position: place(o.position),
                          })
                        : t('incident.noReading')}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card" aria-labelledby="evidence-heading">
          <h2 id="evidence-heading">{t('incident.alerts')}</h2>
          <ul className="incident-alerts">
            {data.alerts.map((a) => (
              <li key={a.id}>
                <span className={`sev sev-${a.severity}`}>{t(`severity.${a.severity}`)}</span> {typeName(a.type)}
                {a.device ? ` · ${a.device}` : ''}
                {a.count > 1 ? ` ×${number(a.count)}` : ''} · {dateTime(a.time)} · {t(`status.${a.status}`)}
                {a.outcome ? ` (${t(`outcome.${a.outcome}`)})` : ''}
                {(a.details as { escalated?: unknown }).escalated ? (
                  <span className="badge escalated">{t('incident.escalated')}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
        <section className="card incident-history" aria-labelledby="history-heading">
          <h2 id="history-heading">{t('incident.history')}</h2>
          <ol className="timeline">
            {historyOf(i).map((h, n) => {
              const alert = h.alert ? data.alerts.find((a) => a.id === h.alert) : undefined;
              return (
                <li key={n} className={`tl tl-history h-${h.action}`}>
                  <time dateTime={h.at}>{dateTime(h.at)}</time>
                  <span className="tl-kind">{t(`history.${h.action}` as MessageKey)}</span>
                  <span>
                    {t('history.by', { who: who(h.by) })}
                    {alert ? ` · ${typeName(alert.type)}` : ''}
                    {h.assignee ? ` · ${t('history.to', { who: assigneeName(people, h.assignee) })}` : ''}
                    {h.outcome ? ` · ${t(`outcome.${h.outcome}`)}` : ''}
                    {h.comment ? ` · “${h.comment}”` : ''}
                  </span>
                </li>
              );
            })}
          </ol>
        </section>
      </div>
      <ResolveDialog
        summary={dialog === 'close' ? t('incident.heading', vars) : null}
        onClose={() => setDialog(null)}
        onResolve={(outcome, comment) => act(() => actions.close(i, outcome, comment))}
      />
      <AssignDialog
        summary={dialog === 'assign' ? t('incident.heading', vars) : null}
        onClose={() => setDialog(null)}
        onAssign={(person, comment) => act(() => actions.assign(i, person, comment))}
      />
      <NoteDialog
        summary={dialog === 'note' ? t('incident.heading', vars) : null}
        onClose={() => setDialog(null)}
        onNote={(comment) => act(() => actions.note(i, comment))}
      />
    </main>
  );
}
