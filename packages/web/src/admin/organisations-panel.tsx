/** Organisations: customs administrations (with the country of their jurisdiction), traders (AEO), device providers, auditors. */
import { useEffect, useState, type FormEvent } from 'react';
import { organisationKinds } from '@sealwatch/core/access/policy';
import type { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import { useNotices } from '../ui/notices';
import { accessApi, type Organisation } from './access-api';

const kinds = organisationKinds.filter((k) => k !== 'platform');

export function OrganisationsPanel() {
  const { t, dateTime } = useI18n();
  const { toast } = useNotices();
  const [orgs, setOrgs] = useState<Organisation[] | null>(null);
  const empty = { id: '', name: '', kind: 'customs' as string, country: '', aeo: false };
  const [form, setForm] = useState(empty);
  const reload = () =>
    void accessApi.organisations().then(setOrgs, (e: ApiError) => toast(t('common.error', { detail: e.message }), 'error'));
  useEffect(reload, []); // eslint-disable-line react-hooks/exhaustive-deps

  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await accessApi.createOrganisation({
        id: form.id.trim(),
        name: form.name.trim(),
        kind: form.kind,
        country: form.country.trim().toUpperCase() || null,
        aeo: form.kind === 'trader' && form.aeo,
      });
      toast(t('orgs.added', { name: form.name }));
      setForm(empty);
      reload();
    } catch (err) {
      toast(t('common.error', { detail: (err as ApiError).message }), 'error');
    }
  };

  return (
    <section aria-labelledby="orgs-heading">
      <h2 id="orgs-heading">{t('admin.tab.organisations')}</h2>
      <table className="grid" aria-labelledby="orgs-heading">
        <thead>
          <tr>
            {(['id', 'name', 'kind', 'country', 'aeo', 'created'] as const).map((k) => (
              <th key={k} scope="col">
                {t(`orgs.${k}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(orgs ?? []).map((o) => (
            <tr key={o.id}>
              <td>
                <code>{o.id}</code>
              </td>
              <th scope="row">{o.name}</th>
              <td>{t(`orgKind.${o.kind}`)}</td>
              <td>{o.country ?? '—'}</td>
              <td>{o.kind === 'trader' ? (o.aeo ? t('common.yes') : t('common.no')) : '—'}</td>
              <td>{dateTime(o.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {orgs === null && <p>{t('common.loading')}</p>}
      <form className="card form" onSubmit={handleSubmit} aria-labelledby="org-form-heading">
        <h3 id="org-form-heading">{t('orgs.new')}</h3>
        <label>
          {t('orgs.id')}
          <input required pattern="[\w.\-]{1,64}" value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} />
        </label>
        <label>
          {t('orgs.name')}
          <input required maxLength={200} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          {t('orgs.kind')}
          <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {t(`orgKind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('orgs.country')}
          <input
            pattern="[A-Za-z]{2}"
            maxLength={2}
            placeholder="KE"
            value={form.country}
            onChange={(e) => setForm({ ...form, country: e.target.value })}
            aria-describedby="org-country-help"
          />
        </label>
        <p className="hint" id="org-country-help">
          {t('orgs.countryHelp')}
        </p>
        {form.kind === 'trader' && (
          <label className="check">
            <input type="checkbox" checked={form.aeo} onChange={(e) => setForm({ ...form, aeo: e.target.checked })} /> {t('orgs.aeo')}
          </label>
        )}
        <button type="submit" className="primary">
          {t('common.create')}
        </button>
      </form>
    </section>
  );
}
