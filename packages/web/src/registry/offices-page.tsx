/**
 * Customs offices: the list, and a form to register one with its area drawn on the map (polygon
 * or circle, with typed coordinates as the keyboard path) or imported from GeoJSON, which is
 * loaded onto the map to check and adjust before saving. The same form edits an office (its code
 * fixed) and a confirmation deletes one; the server refuses both for an office that movements not
 * yet ended rely on, and the refusal is said in the reader's language.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, get, listAll, post, request } from '../api/client';
import type { Office } from '../api/types';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/messages';
import { Dialog } from '../ui/dialog';
import type { User } from '../auth/roles';
import { SketchMap } from '../map/sketch-map';
import { areaToSketch, emptySketch, historyOf, push, sketchToArea, type SketchHistory, type SketchKind } from '../map/sketch';
import { useNotices } from '../ui/notices';
import { parseArea } from './geojson-area';

/**
 * Who may change an office (the server's rule, shown here so no button is offered in vain): the
 * platform any, a customs administration those of its country.
 */
export function mayChangeOffice(self: Pick<User, 'organisation'> | null, office: Pick<Office, 'country'>): boolean {
  if (!self) return false;
  if (self.organisation.kind === 'platform') return true;
  return self.organisation.kind === 'customs' && self.organisation.country === office.country;
}

