/**
 * Federation partners (#/admin/partners): each partner's agreement (and this side's own shorter
 * retention per data class), pinned keys, last exchange and outbox backlog; accepting a partner's
 * new key and ending a partnership, each after a confirmation that says what it does; and the
 * registration of a partner by URL with its agreement (docs/federation.md).
 */
import { useEffect, useState } from 'react';
import { request, type ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import { useNotices } from '../ui/notices';
import { ownRetention, type Partner } from './partner';
import { AcceptKeysDialog, EndPartnershipDialog } from './partner-dialogs';
import { RegisterPartnerForm } from './register-partner-form';

export function PartnersPanel() {
  const { t, dateTime } = useI18n();
  const { toast } = useNotices();
  const [partners, setPartners] = useState<Partner[] | null>(null);
  const [off, setOff] = useState(false);
  const [accepting, setAccepting] = useState<Partner | null>(null);
  const [ending, setEnding] = useState<Partner | null>(null);
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
      throw err;
    }
  };
  const handleEnd = async (p: Partner) => {
    try {
      await request('DELETE', `/api/v1/federation/partners/${encodeURIComponent(p.administration)}`);
      toast(t('partners.endedToast', { name: p.name }));
      reload();
    } catch (err) {
      toast(t('common.error', { detail: (err as ApiError).message }), 'error');
      throw err;
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
                {ownRetention(p).length > 0 && (
                  <div>
                    {t('partners.ownRetention', {
                      classes: ownRetention(p)
                        .map(([f, d]) => t('partners.classDays', { field: t(`partners.field.${f}`), days: String(d) }))
                        .join(', '),
                    })}
                  </div>
                )}
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
                    <button type="button" onClick={() => setAccepting(p)}>
                      {t('partners.accept')}
                    </button>
                  </div>
                )}
              </td>
              <td>{p.lastExchangeAt ? dateTime(p.lastExchangeAt) : t('partners.never')}</td>
              <td>{p.backlog}</td>
              <td>
                {p.endedAt ? (
                  `${t('partners.ended')} ${dateTime(p.endedAt)}`
                ) : (
                  <>
                    {t('partners.active')}{' '}
                    <button type="button" className="small" onClick={() => setEnding(p)}>
                      {t('partners.end')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {partners === null && <p>{t('common.loading')}</p>}
      {partners?.length === 0 && <p>{t('partners.empty')}</p>}
      {partners !== null && <RegisterPartnerForm onRegistered={reload} />}
      <AcceptKeysDialog partner={accepting} onClose={() => setAccepting(null)} onAccept={handleAccept} />
      <EndPartnershipDialog partner={ending} onClose={() => setEnding(null)} onEnd={handleEnd} />
    </section>
  );
}
