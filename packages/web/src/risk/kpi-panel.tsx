/**
 * KPIs per office and period (lanes, inspection rate, hit rate, clearance time, inspections
 * avoided) as a table and charts, and hit rates per lane, selection reason and indicator.
 */
import { useEffect, useState } from 'react';
import type { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/i18n';
import { useNotices } from '../ui/notices';
import { BarChart } from './bar-chart';
import { laneList, riskApi, type HitRates, type KpiRow, type Period, type Rate } from './risk-api';

const periods: Period[] = ['day', 'week', 'month', 'quarter', 'year'];

export function KpiPanel() {
  const { t, number } = useI18n();
  const { toast } = useNotices();
  const [period, setPeriod] = useState<Period>('month');
  const [office, setOffice] = useState('*');
  const [rows, setRows] = useState<KpiRow[] | null>(null);
  const [hits, setHits] = useState<HitRates | null>(null);
  useEffect(() => {
    riskApi.kpis(period).then(
      (r) => setRows(r.items),
      (e: ApiError) => toast(t('common.error', { detail: e.message }), 'error'),
    );
  }, [period]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => void riskApi.hitRates().then(setHits, () => undefined), []);

  const pct = (v: number | null) => (v === null ? '—' : `${number(v * 100, 1)} %`);
  const hours = (s: number | null) => (s === null ? '—' : `${number(s / 3600, 1)} h`);
  const offices = [...new Set((rows ?? []).map((r) => r.office))];
  const shown = (rows ?? []).filter((r) => r.office === office);
  const rate = (label: string, r: Rate) => (
    <tr key={label}>
      <th scope="row">{label}</th>
      <td className="num">{number(r.inspections)}</td>
      <td className="num">{number(r.hits)}</td>
      <td className="num">{pct(r.hitRate)}</td>
    </tr>
  );

  return (
    <>
      <section className="card" aria-labelledby="kpi-heading">
        <h2 id="kpi-heading">{t('risk.kpis')}</h2>
        <div className="form-row">
          <label className="field">
            <span>{t('risk.period')}</span>
            <select value={period} onChange={(e) => setPeriod(e.target.value as Period)}>
              {periods.map((p) => (
                <option key={p} value={p}>
                  {t(`risk.period.${p}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('risk.office')}</span>
            <select value={office} onChange={(e) => setOffice(e.target.value)}>
              {(offices.length ? offices : ['*']).map((o) => (
                <option key={o} value={o}>
                  {o === '*' ? t('risk.allOffices') : o}
                </option>
              ))}
            </select>
          </label>
        </div>
        {!rows ? (
          <p>{t('common.loading')}</p>
        ) : shown.length === 0 ? (
          <p className="empty">{t('risk.noKpis')}</p>
        ) : (
          <>
            <div className="charts">
              <BarChart
                title={t('risk.inspectionRate')}
                bars={shown.map((r) => ({ label: r.period, value: r.inspectionRate }))}
                format={pct}
              />
              <BarChart title={t('risk.hitRate')} bars={shown.map((r) => ({ label: r.period, value: r.hitRate }))} format={pct} />
              <BarChart
                title={t('risk.avoided')}
                bars={shown.map((r) => ({ label: r.period, value: r.inspectionsAvoided }))}
                max={0}
                format={(v) => number(v)}
              />
            </div>
            <table className="grid" aria-label={t('risk.kpiTable')}>
              <thead>
                <tr>
                  <th>{t('risk.period')}</th>
                  {/* numbers are aligned to the end of their cells: so are their headers */}
                  <th className="num">{t('risk.movements')}</th>
                  {laneList.map((l) => (
                    <th key={l} className="num">
                      {t(`risk.lane.${l}` as MessageKey)}
                    </th>
                  ))}
                  <th className="num">{t('risk.inspectionRate')}</th>
                  <th className="num">{t('risk.hitRate')}</th>
                  <th className="num">{t('risk.clearanceMean')}</th>
                  <th className="num">{t('risk.clearanceMedian')}</th>
                  <th className="num">{t('risk.avoided')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.period}>
                    <th scope="row">{r.period}</th>
                    <td className="num">{number(r.movements)}</td>
                    {laneList.map((l) => (
                      <td key={l} className="num">
                        {number(r.lanes[l])}
                      </td>
                    ))}
                    <td className="num">{pct(r.inspectionRate)}</td>
                    <td className="num">{pct(r.hitRate)}</td>
                    <td className="num">{hours(r.clearanceMeanS)}</td>
                    <td className="num">{hours(r.clearanceMedianS)}</td>
                    <td className="num">{number(r.inspectionsAvoided)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      {hits && (
        <section className="card" aria-labelledby="hits-heading">
          <h2 id="hits-heading">{t('risk.hitRates')}</h2>
          <table className="grid" aria-label={t('risk.hitRates')}>
            <thead>
              <tr>
                <th />
                <th className="num">{t('risk.inspections')}</th>
                <th className="num">{t('risk.hits')}</th>
                <th className="num">{t('risk.hitRate')}</th>
              </tr>
            </thead>
            <tbody>
              {rate(t('risk.overall'), hits.overall)}
              {laneList.map((l) => rate(t(`risk.lane.${l}` as MessageKey), hits.byLane[l]))}
              {Object.entries(hits.byReason).map(([k, r]) => rate(t(`risk.reason.${k}` as MessageKey), r))}
              {hits.byIndicator.map((r) => rate(r.code, r))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
