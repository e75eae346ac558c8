/**
 * The audit trail (audit.read): the server key that signs the checkpoints, by its RFC 7638
 * thumbprint (publish it so auditors can check evidence exports offline), a verification of the
 * whole hash chain and its signed checkpoints with the result (or the first altered entry), and
 * the entries of the chain, a page at a time (after a verification, the latest page).
 */
import { useEffect, useState } from 'react';
import { request } from '../api/client';
import { alertTypes, eventTypes } from '@sealwatch/core/model';
import { codeWords } from '../i18n/domain-words';
import { useI18n } from '../i18n/i18n-context';
import { useNotices } from '../ui/notices';
import '../ui/screens.css';

// actions that are alert or event types read as their names; the others (API operations) stay as recorded
const knownTypes = new Set<string>([...alertTypes, ...eventTypes]);

/** The verification report of POST /audit/verify (server/src/audit/audit-verify.ts). */
export interface AuditReport {
  ok: boolean;
  entries: number;
  checkpoints: number;
  /** `seq`: the position in `chain` (`main`: the whole trail of embedded mode and of trails written before chains). */
  problem?: { chain?: string; seq: number; code: string; detail: string };
}
interface AuditKey {
  keyId: string;
  publicJwk: Record<string, string>;
}
interface AuditEntry {
  seq: number;
  kind: string;
  time: string;
  actor: string;
  action: string;
  subjects: string[];
  hash: string;
}

const PAGE = 50;

export function AuditPage() {
  const i18n = useI18n();
  const { t, dateTime, number, type: typeName } = i18n;
  const { toast } = useNotices();
  const [key, setKey] = useState<AuditKey | null>(null);
  const [report, setReport] = useState<{ report: AuditReport; at: string } | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [fromSeq, setFromSeq] = useState(1);
  const [nextFrom, setNextFrom] = useState<number | null>(null);

  useEffect(() => {
    void request<AuditKey>('GET', '/api/v1/audit/key').then(setKey, (e: Error) => toast(e.message, 'error'));
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    request<{ items: AuditEntry[]; nextFromSeq: number | null }>('GET', `/api/v1/audit/entries?fromSeq=${fromSeq}&limit=${PAGE}`).then(
      (page) => {
        setEntries(page.items);
        setNextFrom(page.nextFromSeq);
      },
      () => setEntries([]),
    );
  }, [fromSeq]);

  const handleVerify = async () => {
    setVerifying(true);
    try {
      const r = await request<AuditReport>('POST', '/api/v1/audit/verify', {});
      setReport({ report: r, at: new Date().toISOString() });
      setFromSeq(Math.max(1, r.entries - PAGE + 1));
    } catch (e) {
      toast(t('common.error', { detail: (e as Error).message }), 'error');
    } finally {
      setVerifying(false);
    }
  };

  return (
    <main className="page" aria-labelledby="audit-heading">
      <h1 id="audit-heading">{t('audit.heading')}</h1>
      <div className="columns">
        <section className="card" aria-labelledby="audit-key-heading">
          <h2 id="audit-key-heading">{t('audit.key')}</h2>
          <p className="note">{t('audit.keyNote')}</p>
          {key ? (
            <dl className="facts">
              <dt>{t('audit.thumbprint')}</dt>
              <dd className="mono" id="audit-thumbprint">
                {key.keyId}
              </dd>
              <dt>{t('audit.publicKey')}</dt>
              <dd className="mono" translate="no">
                {JSON.stringify(key.publicJwk)}
              </dd>
            </dl>
          ) : (
            <p>{t('common.loading')}</p>
          )}
        </section>
        <section className="card" aria-labelledby="audit-verify-heading">
          <h2 id="audit-verify-heading">{t('audit.verify')}</h2>
          <p className="note">{t('audit.verifyNote')}</p>
          <p>
            <button type="button" className="primary" disabled={verifying} onClick={() => void handleVerify()}>
              {verifying ? t('audit.verifying') : t('audit.verifyButton')}
            </button>
          </p>
          <div role="status" aria-live="polite">
            {report &&
              (report.report.ok ? (
                <p className="verify-ok">
                  {t('audit.ok', {
                    entries: number(report.report.entries),
                    checkpoints: number(report.report.checkpoints),
                    at: dateTime(report.at),
                  })}
                </p>
              ) : (
                <p className="verify-bad">
                  {t('audit.bad', {
                    // A chain's name is an identifier (partition:3), shown as is after the position.
                    seq: report.report.problem
                      ? `${report.report.problem.seq}${report.report.problem.chain && report.report.problem.chain !== 'main' ? ` (${report.report.problem.chain})` : ''}`
                      : '?',
                    code: report.report.problem?.code ?? '?',
                    detail: report.report.problem?.detail ?? '',
                  })}
                </p>
              ))}
          </div>
        </section>
      </div>
      <section className="card" aria-labelledby="audit-entries-heading">
        <h2 id="audit-entries-heading">{t('audit.entries')}</h2>
        <div className="inline">
          <button type="button" disabled={fromSeq <= 1} onClick={() => setFromSeq(Math.max(1, fromSeq - PAGE))}>
            {t('audit.previous')}
          </button>
          <button type="button" disabled={!nextFrom} onClick={() => nextFrom && setFromSeq(nextFrom)}>
            {t('audit.next')}
          </button>
        </div>
        {entries === null ? (
          <p>{t('common.loading')}</p>
        ) : entries.length === 0 ? (
          <p className="empty">{t('audit.none')}</p>
        ) : (
          <table className="grid" aria-labelledby="audit-entries-heading">
            <thead>
              <tr>
                {(['seq', 'time', 'kind', 'action', 'actor', 'subjects', 'hash'] as const).map((k) => (
                  <th key={k} scope="col">
                    {t(`audit.col.${k}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td>
                  <td>{dateTime(e.time)}</td>
                  <td>{codeWords(i18n, 'audit.kind', e.kind)}</td>
                  <td>{knownTypes.has(e.action) ? typeName(e.action) : <code translate="no">{e.action}</code>}</td>
                  <td>{e.actor === 'system' ? codeWords(i18n, 'audit.actor', e.actor) : <span translate="no">{e.actor}</span>}</td>
                  <td translate="no">{e.subjects.join(', ')}</td>
                  <td className="mono">{e.hash.slice(0, 16)}…</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}
