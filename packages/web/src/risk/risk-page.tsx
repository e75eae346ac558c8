/**
 * The risk analyst's console (#/risk/<tab>): profile versions with an editor the server validates
 * and activation; calibration proposals reviewed against the current weights and saved as a new
 * version; KPIs per office and period with charts and hit rates; the risk reference tables.
 * Changing anything needs risk.write; reading, risk.read.
 */
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/i18n';
import { CalibrationPanel } from './calibration-panel';
import { KpiPanel } from './kpi-panel';
import { ProfilesPanel } from './profiles-panel';
import { ReferencePanel } from './reference-panel';
import './risk.css';

const tabs = ['profiles', 'calibration', 'kpis', 'reference'] as const;
type Tab = (typeof tabs)[number];

export function RiskPage({ tab, canWrite }: { tab: string | undefined; canWrite: boolean }) {
  const { t } = useI18n();
  const current: Tab = (tabs as readonly string[]).includes(tab ?? '') ? (tab as Tab) : 'profiles';
  return (
    <main className="page risk-page" aria-labelledby="risk-page-heading">
      <h1 id="risk-page-heading">{t('risk.heading')}</h1>
      <nav aria-label={t('risk.sections')}>
        <ul className="tabs">
          {tabs
            .filter((x) => canWrite || x !== 'calibration')
            .map((x) => (
              <li key={x}>
                <a href={`#/risk/${x}`} aria-current={x === current ? 'page' : undefined}>
                  {t(`risk.tab.${x}` as MessageKey)}
                </a>
              </li>
            ))}
        </ul>
      </nav>
      {current === 'profiles' && <ProfilesPanel canWrite={canWrite} />}
      {current === 'calibration' && canWrite && <CalibrationPanel />}
      {current === 'kpis' && <KpiPanel />}
      {current === 'reference' && <ReferencePanel canWrite={canWrite} />}
    </main>
  );
}
