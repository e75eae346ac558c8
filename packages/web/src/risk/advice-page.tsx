/**
 * Device-class advice for a planned movement (#/advice): the trader gives the trip, goods and
 * origin; the server ranks passive, semi-active and active devices by expected cost (rental,
 * readers, expected examinations) and shows what each saves against the dearest.
 */
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/i18n';
import { useNotices } from '../ui/notices';
import { riskApi, type Advice } from './risk-api';
import './risk.css';

export function AdvicePage() {
  const { t, number } = useI18n();
  const { toast } = useNotices();
  const [form, setForm] = useState({
    distanceKm: '1100',
    durationH: '40',
    readersOnRoute: '4',
    hsChapter: '',
    originCountry: '',
    departureOffice: '',
    destinationOffice: '',
  });
  const [advice, setAdvice] = useState<Advice | null>(null);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const money = (v: number) => number(v, 2);

  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const optional = (v: string) => (v.trim() ? v.trim() : undefined);
    try {
      setAdvice(
        await riskApi.advice({
          distanceKm: Number(form.distanceKm),
          durationH: Number(form.durationH),
          readersOnRoute: Number(form.readersOnRoute),
          hsChapter: optional(form.hsChapter),
          originCountry: optional(form.originCountry)?.toUpperCase(),
          departureOffice: optional(form.departureOffice),
          destinationOffice: optional(form.destinationOffice),
        }),
      );
    } catch (err) {
      toast(t('common.error', { detail: (err as ApiError).message }), 'error');
    }
  };

  return (
    <main className="page" aria-labelledby="advice-heading">
      <h1 id="advice-heading">{t('advice.heading')}</h1>
      <p>{t('advice.intro')}</p>
      <form className="card form-grid" onSubmit={(e) => void handleSubmit(e)}>
        <label className="field">
          <span>{t('advice.distance')}</span>
          <input type="number" required min={0} value={form.distanceKm} onChange={set('distanceKm')} />
        </label>
        <label className="field">
          <span>{t('advice.duration')}</span>
          <input type="number" required min={0} value={form.durationH} onChange={set('durationH')} />
        </label>
        <label className="field">
          <span>{t('advice.readers')}</span>
          <input type="number" required min={0} step={1} value={form.readersOnRoute} onChange={set('readersOnRoute')} />
        </label>
        <label className="field">
          <span>{t('advice.hsChapter')}</span>
          <input dir="ltr" value={form.hsChapter} placeholder="8471" onChange={set('hsChapter')} />
        </label>
        <label className="field">
          <span>{t('advice.origin')}</span>
          <input dir="ltr" maxLength={2} value={form.originCountry} placeholder="KE" onChange={set('originCountry')} />
        </label>
        <label className="field">
          <span>{t('advice.from')}</span>
          <input dir="ltr" value={form.departureOffice} onChange={set('departureOffice')} />
        </label>
        <label className="field">
          <span>{t('advice.to')}</span>
          <input dir="ltr" value={form.destinationOffice} onChange={set('destinationOffice')} />
        </label>
        <button type="submit">{t('advice.submit')}</button>
      </form>
      {advice && (
        <section className="card" aria-labelledby="advice-result">
          <h2 id="advice-result">{t('advice.result')}</h2>
          <p role="status">
            {t('advice.summary', {
              score: number(advice.score, 2),
              recommended: advice.recommended ? t(`advice.class.${advice.recommended}` as MessageKey) : '—',
              without: number(advice.inspectionProbabilityWithout * 100, 1),
            })}
          </p>
          <table className="grid" aria-label={t('advice.options')}>
            <thead>
              <tr>
                <th>{t('advice.class')}</th>
                <th>{t('advice.rental')}</th>
                <th>{t('advice.infrastructure')}</th>
                <th>{t('advice.inspectionChance')}</th>
                <th>{t('advice.expectedCost')}</th>
                <th>{t('advice.saving')}</th>
              </tr>
            </thead>
            <tbody>
              {advice.options.map((o) => (
                <tr key={o.deviceClass} className={o.deviceClass === advice.recommended ? 'recommended' : o.feasible ? undefined : 'muted'}>
                  <th scope="row">
                    {t(`advice.class.${o.deviceClass}` as MessageKey)}
                    {o.deviceClass === advice.recommended ? ` · ${t('advice.recommended')}` : ''}
                    {o.feasible ? '' : ` · ${t('advice.infeasible')}`}
                  </th>
                  <td className="num">{money(o.rental)}</td>
                  <td className="num">{money(o.infrastructure)}</td>
                  <td className="num">{number(o.inspectionProbability * 100, 1)} %</td>
                  <td className="num">{money(o.expectedCost)}</td>
                  <td className="num">{money(o.savingVsMostExpensive)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}
