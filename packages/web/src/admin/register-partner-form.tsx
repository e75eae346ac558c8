/**
 * Registering a partner administration by the URL of its installation, with the agreement this side
 * applies (docs/federation.md): what is shared beyond the fixed minimum, where positions are shared,
 * how long its copies are kept. The server fetches the partner's federation document and pins its keys.
 */
import { useState, type FormEvent } from 'react';
import { request, type ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import { useNotices } from '../ui/notices';
import { sharedFields as fields } from './partner';

export function RegisterPartnerForm({ onRegistered }: { onRegistered: () => void }) {
  const { t } = useI18n();
  const { toast } = useNotices();
  const [url, setUrl] = useState('');
  const [shared, setShared] = useState<string[]>(['position', 'seal']);
  const [inside, setInside] = useState<'partner_territory' | 'whole_route'>('partner_territory');
  const [days, setDays] = useState('30');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const agreement = { fields: shared, positionsInside: inside, retentionDays: Number(days) };
      const p = await request<{ name: string }>('POST', '/api/v1/federation/partners', { url: url.trim(), agreement });
      toast(t('partners.registered', { name: p.name }));
      setUrl('');
      onRegistered();
    } catch (err) {
      toast(t('common.error', { detail: (err as ApiError).message }), 'error');
    }
  };

  return (
    <form className="form" aria-labelledby="register-partner-heading" onSubmit={(e) => void submit(e)}>
      <h3 id="register-partner-heading">{t('partners.register')}</h3>
      <label>
        {t('partners.url')}
        <input type="url" required value={url} placeholder="https://" onChange={(e) => setUrl(e.target.value)} />
      </label>
      <fieldset className="choices">
        <legend>{t('partners.fields')}</legend>
        {fields.map((f) => (
          <label key={f} className="check">
            <input
              type="checkbox"
              checked={shared.includes(f)}
              onChange={(e) => setShared(e.target.checked ? [...shared, f] : shared.filter((x) => x !== f))}
            />
            {t(`partners.field.${f}`)}
          </label>
        ))}
      </fieldset>
      <label>
        {t('partners.positionsInside')}
        <select value={inside} onChange={(e) => setInside(e.target.value as typeof inside)}>
          <option value="partner_territory">{t('partners.inside.partner_territory')}</option>
          <option value="whole_route">{t('partners.inside.whole_route')}</option>
        </select>
      </label>
      <label>
        {t('partners.retentionDays')}
        <input type="number" min={1} max={36500} required value={days} onChange={(e) => setDays(e.target.value)} />
      </label>
      <button type="submit">{t('partners.registerSubmit')}</button>
    </form>
  );
}
