/**
 * A movement's records: the trip report (printable page and JSON), its exchange documents (IFTSTA,
 * EPCIS events and DCSA events of its container: docs/exchange.md), and for audit.read the
 * evidence export, a file an auditor or a court checks offline with scripts/verify-evidence.mjs
 * against the server key's published thumbprint (docs/audit.md).
 */
import { useState } from 'react';
import { fetchFile, save } from '../api/files';
import { useI18n } from '../i18n/i18n-context';
import { useNotices } from '../ui/notices';

export function MovementRecords({
  id,
  reference,
  container,
  canAudit,
}: {
  id: string;
  reference: string;
  container: string | null;
  canAudit: boolean;
}) {
  const { t, lang } = useI18n();
  const { toast } = useNotices();
  const [busy, setBusy] = useState(false);
  const path = `/api/v1/movements/${encodeURIComponent(id)}`;
  const safe = reference.replace(/[^A-Za-z0-9._-]/g, '_');

  const open = async (url: string) => {
    try {
      window.open(URL.createObjectURL(await fetchFile(url)), '_blank', 'noopener');
    } catch (e) {
      toast(t('common.error', { detail: (e as Error).message }), 'error');
    }
  };
  const download = async (url: string, name: string) => {
    setBusy(true);
    try {
      save(await fetchFile(url), name);
      toast(t('records.saved', { name }));
    } catch (e) {
      toast(t('common.error', { detail: (e as Error).message }), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="records-heading">
      <h2 id="records-heading">{t('records.heading')}</h2>
      <ul className="records">
        <li>
          <a
            href={`${path}/report.html?lang=${lang}`}
            target="_blank"
            rel="noopener"
            onClick={(e) => {
              e.preventDefault();
              void open(`${path}/report.html?lang=${lang}`);
            }}
          >
            {t('movement.report')}
          </a>
          {' · '}
          <button type="button" className="link" onClick={() => void download(`${path}/report`, `trip-report-${safe}.json`)}>
            {t('records.reportJson')}
          </button>
        </li>
        <li>
          {t('records.exchange')}{' '}
          <button type="button" className="link" disabled={busy} onClick={() => void download(`${path}/iftsta`, `iftsta-${safe}.edi`)}>
            IFTSTA
          </button>
          {container && (
            <>
              {' · '}
              <button
                type="button"
                className="link"
                disabled={busy}
                onClick={() =>
                  void download(
                    `/epcis/events?${new URLSearchParams({ MATCH_epc: `${location.origin}/epcis/id/container/${container}`, perPage: '1000' })}`,
                    `epcis-${safe}.jsonld`,
                  )
                }
              >
                {t('records.epcis')}
              </button>
              {' · '}
              <button
                type="button"
                className="link"
                disabled={busy}
                onClick={() =>
                  void download(`/dcsa/tnt/v2/events?${new URLSearchParams({ equipmentReference: container })}`, `dcsa-tnt-${safe}.json`)
                }
              >
                {t('records.dcsa')}
              </button>
            </>
          )}
        </li>
        {canAudit && (
          <li>
            <button
              type="button"
              className="link"
              disabled={busy}
              onClick={() => void download(`${path}/evidence`, `evidence-${safe}.json`)}
            >
              {t('records.evidence')}
            </button>
            <p className="note">{t('records.evidenceNote')}</p>
            <code className="mono" translate="no">
              node scripts/verify-evidence.mjs evidence-{safe}.json --key &lt;{t('records.thumbprint')}&gt;
            </code>
          </li>
        )}
      </ul>
    </section>
  );
}
