/**
 * A trader's consent to lend its devices (docs/security.md, lending consent): the requests that
 * administrations' declarations raised for its devices, each confirmed or refused here, and its
 * standing consents to an administration, given and withdrawn here. Through /custody/consents.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, get, post } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/messages';
import { useNotices } from '../ui/notices';

type Consent = Awaited<ReturnType<typeof get<'/api/v1/custody/consents'>>>['items'][number];
/** Ids in a sentence of any direction: each isolated (FSI … PDI), so an MRN keeps its order in Arabic. */
const iso = (s: string) => `\u2068${s}\u2069`;

export function DeviceLending({ movementOf }: { movementOf: (id: string) => { reference: string; status: string } | null }) {
  const { t, dateTime } = useI18n();
  const { toast } = useNotices();
  const administrationId = useId();
  const devicesId = useId();
  const [items, setItems] = useState<Consent[]>([]);
  const [administration, setAdministration] = useState('');
  const [devices, setDevices] = useState('');
  const reload = () =>
    void get('/api/v1/custody/consents', { query: { limit: 1000 } }).then(
      (page) => setItems(page.items),
      (e: Error) => toast(e.message, 'error'),
    );
  useEffect(() => {
    reload();
    const timer = setInterval(reload, 15_000);
    return () => clearInterval(timer);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const fail = (err: unknown) => toast(t('common.error', { detail: (err as ApiError).message }), 'error');
  const handleDecide = async (c: Consent, action: 'confirm' | 'refuse' | 'withdraw') => {
    try {
      const path = `/api/v1/custody/consents/{id}/${action}` as const;
      await post(path, { path: { id: c.id }, body: {} });
      toast(t(`lending.done.${action}` as MessageKey, { administration: c.administration }));
      reload();
    } catch (err) {
      fail(err);
    }
  };
  const handleGive = async (e: FormEvent) => {
    e.preventDefault();
    const named = devices
      .split(/[\s,]+/)
      .map((d) => d.trim())
      .filter(Boolean);
    try {
      await post('/api/v1/custody/consents', {
        body: { administration: administration.trim(), ...(named.length ? { devices: named } : {}) },
      });
      toast(t('lending.done.give', { administration: administration.trim() }));
      setAdministration('');
      setDevices('');
      reload();
    } catch (err) {
      fail(err);
    }
  };

  const requests = items.filter((c) => c.movement !== null && (c.status === 'requested' || c.status === 'confirmed'));
  const standing = items.filter((c) => c.movement === null && c.status === 'confirmed');
  return (
    <section className="card" aria-labelledby="lending-heading">
      <h2 id="lending-heading">{t('lending.heading')}</h2>
      <p>{t('lending.intro')}</p>
      <h3 id="lending-requests">{t('lending.requests')}</h3>
      {requests.length === 0 ? (
        <p className="empty">{t('lending.noRequests')}</p>
      ) : (
        <ul className="lending-list" aria-labelledby="lending-requests">
          {requests.map((c) => (
            <li key={c.id} className={`lending-item status-${c.status}`}>
              <span>
                {t('lending.request', {
                  administration: iso(c.administration),
                  movement: iso((c.movement && movementOf(c.movement)?.reference) ?? c.movement ?? ''),
                  devices: iso((c.devices ?? []).join(', ')),
                })}
              </span>
              <span className="lending-when">
                {t(`lending.status.${c.status}` as MessageKey)} · {dateTime(c.decidedAt ?? c.createdAt)}
              </span>
              <span className="actions">
                {c.status === 'requested' && (
                  <button type="button" onClick={() => void handleDecide(c, 'confirm')}>
                    {t('lending.confirm')}
                  </button>
                )}
                {/* Until the movement starts: then its devices stay armed until it ends. */}
                {(c.status === 'requested' || movementOf(c.movement!)?.status === 'declared') && (
                  <button type="button" onClick={() => void handleDecide(c, 'refuse')}>
                    {t('lending.refuse')}
                  </button>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3 id="lending-standing">{t('lending.standing')}</h3>
      {standing.length === 0 ? (
        <p className="empty">{t('lending.noStanding')}</p>
      ) : (
        <ul className="lending-list" aria-labelledby="lending-standing">
          {standing.map((c) => (
            <li key={c.id} className="lending-item">
              <span>
                {t('lending.standingItem', {
                  administration: iso(c.administration),
                  devices: c.devices ? iso(c.devices.join(', ')) : t('lending.allDevices'),
                  until: c.to ? dateTime(c.to) : t('lending.untilWithdrawn'),
                })}
              </span>
              <span className="actions">
                <button type="button" onClick={() => void handleDecide(c, 'withdraw')}>
                  {t('lending.withdraw')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <form className="inline-form" onSubmit={handleGive}>
        <label htmlFor={administrationId}>{t('lending.administration')}</label>
        <input id={administrationId} value={administration} onChange={(e) => setAdministration(e.target.value)} required />
        <label htmlFor={devicesId}>{t('lending.devices')}</label>
        <input id={devicesId} value={devices} onChange={(e) => setDevices(e.target.value)} />
        <button type="submit">{t('lending.give')}</button>
      </form>
    </section>
  );
}
