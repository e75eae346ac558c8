/**
 * Profile versions: the list (active marked), one version's indicators, an editor over the JSON
 * of a version (the server validates and lists every problem) and activation.
 */
import { useEffect, useState } from 'react';
import type { ApiError } from '../api/client';
import { codeWords, indicatorDescription, profileName, profileNote } from '../i18n/domain-words';
import { useI18n } from '../i18n/i18n-context';
import { useNotices } from '../ui/notices';
import { ProfileRejected, riskApi, type ProfileIssue, type StoredProfile } from './risk-api';

/** The editable part of a profile: everything but the version the server assigns. */
function editable(p: StoredProfile): string {
  const { version: _v, ...rest } = p.profile;
  return JSON.stringify({ ...rest, basedOn: p.version, note: '' }, null, 2);
}

export function ProfilesPanel({ canWrite }: { canWrite: boolean }) {
  const i18n = useI18n();
  const { t, number, dateTime } = i18n;
  const { toast } = useNotices();
  const [list, setList] = useState<StoredProfile[] | null>(null);
  const [shown, setShown] = useState<StoredProfile | null>(null);
  const [draft, setDraft] = useState<string | null>(null);
  const [issues, setIssues] = useState<ProfileIssue[]>([]);
  const reload = async (select?: number) => {
    const items = (await riskApi.profiles()).items;
    setList(items);
    setShown(items.find((p) => p.version === select) ?? items.find((p) => p.active) ?? items[0] ?? null);
  };
  useEffect(() => void reload().catch((e: Error) => toast(e.message, 'error')), []); // eslint-disable-line react-hooks/exhaustive-deps

  const handleSave = async () => {
    let body: unknown;
    try {
      body = JSON.parse(draft ?? '');
    } catch (e) {
      return setIssues([{ path: '(json)', message: (e as Error).message }]);
    }
    try {
      const saved = await riskApi.addProfile(body);
      setIssues([]);
      setDraft(null);
      toast(t('risk.profileSaved', { version: saved.version }));
      await reload(saved.version);
    } catch (e) {
      if (e instanceof ProfileRejected) setIssues(e.issues);
      else toast(t('common.error', { detail: (e as ApiError).message }), 'error');
    }
  };
  const handleActivate = async (p: StoredProfile) => {
    try {
      await riskApi.activate(p.version);
      toast(t('risk.activated', { version: p.version }));
      await reload(p.version);
    } catch (e) {
      toast(t('common.error', { detail: (e as ApiError).message }), 'error');
    }
  };

  if (!list) return <p>{t('common.loading')}</p>;
  return (
    <div className="columns">
      <section className="card" aria-labelledby="profiles-heading">
        <h2 id="profiles-heading">{t('risk.profiles')}</h2>
        <table className="grid" aria-labelledby="profiles-heading">
          <thead>
            <tr>
              <th>{t('risk.version')}</th>
              <th>{t('risk.name')}</th>
              <th>{t('risk.created')}</th>
              <th>{t('risk.state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((p) => (
              <tr key={p.version} aria-selected={shown?.version === p.version}>
                <td>
                  <button type="button" className="link" onClick={() => setShown(p)}>
                    {t('risk.versionN', { version: p.version })}
                  </button>
                </td>
                <td>
                  {profileName(i18n, p.profile.name)}
                  {p.administration === null && <span className="hint"> · {t('risk.installationProfile')}</span>}
                </td>
                <td>
                  {dateTime(p.createdAt)} · {codeWords(i18n, 'audit.actor', p.createdBy)}
                </td>
                <td>{p.active ? <strong className="badge">{t('risk.active')}</strong> : '—'}</td>
                <td>
                  {canWrite && !p.active && (
                    <button type="button" onClick={() => void handleActivate(p)}>
                      {t('risk.activateN', { version: p.version })}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {shown && draft === null && (
        <section className="card" aria-labelledby="version-heading">
          <h2 id="version-heading">{t('risk.versionTitle', { version: shown.version, name: profileName(i18n, shown.profile.name) })}</h2>
          <p>
            {t('risk.versionFacts', {
              intercept: number(shown.profile.intercept, 2),
              red: shown.profile.thresholds.red,
              yellow: shown.profile.thresholds.yellow,
              blue: shown.profile.thresholds.blue,
              random: number(shown.profile.randomRate * 100, 1),
            })}
          </p>
          {shown.profile.note && <p>{profileNote(i18n, shown.profile.note)}</p>}
          <table className="grid">
            <thead>
              <tr>
                <th>{t('risk.indicator')}</th>
                <th>{t('risk.source')}</th>
                <th>{t('risk.weight')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.profile.indicators.map((i) => (
                <tr key={i.code}>
                  <td title={indicatorDescription(i18n, i.code, i.description)}>
                    <code translate="no">{i.code}</code> {indicatorDescription(i18n, i.code, i.description)}
                  </td>
                  <td>{t(i.source === 'static' ? 'risk.static' : 'risk.device')}</td>
                  <td className="num">{number(i.weight, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {canWrite && (
            <button
              type="button"
              onClick={() => {
                setDraft(editable(shown));
                setIssues([]);
              }}
            >
              {t('risk.newFrom', { version: shown.version })}
            </button>
          )}
        </section>
      )}
      {draft !== null && (
        <section className="card" aria-labelledby="editor-heading">
          <h2 id="editor-heading">{t('risk.editor')}</h2>
          <p>{t('risk.editorHelp')}</p>
          <label className="field">
            <span>{t('risk.profileJson')}</span>
            <textarea value={draft} rows={24} spellCheck={false} dir="ltr" onChange={(e) => setDraft(e.target.value)} />
          </label>
          {issues.length > 0 && (
            <div role="alert" className="problems">
              <p>{t('risk.problems', { count: issues.length })}</p>
              <ul>
                {issues.map((i, k) => (
                  <li key={k}>
                    <code>{i.path}</code>: {i.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="actions">
            <button type="button" onClick={() => void handleSave()}>
              {t('risk.saveVersion')}
            </button>
            <button type="button" className="ghost" onClick={() => setDraft(null)}>
              {t('risk.cancel')}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
