/**
 * API tokens for systems: created with scopes (never beyond the owner's rights) and an expiry,
 * shown once, listed without their secret, revoked at once. Administrators see and make every
 * user's tokens; other users their own.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { permissions as allPermissions, rolePermissions, type Role } from '@sealwatch/core/access/policy';
import type { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import { useNotices } from '../ui/notices';
import { accessApi, tokenState, type Account, type ApiTokenRecord } from './access-api';

export function TokensPanel({ admin, self }: { admin: boolean; self: { id: string; permissions: string[] } }) {
  const { t, dateTime } = useI18n();
  const { toast } = useNotices();
  const [tokens, setTokens] = useState<ApiTokenRecord[] | null>(null);
  const [users, setUsers] = useState<Account[]>([]);
  const [shown, setShown] = useState<{ name: string; token: string } | null>(null);
  const userName = useMemo(() => new Map(users.map((u) => [u.id, u.username])), [users]);
  const fail = (e: unknown) => toast(t('common.error', { detail: (e as ApiError).message }), 'error');
  const reload = () => {
    void accessApi.tokens().then(setTokens, fail);
    if (admin) void accessApi.users().then(setUsers, fail);
  };
  useEffect(reload, [admin]); // eslint-disable-line react-hooks/exhaustive-deps

  const revoke = async (tk: ApiTokenRecord) => {
    if (!window.confirm(t('tokens.confirmRevoke', { name: tk.name }))) return;
    try {
      await accessApi.revokeToken(tk.id);
      toast(t('tokens.revoked', { name: tk.name }));
      reload();
    } catch (e) {
      fail(e);
    }
  };

  const now = Date.now();
  return (
    <section aria-labelledby="tokens-list-heading">
      <h2 id="tokens-list-heading">{t('admin.tab.tokens')}</h2>
      {shown && (
        <div className="card token-once" role="status">
          <strong>{t('tokens.shownOnce', { name: shown.name })}</strong>
          <label>
            {t('tokens.token')}
            <input readOnly value={shown.token} aria-label={t('tokens.token')} onFocus={(e) => e.target.select()} />
          </label>
          <div className="dialog-actions">
            <button
              type="button"
              onClick={() =>
                void navigator.clipboard?.writeText(shown.token).then(
                  () => toast(t('tokens.copied')),
                  () => undefined,
                )
              }
            >
              {t('tokens.copy')}
            </button>
            <button type="button" className="primary" onClick={() => setShown(null)}>
              {t('tokens.stored')}
            </button>
          </div>
        </div>
      )}
      <table className="grid" aria-labelledby="tokens-list-heading">
        <thead>
          <tr>
            {(['name', ...(admin ? (['user'] as const) : []), 'scopes', 'created', 'expires', 'status', 'actions'] as const).map((k) => (
              <th key={k} scope="col">
                {t(`tokens.${k}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(tokens ?? []).map((tk) => {
            const state = tokenState(tk, now);
            return (
              <tr key={tk.id} className={state === 'active' ? undefined : 'muted'}>
                <th scope="row">{tk.name}</th>
                {admin && <td>{userName.get(tk.user) ?? tk.user}</td>}
                <td className="scopes">{tk.scopes.join(', ')}</td>
                <td>{dateTime(tk.createdAt)}</td>
                <td>{tk.expiresAt ? dateTime(tk.expiresAt) : t('tokens.never')}</td>
                <td>{t(`tokens.state.${state}`)}</td>
                <td className="actions">
                  {state === 'active' && (
                    <button type="button" onClick={() => void revoke(tk)} aria-label={t('tokens.revokeNamed', { name: tk.name })}>
                      {t('tokens.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {tokens === null && <p>{t('common.loading')}</p>}
      {tokens?.length === 0 && <p className="empty">{t('tokens.empty')}</p>}
      <NewTokenForm
        admin={admin}
        self={self}
        users={users}
        onCreated={(name, token) => {
          setShown({ name, token });
          reload();
        }}
      />
    </section>
  );
}

function NewTokenForm({
  admin,
  self,
  users,
  onCreated,
}: {
  admin: boolean;
  self: { id: string; permissions: string[] };
  users: Account[];
  onCreated(name: string, token: string): void;
}) {
  const { t } = useI18n();
  const { toast } = useNotices();
  const [form, setForm] = useState({ name: '', user: '', scopes: [] as string[], days: '90' });
  // An administrator signed in as a user makes tokens for itself by default; with the admin token, for a chosen user.
  const owner = admin ? form.user || (users.some((u) => u.id === self.id) ? self.id : (users[0]?.id ?? '')) : self.id;
  const ownerUser = users.find((u) => u.id === owner);
  // A token never widens its owner's rights: offer only what the owner may do (the server checks it).
  const offered =
    admin && ownerUser
      ? allPermissions.filter((p) => ownerUser.roles.some((r) => rolePermissions[r as Role]?.includes(p)))
      : allPermissions.filter((p) => self.permissions.includes(p));

  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const scopes = form.scopes.filter((s) => (offered as readonly string[]).includes(s));
    if (scopes.length === 0) return toast(t('tokens.pickScope'), 'error');
    const days = form.days ? Number(form.days) : undefined;
    try {
      const r = await accessApi.createToken({
        name: form.name.trim(),
        scopes,
        ...(days ? { expiresInDays: days } : {}),
        ...(admin && owner ? { user: owner } : {}),
      });
      onCreated(r.name, r.token);
      setForm({ ...form, name: '', scopes: [] });
    } catch (err) {
      toast(t('common.error', { detail: (err as ApiError).message }), 'error');
    }
  };

  return (
    <form className="card form" onSubmit={handleSubmit} aria-labelledby="token-form-heading">
      <h3 id="token-form-heading">{t('tokens.new')}</h3>
      <label>
        {t('tokens.name')}
        <input required maxLength={100} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      </label>
      {admin && (
        <label>
          {t('tokens.user')}
          <select value={owner} onChange={(e) => setForm({ ...form, user: e.target.value, scopes: [] })}>
            {users
              .filter((u) => !u.disabled)
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.username} — {u.name}
                </option>
              ))}
          </select>
        </label>
      )}
      <fieldset className="choices scopes">
        <legend>{t('tokens.scopes')}</legend>
        {offered.map((p) => (
          <label key={p} className="check">
            <input
              type="checkbox"
              checked={form.scopes.includes(p)}
              onChange={(e) => setForm({ ...form, scopes: e.target.checked ? [...form.scopes, p] : form.scopes.filter((x) => x !== p) })}
            />{' '}
            <code>{p}</code>
          </label>
        ))}
      </fieldset>
      <label>
        {t('tokens.expiresIn')}
        <input
          type="number"
          min={1}
          max={3650}
          value={form.days}
          onChange={(e) => setForm({ ...form, days: e.target.value })}
          aria-describedby="token-expiry-help"
        />
      </label>
      <p className="hint" id="token-expiry-help">
        {t('tokens.expiresHelp')}
      </p>
      <button type="submit" className="primary">
        {t('common.create')}
      </button>
    </form>
  );
}
