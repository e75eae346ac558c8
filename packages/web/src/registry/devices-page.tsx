/**
 * Devices: health (silent, battery low), class, kind, protocol, battery, last seen, key; and a
 * form to register one. A device provider's home: the server lists only its own devices. Each
 * device opens its page (device-page.tsx: battery forecast, keys, remote commands).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, get, listAll, post } from '../api/client';
import type { Device } from '../api/types';
import { codeWords } from '../i18n/domain-words';
import { useI18n } from '../i18n/i18n-context';
import { useNotices } from '../ui/notices';
import { useTick } from '../ui/hooks';
import { deviceHealth, healthCounts, type DeviceHealth } from './device-health';

const classes = ['passive', 'semi_active', 'active'] as const;
const kinds = ['e_seal', 'e_lock', 'tracker', 'container_sensor', 'rfid_seal', 'reader'] as const;

export function DevicesPage({ canWrite }: { canWrite: boolean }) {
  const i18n = useI18n();
  const { t, unit, ago, number } = i18n;
  const now = useTick(30_000);
  const { toast } = useNotices();
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [form, setForm] = useState({
    id: '',
    class: 'active' as (typeof classes)[number],
    kind: 'e_lock' as (typeof kinds)[number],
    protocol: 'native',
    key: '',
  });
  const reload = () =>
    void listAll((cursor) => get('/api/v1/devices', { query: { limit: 1000, cursor } }), 5).then(
      (r) => setDevices(r.items),
      (e: Error) => toast(e.message, 'error'),
    );
  useEffect(reload, []); // eslint-disable-line react-hooks/exhaustive-deps

  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    let key = null;
    try {
      key = form.key.trim() ? JSON.parse(form.key) : null;
    } catch (err) {
      return toast(t('common.error', { detail: (err as Error).message }), 'error');
    }
    try {
      await post('/api/v1/devices', {
        body: { id: form.id.trim(), class: form.class, kind: form.kind, protocol: form.protocol.trim(), key } as never,
      });
      toast(t('devices.created', { id: form.id }));
      setForm({ ...form, id: '', key: '' });
      reload();
    } catch (err) {
      toast(t('common.error', { detail: (err as ApiError).message }), 'error');
    }
  };

  return (
    <main className="page" aria-labelledby="devices-heading">
      <h1 id="devices-heading">{t('devices.heading')}</h1>
      {devices && (
        <dl className="counts health" aria-label={t('health.summary')}>
          {(Object.entries(healthCounts(devices, now)) as [DeviceHealth, number][]).map(([h, n]) => (
            <div key={h} className={`health-${h}`}>
              <dt>{t(`health.${h}`)}</dt>
              <dd>{number(n)}</dd>
            </div>
          ))}
        </dl>
      )}
      <table className="grid" aria-labelledby="devices-heading">
        <thead>
          <tr>
            {(['id', 'health', 'class', 'kind', 'protocol', 'battery', 'lastSeen', 'key'] as const).map((k) => (
              <th key={k} scope="col">
                {t(`devices.${k}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(devices ?? []).map((d) => (
            <tr key={d.id}>
              <th scope="row">
                <a href={`#/devices/${encodeURIComponent(d.id)}`}>{d.id}</a>
              </th>
              <td>
                <span className={`badge health-${deviceHealth(d, now)}`}>{t(`health.${deviceHealth(d, now)}`)}</span>
              </td>
              <td>{codeWords(i18n, 'deviceClass', d.class)}</td>
              <td>{codeWords(i18n, 'deviceKind', d.kind)}</td>
              <td>{codeWords(i18n, 'protocol', d.protocol)}</td>
              <td>{unit(d.battery?.level, 'percent')}</td>
              <td>{ago(d.lastSeenAt)}</td>
              <td>{d.key?.alg ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {devices === null && <p>{t('common.loading')}</p>}
      {devices?.length === 0 && <p className="empty">{t('devices.empty')}</p>}
      {canWrite && (
        <form className="card form" onSubmit={handleSubmit} aria-labelledby="device-form-heading">
          <h2 id="device-form-heading">{t('common.create')}</h2>
          <label>
            {t('devices.id')}
            <input required value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} />
          </label>
          <label>
            {t('devices.class')}
            <select value={form.class} onChange={(e) => setForm({ ...form, class: e.target.value as never })}>
              {classes.map((c) => (
                <option key={c} value={c}>
                  {codeWords(i18n, 'deviceClass', c)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('devices.kind')}
            <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as never })}>
              {kinds.map((c) => (
                <option key={c} value={c}>
                  {codeWords(i18n, 'deviceKind', c)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('devices.protocol')}
            <input
              required
              pattern="[a-z0-9_]{2,32}"
              value={form.protocol}
              onChange={(e) => setForm({ ...form, protocol: e.target.value })}
            />
          </label>
          <label>
            {t('devices.keyJson')}
            <textarea rows={3} value={form.key} onChange={(e) => setForm({ ...form, key: e.target.value })} />
          </label>
          <button type="submit" className="primary">
            {t('common.create')}
          </button>
        </form>
      )}
    </main>
  );
}
