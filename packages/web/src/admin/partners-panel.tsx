/**
 * Federation partners (#/admin/partners): each partner's agreement, pinned keys, last exchange and
 * outbox backlog, the acceptance of a partner's new key and the registration of a partner by URL
 * with its agreement (docs/federation.md). Ending a partnership stays an API call.
 */
import { useEffect, useState } from 'react';
import { request, type ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import { useNotices } from '../ui/notices';
import { RegisterPartnerForm } from './register-partner-form';

/** GET /api/v1/federation/partners items (federation.routes.ts). */
export interface Partner {
  administration: string;
  name: string;
  country: string;
  url: string;
  agreement: { fields: string[]; positionsInside: 'partner_territory' | 'whole_route'; retentionDays: number };
  keys: { kid: string }[];
  pendingKeys: { kid: string }[] | null;
  endedAt: string | null;
  lastExchangeAt: string | null;
  backlog: number;
}

export function PartnersPanel() {
  const { t, dateTime } = useI18n();
  const { toast } = useNotices();
  const [partners, setPartners] = useState<Partner[] | null>(null);
  const [off, setOff] = useState(false);
  const reload = () =>
    void request<{ items: Partner[] }>('GET', '/api/v1/federation/partners').then(
      (r) => setPartners(r.items),
      (e: ApiError) => (e.status === 409 ? setOff(true) : toast(t('common.error', { detail: e.message }), 'error')),
    );
  useEffect(reload, []); // eslint-disable-line react-hooks/exhaustive-deps

  const handleAccept = async (p: Partner) => {
    try {
      await request('POST', `/api/v1/federation/partners/${encodeURIComponent(p.administration)}/keys/accept`, {});
      toast(t('partners.accepted', { name: p.name }));
      reload();
    } catch (err) {
      toast(t('common.error', { detail: (err as ApiError).message }), 'error');
    }
  };

  if (off) return <p>{t('partners.off')}</p>;
  return (
    <section aria-labelledby="partners-heading">
      <h2 id="partners-heading">{t('admin.tab.partners')}</h2>
      <p>{t('partners.intro')}</p>
      <table className="grid" aria-labelledby="partners-heading">
        <thead>
          <tr>
            {(['administration', 'country', 'agreement', 'keys', 'lastExchange', 'backlog', 'status'] as const).map((k) => (
              <th key={k} scope="col">
                {t(`partners.${k}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(partners ?? []).map((p) => (
            <tr key={p.administration}>
              <th scope="row">
                <code>{p.administration}</code> {p.name}
              </th>
              <td>{p.country}</td>
              <td>
                {[t('partners.alwaysShared'), ...p.agreement.fields].join(', ')}; {t(`partners.inside.${p.agreement.positionsInside}`)};{' '}
                {t('partners.retention', { days: String(p.agreement.retentionDays) })}
              </td>
              <td>
                {p.keys.map((k) => (
                  <code key={k.kid} title={k.kid}>
                    {k.kid.slice(0, 12)}…{' '}
                  </code>
                ))}
                {p.pendingKeys && (
                  <div role="status">
                    {t('partners.pending')}{' '}
                    <button type="button" onClick={() => void handleAccept(p)}>
                      {t('partners.accept')}
                    </button>
                  </div>
                )}
              </td>
              <td>{p.lastExchangeAt ? dateTime(p.lastExchangeAt) : t('partners.never')}</td>
              <td>{p.backlog}</td>
              <td>{p.endedAt ? `${t('partners.ended')} ${dateTime(p.endedAt)}` : t('partners.active')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {partners === null && <p>{t('common.loading')}</p>}
      {partners?.length === 0 && <p>{t('partners.empty')}</p>}
      {partners !== null && <RegisterPartnerForm onRegistered={reload} />}
    </section>
  );
}
