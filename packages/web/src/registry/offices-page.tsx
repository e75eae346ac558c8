/**
 * Customs offices: the list, and a form to register one with its area drawn on the map (polygon
 * or circle, with typed coordinates as the keyboard path) or imported from GeoJSON, which is
 * loaded onto the map to check and adjust before saving.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, get, listAll, post } from '../api/client';
import type { Office } from '../api/types';
import { useI18n } from '../i18n/i18n-context';
import { SketchMap } from '../map/sketch-map';
import { areaToSketch, emptySketch, historyOf, push, sketchToArea, type SketchHistory, type SketchKind } from '../map/sketch';
import { useNotices } from '../ui/notices';
import { parseArea } from './geojson-area';

export function OfficesPage({ canWrite }: { canWrite: boolean }) {
  const { t, number } = useI18n();
  const { toast } = useNotices();
  const [offices, setOffices] = useState<Office[] | null>(null);
  const [form, setForm] = useState({ code: '', name: '', country: '' });
  const [shape, setShape] = useState<SketchHistory>(() => historyOf(emptySketch('polygon')));
  const [geojson, setGeojson] = useState('');
  const [areaError, setAreaError] = useState('');
  const reload = () =>
    void listAll((cursor) => get('/api/v1/offices', { query: { limit: 500, cursor } })).then(
      (r) => setOffices(r.items),
      (e: Error) => toast(e.message, 'error'),
    );
  useEffect(reload, []); // eslint-disable-line react-hooks/exhaustive-deps

  const importText = (text: string) => {
    const r = parseArea(text);
    if (!r.ok) return setAreaError(t('offices.badGeoJson', { detail: r.error }));
    setAreaError('');
    setShape((h) => push(h, areaToSketch(r.area)));
  };
  const handleFile = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    setGeojson(text);
    importText(text);
  };
  const handleKind = (kind: SketchKind) => setShape((h) => (h.sketch.kind === kind ? h : push(h, emptySketch(kind))));
  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const area = sketchToArea(shape.sketch);
    if (!area) return setAreaError(t('offices.drawArea'));
    try {
      await post('/api/v1/offices', {
        body: { code: form.code.trim(), name: form.name.trim(), country: form.country.trim().toUpperCase(), area },
      });
      toast(t('offices.created', { code: form.code }));
      setForm({ code: '', name: '', country: '' });
      setShape(historyOf(emptySketch(shape.sketch.kind)));
      setGeojson('');
      setAreaError('');
      reload();
    } catch (err) {
      toast(t('common.error', { detail: (err as ApiError).message }), 'error');
    }
  };
  const describe = (o: Office) =>
    'center' in o.area
      ? t('offices.circle', { radius: `${number(o.area.radiusM)} m` })
      : t('offices.polygon', { count: o.area.coordinates[0].length - 1 });

  return (
    <main className="page" aria-labelledby="offices-heading">
      <h1 id="offices-heading">{t('offices.heading')}</h1>
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">{t('offices.code')}</th>
            <th scope="col">{t('offices.name')}</th>
            <th scope="col">{t('offices.country')}</th>
            <th scope="col">{t('offices.area')}</th>
          </tr>
        </thead>
        <tbody>
          {(offices ?? []).map((o) => (
            <tr key={o.code}>
              <td>{o.code}</td>
              <td>{o.name}</td>
              <td>{o.country}</td>
              <td>{describe(o)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {offices === null && <p>{t('common.loading')}</p>}
      {canWrite && (
        <form className="card form wide" onSubmit={handleSubmit} aria-labelledby="office-form-heading">
          <h2 id="office-form-heading">{t('common.create')}</h2>
          <label>
            {t('offices.code')}
            <input required maxLength={17} value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} />
          </label>
          <label>
            {t('offices.name')}
            <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </label>
          <label>
            {t('offices.country')}
            <input
              required
              pattern="[A-Za-z]{2}"
              maxLength={2}
              value={form.country}
              onChange={(e) => setForm({ ...form, country: e.target.value })}
            />
          </label>
          <fieldset className="inline">
            <legend>{t('offices.shape')}</legend>
            {(['polygon', 'circle'] as const).map((k) => (
              <label key={k} className="radio">
                <input type="radio" name="office-shape" checked={shape.sketch.kind === k} onChange={() => handleKind(k)} />
                {t(`sketch.kind.${k}`)}
              </label>
            ))}
          </fieldset>
          <SketchMap
            label={t('offices.area')}
            history={shape}
            onChange={(h) => {
              setShape(h);
              setAreaError('');
            }}
            background={{ areas: (offices ?? []).map((o) => o.area) }}
          />
          <details>
            <summary>{t('offices.importGeoJson')}</summary>
            <label>
              {t('offices.importFile')}
              <input
                type="file"
                accept=".json,.geojson,application/geo+json,application/json"
                onChange={(e) => void handleFile(e.target.files?.[0])}
              />
            </label>
            <label>
              {t('offices.areaGeoJson')}
              <textarea rows={4} value={geojson} onChange={(e) => setGeojson(e.target.value)} />
            </label>
            <button type="button" onClick={() => importText(geojson)} disabled={!geojson.trim()}>
              {t('offices.loadGeoJson')}
            </button>
          </details>
          <p id="area-error" className="form-error" role="alert">
            {areaError}
          </p>
          <button type="submit" className="primary">
            {t('common.create')}
          </button>
        </form>
      )}
    </main>
  );
}
