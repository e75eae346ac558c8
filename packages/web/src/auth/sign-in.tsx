/** Sign-in: user name and password where the server has users, else (or by choice) the admin token. */
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import { clearToken, setToken } from './credentials';
import { TOKEN_USER, type User } from './roles';
import { loadSession, login } from './session';

export function SignIn({ loginAvailable, onSignedIn }: { loginAvailable: boolean; onSignedIn(u: User): void }) {
  const { t } = useI18n();
  const [useToken, setUseToken] = useState(!loginAvailable);
  const [error, setError] = useState('');
  const [fields, setFields] = useState({ username: '', password: '', token: '' });

  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setError('');
    try {
      if (useToken) {
        setToken(fields.token.trim());
        const s = await loadSession();
        if (!s.user) throw new Error('401');
        onSignedIn(s.user ?? TOKEN_USER);
      } else {
        onSignedIn(await login(fields.username, fields.password));
      }
    } catch (err) {
      if (useToken) clearToken();
      setError(t('signIn.failed', { detail: (err as ApiError).message }));
    }
  };

  return (
    <main className="sign-in">
      <form className="sign-in-card" onSubmit={handleSubmit} aria-labelledby="sign-in-heading">
        <h1 id="sign-in-heading">{t('signIn.heading')}</h1>
        {useToken ? (
          <>
            <p>{t('signIn.tokenHelp')}</p>
            <label htmlFor="token-input">{t('signIn.token')}</label>
            <input id="token-input" type="password" autoComplete="off" spellCheck={false} required value={fields.token} onChange={(e) => setFields({ ...fields, token: e.target.value })} />
          </>
        ) : (
          <>
            <label htmlFor="username">{t('signIn.username')}</label>
            <input id="username" autoComplete="username" required value={fields.username} onChange={(e) => setFields({ ...fields, username: e.target.value })} />
            <label htmlFor="password">{t('signIn.password')}</label>
            <input id="password" type="password" autoComplete="current-password" required value={fields.password} onChange={(e) => setFields({ ...fields, password: e.target.value })} />
          </>
        )}
        <p className="form-error" role="alert">{error}</p>
        <button type="submit" className="primary">{t('signIn.submit')}</button>
        {loginAvailable && (
          <button type="button" className="link" onClick={() => setUseToken(!useToken)}>{useToken ? t('signIn.heading') : t('signIn.useToken')}</button>
        )}
      </form>
    </main>
  );
}
