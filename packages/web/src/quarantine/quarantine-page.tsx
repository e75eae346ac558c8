/**
 * The quarantine (quarantine.read): every rejected input with its reason, detail, transport,
 * sender and device, newest first, filtered by reason and device; each entry opens its raw bytes
 * as a hex dump, as base64, or as text where they are text. Nothing is silently dropped
 * (DESIGN §3): this is where an operator sees what was refused and why.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { get } from '../api/client';
import { rejectReasons } from '@sealwatch/core/model';
import { codeWords } from '../i18n/domain-words';
import { useI18n } from '../i18n/i18n-context';
import { useNotices } from '../ui/notices';
import { bytesOfBase64, hexDump, textOf } from './raw-bytes';
import '../ui/screens.css';

type Query = NonNullable<Parameters<typeof get<'/api/v1/quarantine'>>[1]>['query'];
type Entry = Awaited<ReturnType<typeof get<'/api/v1/quarantine'>>>['items'][number];
type Reason = NonNullable<NonNullable<Query>['reason']>;

export function QuarantinePage() {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const { toast } = useNotices();
  const [filter, setFilter] = useState({ reason: '' as Reason | '', device: '' });
  const [applied, setApplied] = useState(filter);
  const [items, setItems] = useState<Entry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);

  const load = (cursor?: string) =>
    get('/api/v1/quarantine', {
      query: { limit: 100, cursor, reason: applied.reason || undefined, device: applied.device.trim() || undefined },
    }).then(
      (r) => {
        setItems((prev) => (cursor ? [...(prev ?? []), ...r.items] : r.items));
        setNext(r.nextCursor);
      },
      (e: Error) => toast(t('common.error', { detail: e.message }), 'error'),
    );
  useEffect(() => {
    setItems(null);
    void load();
  }, [applied]); // eslint-disable-line react-hooks/exhaustive-deps

  const handleFilter = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ ...filter });
  };

  return (
    <main className="page" aria-labelledby="quarantine-heading">
      <h1 id="quarantine-heading">{t('quarantine.heading')}</h1>
      <p className="note">{t('quarantine.intro')}</p>
      <form className="inline" onSubmit={handleFilter} role="search" aria-label={t('quarantine.filters')}>
        <label>
          {t('quarantine.reason')}
          <select value={filter.reason} onChange={(e) => setFilter({ ...filter, reason: e.target.value as Reason | '' })}>
            <option value="">{t('quarantine.anyReason')}</option>
            {rejectReasons.map((r) => (
              <option key={r} value={r}>
                {codeWords(i18n, 'reject', r)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('quarantine.device')}
          <input value={filter.device} onChange={(e) => setFilter({ ...filter, device: e.target.value })} />
        </label>
        <button type="submit">{t('quarantine.apply')}</button>
      </form>
      {items === null && <p>{t('common.loading')}</p>}
      {items?.length === 0 && <p className="empty">{t('quarantine.empty')}</p>}
      {items && items.length > 0 && (
        <ol className="quarantine" aria-label={t('quarantine.entries')}>
          {items.map((q) => (
            <QuarantineEntry key={q.id} entry={q} when={dateTime(q.receivedAt)} />
          ))}
        </ol>
      )}
      {next && (
        <p>
          <button type="button" onClick={() => void load(next)}>
            {t('quarantine.more')}
          </button>
        </p>
      )}
    </main>
  );
}

function QuarantineEntry({ entry, when }: { entry: Entry; when: string }) {
  const i18n = useI18n();
  const { t, number } = i18n;
  const [view, setView] = useState<'hex' | 'base64' | 'text'>('hex');
  const bytes = bytesOfBase64(entry.raw);
  const text = bytes ? textOf(bytes) : null;
  const shown = view === 'base64' || !bytes ? entry.raw : view === 'text' && text !== null ? text : hexDump(bytes);
  return (
    <li className="card quarantine-entry">
      <details>
        <summary>
          <strong>{codeWords(i18n, 'reject', entry.reason)}</strong> · {when} · <span translate="no">{entry.transport}</span>
          <span translate="no">
            {entry.device ? ` · ${entry.device}` : ''}
            {entry.seq !== null ? ` #${entry.seq}` : ''}
          </span>
        </summary>
        <dl className="facts">
          <dt>{t('quarantine.detail')}</dt>
          {/* the server's own words for the refusal, as logged: kept verbatim for whoever fixes the device */}
          <dd>
            <code lang="en" translate="no">
              {entry.detail}
            </code>
          </dd>
          <dt>{t('quarantine.remote')}</dt>
          <dd>{entry.remote ?? '—'}</dd>
          <dt>{t('quarantine.size')}</dt>
          <dd>{t('quarantine.bytes', { count: number(bytes?.length ?? 0) })}</dd>
        </dl>
        <div role="radiogroup" aria-label={t('quarantine.rawAs')} className="inline">
          {(['hex', 'base64', 'text'] as const).map((v) => (
            <label key={v} className="radio">
              <input
                type="radio"
                name={`raw-${entry.id}`}
                checked={view === v}
                disabled={v === 'text' && text === null}
                onChange={() => setView(v)}
              />
              {t(`quarantine.as.${v}`)}
            </label>
          ))}
        </div>
        <pre className="bytes" translate="no" tabIndex={0} role="region" aria-label={t('quarantine.raw')}>
          {shown}
        </pre>
      </details>
    </li>
  );
}
