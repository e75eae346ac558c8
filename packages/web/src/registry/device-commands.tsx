/**
 * Remote commands of a device whose protocol carries them (core's commandCapabilities): the list
 * with status and the device's answer, and, with devices.command, a remote unlock for a movement
 * that has arrived at its office of destination, with the reason kept in the audit trail. A
 * command still queued or sent is polled until it is acknowledged, failed, expired or cancelled.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { supportedCommands } from '@sealwatch/core/commands/command-rules';
import { ApiError, get, listAll, post } from '../api/client';
import type { Movement } from '../api/types';
import { codeWords } from '../i18n/domain-words';
import { useI18n } from '../i18n/i18n-context';
import { useNotices } from '../ui/notices';

type Command = Awaited<ReturnType<typeof get<'/api/v1/commands/{id}'>>>;
const POLL_MS = 2000;
/** A command in one of these states will not change any more. */
export const isFinal = (c: Pick<Command, 'status'>) => !['queued', 'sent'].includes(c.status);

export function DeviceCommands({ device, protocol, canCommand }: { device: string; protocol: string; canCommand: boolean }) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const { toast, announce } = useNotices();
  const supported = supportedCommands(protocol);
  const [commands, setCommands] = useState<Command[] | null>(null);
  const [arrived, setArrived] = useState<Movement[]>([]);
  const [form, setForm] = useState({ movement: '', reason: '', password: '' });
  const reload = () =>
    void get('/api/v1/devices/{id}/commands', { path: { id: device }, query: { limit: 50 } }).then(
      (r) => setCommands(r.items),
      (e: Error) => toast(e.message, 'error'),
    );
  useEffect(() => {
    reload();
    if (canCommand)
      void listAll((cursor) => get('/api/v1/movements', { query: { limit: 500, cursor } }), 4).then(
        (r) => setArrived(r.items.filter((m) => m.status === 'arrived' && m.devices.includes(device))),
        () => undefined,
      );
  }, [device]); // eslint-disable-line react-hooks/exhaustive-deps

  // Follow the commands still on their way.
  const pending = (commands ?? [])
    .filter((c) => !isFinal(c))
    .map((c) => c.id)
    .join(',');
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => {
      void Promise.all(pending.split(',').map((id) => get('/api/v1/commands/{id}', { path: { id } }))).then(
        (fresh) => {
          setCommands((cs) => (cs ?? []).map((c) => fresh.find((f) => f.id === c.id) ?? c));
          for (const f of fresh)
            if (isFinal(f))
              announce(t('commands.finished', { type: t(`commands.type.${f.type}`), status: t(`commands.status.${f.status}`) }));
        },
        () => undefined,
      );
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [pending]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!supported.length)
    return (
      <section className="card" aria-labelledby="commands-heading">
        <h2 id="commands-heading">{t('commands.heading')}</h2>
        <p className="empty">{t('commands.unsupported', { protocol: codeWords(i18n, 'protocol', protocol) })}</p>
      </section>
    );

  const handleUnlock = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const c = await post('/api/v1/devices/{id}/commands', {
        path: { id: device },
        body: {
          type: 'unlock',
          movement: form.movement,
          reason: form.reason.trim(),
          params: protocol === 'jt600' ? { password: form.password } : {},
        },
      });
      toast(t('commands.queued', { id: c.id }));
      setForm({ ...form, reason: '', password: '' });
      reload();
    } catch (err) {
      toast(t('common.error', { detail: (err as ApiError).message }), 'error');
    }
  };
  const movementRef = (id: string) => arrived.find((m) => m.id === id)?.reference ?? id;

  return (
    <section className="card" aria-labelledby="commands-heading">
      <h2 id="commands-heading">{t('commands.heading')}</h2>
      <p className="note">{t('commands.supported', { types: supported.map((c) => t(`commands.type.${c}`)).join(', ') })}</p>
      <table className="grid" aria-labelledby="commands-heading">
        <thead>
          <tr>
            {(['type', 'status', 'movement', 'reason', 'requested', 'answer'] as const).map((k) => (
              <th key={k} scope="col">
                {t(`commands.${k}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(commands ?? []).map((c) => (
            <tr key={c.id} data-command={c.id}>
              <td>{t(`commands.type.${c.type}`)}</td>
              <td className={`status-${c.status}`} aria-live="polite">
                {t(`commands.status.${c.status}`)}
              </td>
              <td>{movementRef(c.movement)}</td>
              <td>{c.reason}</td>
              <td>
                {dateTime(c.createdAt)} · {c.requestedBy}
              </td>
              <td>{c.result?.detail ?? (isFinal(c) ? '—' : t('commands.waiting', { expires: dateTime(c.expiresAt) }))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {commands?.length === 0 && <p className="empty">{t('commands.none')}</p>}
      {canCommand && supported.includes('unlock') && (
        <form className="form" onSubmit={handleUnlock} aria-labelledby="unlock-heading">
          <h3 id="unlock-heading">{t('commands.unlock')}</h3>
          <p className="note">{t('commands.unlockHelp')}</p>
          <label>
            {t('commands.movement')}
            <select required value={form.movement} onChange={(e) => setForm({ ...form, movement: e.target.value })}>
              <option value="" />
              {arrived.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.reference} · {m.destinationOffice}
                </option>
              ))}
            </select>
          </label>
          {arrived.length === 0 && <p className="empty">{t('commands.noArrived')}</p>}
          <label>
            {t('commands.reason')}
            <textarea rows={2} required value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} />
          </label>
          {protocol === 'jt600' && (
            <label>
              {t('commands.password')}
              <input
                required
                type="password"
                autoComplete="off"
                pattern=".{6}"
                value={form.password}
                onChange={(e) => setForm({ ...form, password: e.target.value })}
              />
            </label>
          )}
          <button type="submit" className="primary" disabled={!arrived.length}>
            {t('commands.queue')}
          </button>
        </form>
      )}
    </section>
  );
}
