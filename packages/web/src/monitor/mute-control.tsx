/**
 * A movement's notification mute, beside the map: while muted, its alerts are still recorded and
 * grouped into incidents, without announcement or alarm; shown with its reason and end. Set with a
 * reason and a duration, ended at once. Other consoles learn of it at their next snapshot.
 */
import { useState, type FormEvent } from 'react';
import { request } from '../api/client';
import type { MovementMute } from '../api/types';
import { useI18n } from '../i18n/i18n-context';
import type { LiveStore } from '../live/live-store';
import { useStore } from '../ui/hooks';

const HOURS = [1, 4, 12, 24, 72];

export function MuteControl({ store, movementId }: { store: LiveStore; movementId: string }) {
  const { t, dateTime } = useI18n();
  useStore(store, ['incidents']);
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState(4);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mute = store.mutes.get(movementId);
  const path = `/api/v1/movements/${encodeURIComponent(movementId)}/mute`;
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const handleMute = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const until = new Date(Date.now() + hours * 3_600_000).toISOString();
      store.setMute(movementId, await request<MovementMute>('PUT', path, { reason: reason.trim(), until }));
      setReason('');
    });
  };
  if (mute) {
    return (
      <div className="mute" role="group" aria-label={t('mute.label')}>
        <span className="incident-muted">{t('incidents.muted', { until: dateTime(mute.until), reason: mute.reason })}</span>
        <button
          type="button"
          className="small"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              await request('DELETE', path);
              store.setMute(movementId, null);
            })
          }
        >
          {t('mute.end')}
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </div>
    );
  }
  return (
    <form className="mute" aria-label={t('mute.label')} onSubmit={handleMute}>
      <label>
        <span>{t('mute.reason')}</span>
        <input required minLength={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <label>
        <span>{t('mute.hours')}</span>
        <select value={hours} onChange={(e) => setHours(Number(e.target.value))}>
          {HOURS.map((h) => (
            <option key={h} value={h}>
              {h}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="small" disabled={busy}>
        {t('mute.submit')}
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
