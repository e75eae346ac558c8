/**
 * The itinerary of a new movement drawn on the map: the route (a line, with the corridor width)
 * and the authorised stops (each an area with a name and a maximum dwell). One shape is edited
 * at a time; the others and the two offices' areas are shown for reference.
 */
import type { Area, NewMovement, Office } from '../api/types';
import { useI18n } from '../i18n/i18n-context';
import { SketchMap } from '../map/sketch-map';
import { emptySketch, historyOf, push, sketchToArea, sketchToLine, type SketchHistory, type SketchKind } from '../map/sketch';

export interface PlannedStop {
  name: string;
  maxDwellMinutes: string;
  shape: SketchHistory;
}

export interface Plan {
  route: SketchHistory;
  corridorWidthM: string;
  stops: PlannedStop[];
  /** 'route' or the index of the stop being drawn. */
  editing: 'route' | number;
}

export const emptyPlan = (): Plan => ({ route: historyOf(emptySketch('line')), corridorWidthM: '2000', stops: [], editing: 'route' });

type Body = NonNullable<NewMovement>;
/** The plan's part of the movement body; unfinished stops (no area yet) are reported, not sent. */
export function planToBody(plan: Plan): {
  route: Body['route'];
  corridorWidthM: number;
  authorizedStops: NonNullable<Body['authorizedStops']>;
  unfinished: number;
} {
  const stops = plan.stops.map((s) => ({
    name: s.name.trim(),
    area: sketchToArea(s.shape.sketch),
    maxDwellMinutes: Number(s.maxDwellMinutes),
  }));
  const done = stops.filter(
    (s): s is { name: string; area: Area; maxDwellMinutes: number } => !!s.area && !!s.name && s.maxDwellMinutes > 0,
  );
  return {
    route: sketchToLine(plan.route.sketch),
    corridorWidthM: Number(plan.corridorWidthM) || 2000,
    authorizedStops: done,
    unfinished: stops.length - done.length,
  };
}

export function MovementPlan({ plan, onChange, offices }: { plan: Plan; onChange(p: Plan): void; offices: Office[] }) {
  const { t } = useI18n();
  const editingStop = typeof plan.editing === 'number' ? plan.stops[plan.editing] : undefined;
  const history = editingStop ? editingStop.shape : plan.route;
  const setHistory = (h: SketchHistory) => {
    if (typeof plan.editing === 'number')
      onChange({ ...plan, stops: plan.stops.map((s, i) => (i === plan.editing ? { ...s, shape: h } : s)) });
    else onChange({ ...plan, route: h });
  };
  const setStop = (i: number, patch: Partial<PlannedStop>) =>
    onChange({ ...plan, stops: plan.stops.map((s, k) => (k === i ? { ...s, ...patch } : s)) });
  const addStop = () =>
    onChange({
      ...plan,
      editing: plan.stops.length,
      stops: [
        ...plan.stops,
        { name: t('plan.stopName', { n: plan.stops.length + 1 }), maxDwellMinutes: '60', shape: historyOf(emptySketch('circle')) },
      ],
    });
  const removeStop = (i: number) => onChange({ ...plan, editing: 'route', stops: plan.stops.filter((_, k) => k !== i) });
  const stopKind = (i: number, kind: SketchKind) => {
    const s = plan.stops[i];
    if (s.shape.sketch.kind !== kind) setStop(i, { shape: push(s.shape, emptySketch(kind)) });
  };
  const background = {
    lines: editingStop && plan.route.sketch.points.length > 1 ? [plan.route.sketch.points] : [],
    areas: [
      ...offices.map((o) => o.area),
      ...plan.stops
        .filter((_, i) => i !== plan.editing)
        .map((s) => sketchToArea(s.shape.sketch))
        .filter((a): a is Area => !!a),
    ],
  };
  const label = editingStop ? t('plan.stopArea', { name: editingStop.name }) : t('plan.route');

  return (
    <fieldset className="plan">
      <legend>{t('plan.heading')}</legend>
      <div role="radiogroup" aria-label={t('plan.drawing')} className="inline">
        <label className="radio">
          <input
            type="radio"
            name="plan-target"
            checked={plan.editing === 'route'}
            onChange={() => onChange({ ...plan, editing: 'route' })}
          />
          {t('plan.route')}
        </label>
        {plan.stops.map((s, i) => (
          <label key={i} className="radio">
            <input type="radio" name="plan-target" checked={plan.editing === i} onChange={() => onChange({ ...plan, editing: i })} />
            {s.name || t('plan.stopName', { n: i + 1 })}
          </label>
        ))}
        <button type="button" onClick={addStop}>
          {t('plan.addStop')}
        </button>
      </div>
      {editingStop && typeof plan.editing === 'number' ? (
        <div className="inline">
          <label>
            {t('plan.stopNameLabel')}
            <input required value={editingStop.name} onChange={(e) => setStop(plan.editing as number, { name: e.target.value })} />
          </label>
          <label>
            {t('plan.maxDwell')}
            <input
              type="number"
              min={1}
              max={10080}
              required
              value={editingStop.maxDwellMinutes}
              onChange={(e) => setStop(plan.editing as number, { maxDwellMinutes: e.target.value })}
            />
          </label>
          {(['circle', 'polygon'] as const).map((k) => (
            <label key={k} className="radio">
              <input
                type="radio"
                name="stop-shape"
                checked={editingStop.shape.sketch.kind === k}
                onChange={() => stopKind(plan.editing as number, k)}
              />
              {t(`sketch.kind.${k}`)}
            </label>
          ))}
          <button type="button" onClick={() => removeStop(plan.editing as number)}>
            {t('plan.removeStop')}
          </button>
        </div>
      ) : (
        <label>
          {t('plan.corridorWidth')}
          <input
            type="number"
            min={1}
            max={100000}
            value={plan.corridorWidthM}
            onChange={(e) => onChange({ ...plan, corridorWidthM: e.target.value })}
          />
        </label>
      )}
      <SketchMap label={label} history={history} onChange={setHistory} background={background} />
    </fieldset>
  );
}