export function OfficesPage({ canWrite, self = null }: { canWrite: boolean; self?: Pick<User, 'organisation'> | null }) {
  const { t, unit } = useI18n();
  const { toast } = useNotices();
  const [offices, setOffices] = useState<Office[] | null>(null);
  const [form, setForm] = useState({ code: '', name: '', country: '' });
  const [shape, setShape] = useState<SketchHistory>(() => historyOf(emptySketch('polygon')));
  const [geojson, setGeojson] = useState('');
  const [areaError, setAreaError] = useState('');
  /** The office being edited (its code fixed), or null while the form registers a new one. */
  const [editing, setEditing] = useState<Office | null>(null);
  /** Whether the area was drawn or imported since the form was filled: only then is it sent. */
  const [areaTouched, setAreaTouched] = useState(false);
  const [deleting, setDeleting] = useState<Office | null>(null);
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
    setAreaTouched(true);
    setShape((h) => push(h, areaToSketch(r.area)));
  };
  /** A refusal in the reader's words where the console knows its code, else the server's detail. */
  const refusal = (err: unknown) => {
    const e = err as ApiError;
    const key = `offices.error.${e.code}` as MessageKey;
    const refs = Array.isArray(e.details?.references) ? (e.details.references as string[]) : [];
    const text = t(key, { count: String(e.details?.movements ?? refs.length), references: refs.join(', ') || '—' });
    return text === key ? t('common.error', { detail: e.message }) : text;
  };
  const resetForm = (kind: SketchKind = shape.sketch.kind) => {
    setForm({ code: '', name: '', country: '' });
    setShape(historyOf(emptySketch(kind)));
    setGeojson('');
    setAreaError('');
    setAreaTouched(false);
    setEditing(null);
  };
  const handleEdit = (o: Office) => {
    setEditing(o);
    setForm({ code: o.code, name: o.name, country: o.country });
    setShape(historyOf(areaToSketch(o.area)));
    setGeojson('');
    setAreaError('');
    setAreaTouched(false);
    document.getElementById('office-form-heading')?.scrollIntoView({ block: 'start' });
  };
  const handleDelete = async () => {
    const o = deleting;
    if (!o) return;
    try {
      await request('DELETE', `/api/v1/offices/${encodeURIComponent(o.code)}`);
      toast(t('offices.deleted', { code: o.code }));
      if (editing?.code === o.code) resetForm();
      reload();
    } catch (err) {
      toast(refusal(err), 'error');
    } finally {
      setDeleting(null);
    }
  };
  const handleFile = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    setGeojson(text);
    importText(text);
  };
  const handleKind = (kind: SketchKind) => {
    setAreaTouched(true);
    setShape((h) => (h.sketch.kind === kind ? h : push(h, emptySketch(kind))));
  };
  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const area = sketchToArea(shape.sketch);
    if (!area) return setAreaError(t('offices.drawArea'));
    const name = form.name.trim();
    const country = form.country.trim().toUpperCase();
    try {
      if (editing) {
        // Only what changed: an unchanged area is not sent, so renaming an office that movements rely on is allowed.
        const body = {
          ...(name !== editing.name ? { name } : {}),
          ...(country !== editing.country ? { country } : {}),
          ...(areaTouched ? { area } : {}),
        };
        if (Object.keys(body).length) await request('PATCH', `/api/v1/offices/${encodeURIComponent(editing.code)}`, body);
        toast(t('offices.saved', { code: editing.code }));
      } else {
        await post('/api/v1/offices', { body: { code: form.code.trim(), name, country, area } });
        toast(t('offices.created', { code: form.code }));
      }
      resetForm();
      reload();
    } catch (err) {
      toast(refusal(err), 'error');
    }
  };
  const describe = (o: Office) =>
    'center' in o.area
      ? t('offices.circle', { radius: unit(o.area.radiusM, 'meter') })
      : t('offices.polygon', { count: o.area.coordinates[0].length - 1 });

  return (
    <main className="page" aria-labelledby="offices-heading">
      <h1 id="offices-heading">{t('offices.heading')}</h1>
      <div className="table-scroll">
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('offices.code')}</th>
              <th scope="col">{t('offices.name')}</th>
              <th scope="col">{t('offices.country')}</th>
              <th scope="col">{t('offices.area')}</th>
              {canWrite && <th scope="col">{t('offices.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {(offices ?? []).map((o) => (
              <tr key={o.code}>
                <td>{o.code}</td>
                <td>{o.name}</td>
                <td>{o.country}</td>
                <td>{describe(o)}</td>
                {canWrite && !mayChangeOffice(self, o) && <td />}
                {canWrite && mayChangeOffice(self, o) && (
                  <td className="row-actions">
                    <button
                      type="button"
                      className="small"
                      aria-label={t('offices.editLabel', { code: o.code })}
                      onClick={() => handleEdit(o)}
                    >
                      {t('offices.edit')}
                    </button>
                    <button
                      type="button"
                      className="small"
                      aria-label={t('offices.deleteLabel', { code: o.code })}
                      onClick={() => setDeleting(o)}
                    >
                      {t('offices.delete')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {offices === null && <p>{t('common.loading')}</p>}
      {canWrite && (
        <form className="card form wide" onSubmit={handleSubmit} aria-labelledby="office-form-heading">
          <h2 id="office-form-heading">{editing ? t('offices.editHeading', { code: editing.code }) : t('common.create')}</h2>
          <label>
            {t('offices.code')}
            <input
              required
              maxLength={17}
              value={form.code}
              readOnly={!!editing}
              aria-describedby={editing ? 'office-code-fixed' : undefined}
              onChange={(e) => setForm({ ...form, code: e.target.value })}
            />
            {editing && (
              <small id="office-code-fixed" className="hint">
                {t('offices.codeFixed')}
              </small>
            )}
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
              setAreaTouched(true);
              setAreaError('');
            }}
            background={{ areas: (offices ?? []).filter((o) => o.code !== editing?.code).map((o) => o.area) }}
            focus={editing?.code ?? null}
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
          <div className="actions">
            <button type="submit" className="primary">
              {editing ? t('offices.save') : t('common.create')}
            </button>
            {editing && (
              <button type="button" onClick={() => resetForm()}>
                {t('offices.cancelEdit')}
              </button>
            )}
          </div>
        </form>
      )}
      <Dialog
        title={deleting ? t('offices.deleteTitle', { code: deleting.code }) : ''}
        open={deleting !== null}
        onClose={() => setDeleting(null)}
      >
        <p>{deleting ? t('offices.deleteBody', { name: deleting.name }) : ''}</p>
        <div className="actions">
          <button type="button" className="primary danger" onClick={() => void handleDelete()}>
            {t('offices.delete')}
          </button>
          <button type="button" onClick={() => setDeleting(null)}>
            {t('common.cancel')}
          </button>
        </div>
      </Dialog>
    </main>
  );
}
