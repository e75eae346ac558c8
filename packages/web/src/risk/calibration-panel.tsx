/**
 * Calibration: fit the active profile's weights to the recorded inspections, review the proposed
 * weights against the current ones with how often each indicator fired, and save the proposal as
 * a new (inactive) version.
 */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import { useNotices } from '../ui/notices';
import { riskApi, type Calibration } from './risk-api';

export function CalibrationPanel() {
  const { t, number } = useI18n();
  const { toast } = useNotices();
  const [options, setOptions] = useState({ l2: '1', minSupport: '30', randomOnly: false });
  const [result, setResult] = useState<Calibration | null>(null);
  const [busy, setBusy] = useState(false);
  // no recorded outcome to fit on: said in words, not as the server's error
  const [nothing, setNothing] = useState<'all' | 'random' | null>(null);

  const handleRun = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setNothing(null);
    try {
      setResult(
        await riskApi.calibrate({ l2: Number(options.l2), minSupport: Number(options.minSupport), randomOnly: options.randomOnly }),
      );
    } catch (err) {
      if (err instanceof ApiError && err.code === 'insufficient_outcomes') {
        setResult(null);
        setNothing(options.randomOnly ? 'random' : 'all');
      } else toast(t('common.error', { detail: (err as Error).message }), 'error');
    } finally {
      setBusy(false);
    }
  };
  const handleSave = async () => {
    if (!result) return;
    try {
      const { version: _v, ...body } = result.proposal;
      const saved = await riskApi.addProfile(body);
      toast(t('risk.profileSaved', { version: saved.version }));
      setResult(null);
    } catch (err) {
      toast(t('common.error', { detail: (err as Error).message }), 'error');
    }
  };

  return (
    <section className="card" aria-labelledby="calibration-heading">
      <h2 id="calibration-heading">{t('risk.calibration')}</h2>
      <p>{t('risk.calibrationHelp')}</p>
      <form className="form-row" onSubmit={(e) => void handleRun(e)}>
        <label className="field">
          <span>{t('risk.l2')}</span>
          <input type="number" min={0} step="0.1" value={options.l2} onChange={(e) => setOptions({ ...options, l2: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('risk.minSupport')}</span>
          <input
            type="number"
            min={0}
            step={1}
            value={options.minSupport}
            onChange={(e) => setOptions({ ...options, minSupport: e.target.value })}
          />
        </label>
        <label className="check">
          <input type="checkbox" checked={options.randomOnly} onChange={(e) => setOptions({ ...options, randomOnly: e.target.checked })} />{' '}
          {t('risk.randomOnly')}
        </label>
        <button type="submit" disabled={busy}>
          {t('risk.runCalibration')}
        </button>
      </form>
      {nothing && (
        <p className="empty" role="status">
          {t(nothing === 'random' ? 'risk.noRandomOutcomes' : 'risk.noOutcomes')}
        </p>
      )}
      {result && (
        <>
          <p role="status">{t('risk.fit', { samples: Number(result.fit.samples ?? 0), hits: Number(result.fit.hits ?? 0) })}</p>
          <table className="grid" aria-label={t('risk.proposedWeights')}>
            <thead>
              <tr>
                <th>{t('risk.indicator')}</th>
                <th className="num">{t('risk.current')}</th>
                <th className="num">{t('risk.proposed')}</th>
                <th className="num">{t('risk.support')}</th>
              </tr>
            </thead>
            <tbody>
              {result.changes.map((c) => (
                <tr key={c.code} className={c.kept ? 'muted' : undefined}>
                  <td>
                    <code>{c.code}</code>
                  </td>
                  <td className="num">{number(c.from, 2)}</td>
                  <td className="num">
                    {number(c.to, 3)}
                    {c.kept ? ` (${t('risk.kept')})` : ''}
                  </td>
                  <td className="num">{number(c.support)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {t('risk.intercept')}: {number(result.proposal.intercept, 3)}
          </p>
          <button type="button" onClick={() => void handleSave()}>
            {t('risk.saveProposal')}
          </button>
        </>
      )}
    </section>
  );
}
