/**
 * The sign-in page: user name and password, then the authenticator code when the account has a
 * second factor (the server answers `totp_required`); or the admin token, for installations
 * whose users are not set up yet.
 */
import { useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import { languageNames, languages, type Language } from '../i18n/i18n';
import { clearToken, setToken } from './credentials';
import type { User } from './roles';
import { loadSession, login } from './session';

export function SignIn({ onSignedIn }: { onSignedIn(u: User): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [useToken, setUseToken] = useState(false);
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [fields, setFields] = useState({ username: '', password: '', totp: '', token: '' });
  const totpRef = useRef<HTMLInputElement>(null);

  const explain = (err: ApiError) => {
    switch (err.code) {
      case 'invalid_credentials':
        return t('signIn.invalid');
      case 'too_many_attempts':
        return t('signIn.locked');
      case 'network_error':
        return t('signIn.unreachable');
      default:
        return t('signIn.failed', { detail: err.message });
    }
  };

  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    setBusy(true);
    try {
      if (useToken) {
        setToken(fields.token.trim());
        const { user } = await loadSession();
        if (!user) {
          clearToken();
          setError(t('signIn.badToken'));
          return;
        }
        onSignedIn(user);
        return;
      }
      onSignedIn(await login(fields.username.trim(), fields.password, needTotp ? fields.totp.trim() : undefined));
    } catch (err) {
      const apiErr = err as ApiError;
      if (apiErr.code === 'totp_required') {
        setNeedTotp(true);
        setTimeout(() => totpRef.current?.focus(), 0);
        return;
      }
      if (needTotp && apiErr.code === 'invalid_credentials') setFields((f) => ({ ...f, totp: '' }));
      setError(explain(apiErr));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form className="sign-in-card" onSubmit={handleSubmit} aria-labelledby="sign-in-heading" aria-busy={busy}>
        <div className="sign-in-top">
          <span className="brand">
            <img src="/favicon.svg" alt="" width={20} height={20} /> {t('app.title')}
          </span>
          <select value={i18n.lang} aria-label={t('lang.label')} onChange={(e) => i18n.setLanguage(e.target.value as Language)}>
            {languages.map((l) => (
              <option key={l} value={l} lang={l}>
                {languageNames[l]}
              </option>
            ))}
          </select>
        </div>
        <h1 id="sign-in-heading">{useToken ? t('signIn.tokenHeading') : t('signIn.heading')}</h1>
        {useToken ? (
          <>
            <p>{t('signIn.tokenHelp')}</p>
            <label htmlFor="token-input">{t('signIn.token')}</label>
            <input
              id="token-input"
              type="password"
              autoComplete="off"
              spellCheck={false}
              required
              value={fields.token}
              onChange={(e) => setFields({ ...fields, token: e.target.value })}
            />
          </>
        ) : (
          <>
            <label htmlFor="username">{t('signIn.username')}</label>
            <input
              id="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              readOnly={needTotp}
              value={fields.username}
              onChange={(e) => setFields({ ...fields, username: e.target.value })}
            />
            <label htmlFor="password">{t('signIn.password')}</label>
            <input
              id="password"
              type="password"
              autoComplete="current-password"
              required
              readOnly={needTotp}
              value={fields.password}
              onChange={(e) => setFields({ ...fields, password: e.target.value })}
            />
            {needTotp && (
              <>
                <p className="hint" id="totp-help">
                  {t('signIn.totpHelp')}
                </p>
                <label htmlFor="totp">{t('signIn.totp')}</label>
                <input
                  id="totp"
                  ref={totpRef}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  pattern="\d{6}"
                  maxLength={6}
                  required
                  aria-describedby="totp-help"
                  value={fields.totp}
                  onChange={(e) => setFields({ ...fields, totp: e.target.value.replace(/\D/g, '') })}
                />
              </>
            )}
          </>
        )}
        <p className="form-error" role="alert">
          {error}
        </p>
        <button type="submit" className="primary" disabled={busy}>
          {t('signIn.submit')}
        </button>
        {needTotp && !useToken && (
          <button
            type="button"
            className="link"
            onClick={() => {
              setNeedTotp(false);
              setFields({ ...fields, password: '', totp: '' });
            }}
          >
            {t('signIn.otherUser')}
          </button>
        )}
        <button
          type="button"
          className="link"
          onClick={() => {
            setUseToken(!useToken);
            setError('');
          }}
        >
          {useToken ? t('signIn.usePassword') : t('signIn.useToken')}
        </button>
      </form>
    </main>
  );
}
