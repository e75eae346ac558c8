/**
 * Movements: the register, and the declaration form with ISO 6346 container number validation,
 * the route and authorised stops drawn on the map (or the route imported as GeoJSON), sensor
 * thresholds and RFID checkpoints.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, get, listAll, post } from '../api/client';
import type { Movement, MovementWithRisk, Office } from '../api/types';
import { OriginBadge } from '../movements/origin-badge';
import { useI18n } from '../i18n/i18n-context';
import { useNotices } from '../ui/notices';
import { lineToSketch, push } from '../map/sketch';
import { checkContainer, containerAcceptable, type ContainerCheck } from './container-number';
import { emptyPlan, MovementPlan, planToBody, type Plan } from './movement-plan';
import { DeclarationPickers, emptyParties, partiesToBody, type Parties } from './declaration-pickers';
import { Checkpoints, rulesToBody, SensorThresholds, type CheckpointRow, type ThresholdRow } from './movement-rules';

export function MovementsPage({ canWrite }: { canWrite: boolean }) {
  const { t, dateTime } = useI18n();
  const { toast } = useNotices();
  const [movements, setMovements] = useState<Movement[] | null>(null);
  const [offices, setOffices] = useState<Office[]>([]);
  const empty = { reference: '', container: '', departure: '', destination: '', route: '' };
  const [form, setForm] = useState(empty);
  const [parties, setParties] = useState<Parties>(emptyParties);
  const [declarable, setDeclarable] = useState<Parameters<typeof partiesToBody>[1]>([]);
  const [plan, setPlan] = useState<Plan>(emptyPlan);
  const [thresholds, setThresholds] = useState<ThresholdRow[]>([]);
  const [checkpoints, setCheckpoints] = useState<CheckpointRow[]>([]);
  const reload = () =>
    void listAll((cursor) => get('/api/v1/movements', { query: { limit: 500, cursor } }), 4).then(
      (r) => setMovements(r.items),
      (e: Error) => toast(e.message, 'error'),
    );
  useEffect(() => {
    reload();
    void listAll((cursor) => get('/api/v1/offices', { query: { limit: 500, cursor } })).then(
      (r) => setOffices(r.items),
      () => undefined,
    );
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const container = checkContainer(form.container);
  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!containerAcceptable(container)) return;
    const planned = planToBody(plan);
    if (planned.unfinished) return toast(t('plan.unfinished', { count: planned.unfinished }), 'error');
    try {
      const created = await post('/api/v1/movements', {
        body: {
          reference: form.reference.trim(),
          container: container.status === 'ok' ? container.value : null,
          departureOffice: form.departure,
          destinationOffice: form.destination,
          ...partiesToBody(parties, declarable),
          route: planned.route,
          corridorWidthM: planned.corridorWidthM,
          authorizedStops: planned.authorizedStops,
          ...rulesToBody(thresholds, checkpoints),
        },
      });
      toast(t('newMovement.created', { reference: (created as Movement).reference }));
      setForm(empty);
      setParties(emptyParties());
      setPlan(emptyPlan());
      setThresholds([]);
      setCheckpoints([]);
      reload();
    } catch (err) {
      toast(t('common.error', { detail: (err as ApiError).message }), 'error');
    }
  };
  /** A route pasted as GeoJSON (LineString or a Feature with one) is loaded onto the map to adjust. */
  const handleRouteImport = () => {
    try {
      const json = JSON.parse(form.route);
      const line = json?.type === 'Feature' ? json.geometry : json;
      if (line?.type !== 'LineString' || !Array.isArray(line.coordinates) || line.coordinates.length < 2)
        throw new Error(t('plan.badRoute'));
      setPlan({ ...plan, editing: 'route', route: push(plan.route, lineToSketch(line.coordinates)) });
    } catch (err) {
      toast(t('common.error', { detail: (err as Error).message }), 'error');
    }
  };
  const planOffices = offices.filter((o) => o.code === form.departure || o.code === form.destination);

  return (
    <main className="page" aria-labelledby="movements-page-heading">
      <h1 id="movements-page-heading">{t('movements.heading')}</h1>
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">{t('movement.reference')}</th>
            <th scope="col">{t('movement.status')}</th>
            <th scope="col">{t('movement.container')}</th>
            <th scope="col">{t('movement.route')}</th>
            <th scope="col">{t('movement.timeLimit')}</th>
          </tr>
        </thead>
        <tbody>
          {(movements ?? []).map((m) => (
            <tr key={m.id}>
              <td>
                <a href={`#/movements/${encodeURIComponent(m.id)}`}>{m.reference}</a>{' '}
                <OriginBadge origin={(m as MovementWithRisk).origin} />
              </td>
              <td>{t(`mstatus.${m.status}`)}</td>
              <td>{m.container ?? '—'}</td>
              <td>
                {m.departureOffice} → {m.destinationOffice}
              </td>
              <td>{dateTime(m.timeLimit)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {canWrite && (
        <form className="card form wide" onSubmit={handleSubmit} aria-labelledby="movement-form-heading">
          <h2 id="movement-form-heading">{t('newMovement.heading')}</h2>
          <label>
            {t('movement.reference')}
            <input required maxLength={64} value={form.reference} onChange={(e) => setForm({ ...form, reference: e.target.value })} />
          </label>
          <ContainerField value={form.container} check={container} onChange={(v) => setForm({ ...form, container: v })} />
          <label>
            {t('newMovement.departure')}
            <select required value={form.departure} onChange={(e) => setForm({ ...form, departure: e.target.value })}>
              <option value="" />
              {offices.map((o) => (
                <option key={o.code} value={o.code}>
                  {o.code} · {o.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('newMovement.destination')}
            <select required value={form.destination} onChange={(e) => setForm({ ...form, destination: e.target.value })}>
              <option value="" />
              {offices.map((o) => (
                <option key={o.code} value={o.code}>
                  {o.code} · {o.name}
                </option>
              ))}
            </select>
          </label>
          <DeclarationPickers value={parties} onChange={setParties} onDeclarable={setDeclarable} />
          <MovementPlan plan={plan} onChange={setPlan} offices={planOffices} />
          <details>
            <summary>{t('plan.importRoute')}</summary>
            <label>
              {t('newMovement.route')}
              <textarea rows={3} value={form.route} onChange={(e) => setForm({ ...form, route: e.target.value })} />
            </label>
            <button type="button" disabled={!form.route.trim()} onClick={handleRouteImport}>
              {t('offices.loadGeoJson')}
            </button>
          </details>
          <SensorThresholds rows={thresholds} onChange={setThresholds} />
          <Checkpoints rows={checkpoints} onChange={setCheckpoints} />
          <button type="submit" className="primary" disabled={!containerAcceptable(container)}>
            {t('common.create')}
          </button>
        </form>
      )}
    </main>
  );
}

/** The container number input with its live check (ISO 6346 check digit). */
export function ContainerField({ value, check, onChange }: { value: string; check: ContainerCheck; onChange(v: string): void }) {
  const { t } = useI18n();
  const hint = useId();
  const message =
    check.status === 'check_digit'
      ? t('container.checkDigit', { expected: check.expected, actual: check.actual })
      : t(
          `container.${check.status === 'empty' ? 'empty' : check.status === 'short' ? 'short' : check.status === 'shape' ? 'shape' : 'ok'}`,
        );
  const bad = check.status === 'shape' || check.status === 'check_digit';
  return (
    <label>
      {t('newMovement.container')}
      <input
        value={value}
        maxLength={14}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={bad}
        aria-describedby={hint}
        onChange={(e) => onChange(e.target.value)}
      />
      <span id={hint} className={`hint ${bad ? 'form-error' : check.status === 'ok' ? 'ok' : ''}`} role={bad ? 'alert' : undefined}>
        {message}
      </span>
    </label>
  );
}
