/**
 * A device's custody (docs/security.md): to whom its owner handed it and for which period, and
 * whether it is armed on a movement (named only to a party to that movement). The owner (a device
 * provider) or the platform hands it over to an organisation and ends a grant, through
 * `/devices/{id}/custody`; a holder cannot pass it on, so the screen is for devices.write only.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, get, post } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import { useNotices } from '../ui/notices';

type Custody = Awaited<ReturnType<typeof get<'/api/v1/devices/{id}/custody'>>>;

export function DeviceCustody({ device }: { device: string }) {
  const { t, dateTime } = useI18n();
  const { toast } = useNotices();
  const holderId = useId();
  const [custody, setCustody] = useState<Custody | null>(null);
  const [holder, setHolder] = useState('');
  const reload = () =>
    void get('/api/v1/devices/{id}/custody', { path: { id: device } }).then(setCustody, (e: Error) => toast(e.message, 'error'));
  useEffect(reload, [device]); // eslint-disable-line react-hooks/exhaustive-deps

  const fail = (err: unknown) => toast(t('common.error', { detail: (err as ApiError).message }), 'error');
  const handleGrant = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const g = await post('/api/v1/devices/{id}/custody', { path: { id: device }, body: { holder: holder.trim() } });
      toast(t('custody.granted', { holder: g.holder }));
      setHolder('');
      reload();
    } catch (err) {
      fail(err);
    }
  };
  const handleEnd = async (grantId: string, who: string) => {
    try {
      await post('/api/v1/devices/{id}/custody/{grantId}/end', { path: { id: device, grantId }, body: {} });
      toast(t('custody.ended', { holder: who }));
      reload();
    } catch (err) {
      fail(err);
    }
  };

  const now = Date.now();
  return (
    <section className="card" aria-labelledby="custody-heading">
      <h2 id="custody-heading">{t('custody.heading')}</h2>
      {custody && (
        <p>
          {custody.movement
            ? t('custody.armed', { movement: custody.movement })
            : custody.armed
              ? t('custody.armedHidden')
              : t('custody.notArmed')}
        </p>
      )}
      {custody && custody.items.length === 0 && <p>{t('custody.none')}</p>}
      {custody && custody.items.length > 0 && (
        <table className="grid" aria-labelledby="custody-heading">
          <thead>
            <tr>
              <th scope="col">{t('custody.holder')}</th>
              <th scope="col">{t('custody.from')}</th>
              <th scope="col">{t('custody.to')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('custody.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {custody.items.map((g) => (
              <tr key={g.id}>
                <th scope="row">{g.holder}</th>
                <td>{dateTime(g.from)}</td>
                <td>{g.to ? dateTime(g.to) : t('custody.open')}</td>
                <td className="actions">
                  {(!g.to || Date.parse(g.to) > now) && (
                    <button type="button" onClick={() => void handleEnd(g.id, g.holder)}>
                      {t('custody.end')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="inline-form" onSubmit={handleGrant}>
        <label htmlFor={holderId}>{t('custody.holderId')}</label>
        <input id={holderId} value={holder} onChange={(e) => setHolder(e.target.value)} required />
        <button type="submit">{t('custody.grant')}</button>
      </form>
    </section>
  );
}
