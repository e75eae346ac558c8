/** The risk reference: levels of origin countries, HS chapters and office pairs; analysts add, change and remove entries. */
import { useEffect, useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/i18n';
import { useNotices } from '../ui/notices';
import { riskApi, type Level, type ReferenceEntry, type ReferenceKind } from './risk-api';

const kinds: ReferenceKind[] = ['origin_country', 'hs_chapter', 'office_pair'];
const levels: Level[] = ['low', 'medium', 'high'];

export function ReferencePanel({ canWrite }: { canWrite: boolean }) {
  const { t, dateTime } = useI18n();
  const { toast } = useNotices();
  const [items, setItems] = useState<ReferenceEntry[] | null>(null);
  const [form, setForm] = useState<{ kind: ReferenceKind; key: string; level: Level; note: string }>({
    kind: 'origin_country',
    key: '',
    level: 'high',
    note: '',
  });
  const reload = () =>
    void riskApi.reference().then(
      (r) => setItems(r.items),
      (e: ApiError) => toast(e.message, 'error'),
    );
  useEffect(reload, []); // eslint-disable-line react-hooks/exhaustive-deps
  const fail = (e: unknown) => toast(t('common.error', { detail: (e as ApiError).message }), 'error');

  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await riskApi.setReference(form.kind, form.key.trim(), form.level, form.note.trim() || null);
      toast(t('risk.referenceSaved', { key: form.key.trim() }));
      setForm({ ...form, key: '', note: '' });
      reload();
    } catch (err) {
      fail(err);
    }
  };
  const handleDelete = async (e: ReferenceEntry) => {
    try {
      await riskApi.deleteReference(e.kind, e.key);
      reload();
    } catch (err) {
      fail(err);
    }
  };

  return (
    <>
      {kinds.map((kind) => (
        <section key={kind} className="card" aria-labelledby={`ref-${kind}`}>
          <h2 id={`ref-${kind}`}>{t(`risk.kind.${kind}` as MessageKey)}</h2>
          {!items ? (
            <p>{t('common.loading')}</p>
          ) : (
            <table className="grid" aria-labelledby={`ref-${kind}`}>
              <thead>
                <tr>
                  <th>{t('risk.key')}</th>
                  <th>{t('risk.level')}</th>
                  <th>{t('risk.note')}</th>
                  <th>{t('risk.updated')}</th>
                  {canWrite && <th />}
                </tr>
              </thead>
              <tbody>
                {items
                  .filter((e) => e.kind === kind)
                  .map((e) => (
                    <tr key={e.key}>
                      <th scope="row" dir="ltr">
                        {e.key}
                      </th>
                      <td>
                        <span className={`badge level-${e.level}`}>{t(`risk.levelName.${e.level}` as MessageKey)}</span>
                      </td>
                      <td>{e.note ?? '—'}</td>
                      <td>
                        {dateTime(e.updatedAt)} · {e.updatedBy}
                      </td>
                      {canWrite && (
                        <td>
                          <button type="button" className="ghost" onClick={() => void handleDelete(e)}>
                            {t('risk.remove', { key: e.key })}
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
      {canWrite && (
        <section className="card" aria-labelledby="ref-form">
          <h2 id="ref-form">{t('risk.rate')}</h2>
          <p>{t('risk.rateHelp')}</p>
          <form className="form-row" onSubmit={(e) => void handleSubmit(e)}>
            <label className="field">
              <span>{t('risk.kind')}</span>
              <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as ReferenceKind })}>
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {t(`risk.kind.${k}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('risk.key')}</span>
              <input
                required
                dir="ltr"
                value={form.key}
                placeholder={form.kind === 'origin_country' ? 'KE' : form.kind === 'hs_chapter' ? '24' : 'KEMBA>UGMAL'}
                onChange={(e) => setForm({ ...form, key: e.target.value })}
              />
            </label>
            <label className="field">
              <span>{t('risk.level')}</span>
              <select value={form.level} onChange={(e) => setForm({ ...form, level: e.target.value as Level })}>
                {levels.map((l) => (
                  <option key={l} value={l}>
                    {t(`risk.levelName.${l}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('risk.note')}</span>
              <input value={form.note} onChange={(e) => setForm({ ...form, note: e.target.value })} />
            </label>
            <button type="submit">{t('risk.saveEntry')}</button>
          </form>
        </section>
      )}
    </>
  );
}
