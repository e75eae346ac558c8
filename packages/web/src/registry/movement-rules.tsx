/**
 * A new movement's monitoring rules besides the itinerary: sensor thresholds (a sensor, its
 * allowed range and how long it may be outside before sensor_out_of_range) and RFID checkpoints
 * (the readers that must read the movement's tags, in order, optionally by a time).
 */
import type { NewMovement } from '../api/types';
import { useI18n } from '../i18n/i18n-context';

type Body = NonNullable<NewMovement>;
export const sensors = ['temperature', 'humidity', 'shock', 'light'] as const;
export interface ThresholdRow {
  sensor: (typeof sensors)[number];
  min: string;
  max: string;
  minDurationS: string;
}
export interface CheckpointRow {
  readerId: string;
  name: string;
  expectedBy: string;
}

const num = (s: string) => (s.trim() === '' ? undefined : Number(s));

/** The rows as the API wants them: empty bounds left out, checkpoints numbered in the listed order. */
export function rulesToBody(thresholds: ThresholdRow[], checkpoints: CheckpointRow[]): Pick<Body, 'sensorThresholds' | 'checkpoints'> {
  return {
    sensorThresholds: thresholds.map((r) => ({ sensor: r.sensor, min: num(r.min), max: num(r.max), minDurationS: num(r.minDurationS) })),
    checkpoints: checkpoints
      .filter((c) => c.readerId.trim())
      .map((c, i) => ({
        readerId: c.readerId.trim(),
        order: i + 1,
        ...(c.name.trim() ? { name: c.name.trim() } : {}),
        expectedBy: c.expectedBy ? new Date(c.expectedBy).toISOString() : null,
      })),
  };
}

export function SensorThresholds({ rows, onChange }: { rows: ThresholdRow[]; onChange(r: ThresholdRow[]): void }) {
  const { t } = useI18n();
  const set = (i: number, patch: Partial<ThresholdRow>) => onChange(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="rows">
      <legend>{t('rules.thresholds')}</legend>
      {rows.map((r, i) => (
        <div key={i} className="inline" role="group" aria-label={t('rules.threshold', { n: i + 1 })}>
          <label>
            {t('rules.sensor')}
            <select value={r.sensor} onChange={(e) => set(i, { sensor: e.target.value as ThresholdRow['sensor'] })}>
              {sensors.map((s) => (
                <option key={s} value={s}>
                  {t(`chart.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('rules.min')}
            <input type="number" step="any" value={r.min} onChange={(e) => set(i, { min: e.target.value })} />
          </label>
          <label>
            {t('rules.max')}
            <input type="number" step="any" value={r.max} onChange={(e) => set(i, { max: e.target.value })} />
          </label>
          <label>
            {t('rules.minDuration')}
            <input type="number" min={0} value={r.minDurationS} onChange={(e) => set(i, { minDurationS: e.target.value })} />
          </label>
          <button type="button" onClick={() => onChange(rows.filter((_, k) => k !== i))}>
            {t('rules.remove')}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { sensor: 'temperature', min: '', max: '', minDurationS: '300' }])}>
        {t('rules.addThreshold')}
      </button>
    </fieldset>
  );
}

export function Checkpoints({ rows, onChange }: { rows: CheckpointRow[]; onChange(r: CheckpointRow[]): void }) {
  const { t } = useI18n();
  const set = (i: number, patch: Partial<CheckpointRow>) => onChange(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="rows">
      <legend>{t('rules.checkpoints')}</legend>
      {rows.map((r, i) => (
        <div key={i} className="inline" role="group" aria-label={t('rules.checkpoint', { n: i + 1 })}>
          <label>
            {t('rules.reader')}
            <input
              required
              value={r.readerId}
              pattern="[A-Za-z0-9][A-Za-z0-9._:\-]*"
              onChange={(e) => set(i, { readerId: e.target.value })}
            />
          </label>
          <label>
            {t('rules.checkpointName')}
            <input value={r.name} onChange={(e) => set(i, { name: e.target.value })} />
          </label>
          <label>
            {t('rules.expectedBy')}
            <input type="datetime-local" value={r.expectedBy} onChange={(e) => set(i, { expectedBy: e.target.value })} />
          </label>
          <button type="button" onClick={() => onChange(rows.filter((_, k) => k !== i))}>
            {t('rules.remove')}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { readerId: '', name: '', expectedBy: '' }])}>
        {t('rules.addCheckpoint')}
      </button>
    </fieldset>
  );
}
