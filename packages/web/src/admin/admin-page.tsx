/** Administration: organisations, users, API tokens and federation partners, one tab each (#/admin/organisations|users|tokens|partners). */
import { useI18n } from '../i18n/i18n-context';
import { OrganisationsPanel } from './organisations-panel';
import { PartnersPanel } from './partners-panel';
import { TokensPanel } from './tokens-panel';
import { UsersPanel } from './users-panel';

const tabs = ['users', 'organisations', 'tokens', 'partners'] as const;
type Tab = (typeof tabs)[number];

export function AdminPage({ tab, self }: { tab: string | undefined; self: { id: string; permissions: string[] } }) {
  const { t } = useI18n();
  const current: Tab = (tabs as readonly string[]).includes(tab ?? '') ? (tab as Tab) : 'users';
  return (
    <main className="page admin" aria-labelledby="admin-heading">
      <h1 id="admin-heading">{t('admin.heading')}</h1>
      <nav aria-label={t('admin.sections')}>
        <ul className="tabs">
          {tabs.map((x) => (
            <li key={x}>
              <a href={`#/admin/${x}`} aria-current={x === current ? 'page' : undefined}>
                {t(`admin.tab.${x}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {current === 'users' && <UsersPanel />}
      {current === 'organisations' && <OrganisationsPanel />}
      {current === 'tokens' && <TokensPanel admin self={self} />}
      {current === 'partners' && <PartnersPanel />}
    </main>
  );
}

/** A non-administrator's own API tokens (#/tokens). */
export function TokensPage({ self }: { self: { id: string; permissions: string[] } }) {
  const { t } = useI18n();
  return (
    <main className="page admin" aria-labelledby="tokens-heading">
      <h1 id="tokens-heading">{t('tokens.heading')}</h1>
      <TokensPanel admin={false} self={self} />
    </main>
  );
}
