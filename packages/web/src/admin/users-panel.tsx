/**
 * Users: create one in an organisation with the roles its kind allows, change roles, disable or
 * enable, and enrol a TOTP second factor (the otpauth URI is shown once, for the user's app).
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { rolesByOrganisationKind, type OrganisationKind } from '@sealwatch/core/access/policy';
import type { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n-context';
import { Dialog } from '../ui/dialog';
import { useNotices } from '../ui/notices';
import { accessApi, type Account, type Organisation } from './access-api';

/** The roles an organisation may give (none for an unknown one). */
export function rolesFor(org: Pick<Organisation, 'kind'> | undefined): readonly string[] {
  return org ? (rolesByOrganisationKind[org.kind as OrganisationKind] ?? []) : [];
}

export function UsersPanel() {
  const { t } = useI18n();
  const { toast } = useNotices();
  const [users, setUsers] = useState<Account[] | null>(null);
  const [orgs, setOrgs] = useState<Organisation[]>([]);
  const [editing, setEditing] = useState<Account | null>(null);
  const [totp, setTotp] = useState<{ user: Account; uri?: string; secret?: string } | null>(null);
  const orgById = useMemo(() => new Map(orgs.map((o) => [o.id, o])), [orgs]);
  const fail = (e: unknown) => toast(t('common.error', { detail: (e as ApiError).message }), 'error');
  const reload = () =>
    void Promise.all([accessApi.users(), accessApi.organisations()]).then(([u, o]) => {
      setUsers(u);
      setOrgs(o);
    }, fail);
  useEffect(reload, []); // eslint-disable-line react-hooks/exhaustive-deps

  const toggleDisabled = async (u: Account) => {
    try {
      await accessApi.updateUser(u.id, { disabled: !u.disabled });
      toast(t(u.disabled ? 'users.enabled' : 'users.disabledDone', { name: u.username }));
      reload();
    } catch (e) {
      fail(e);
    }
  };

  const enrol = async (u: Account) => {
    try {
      const r = await accessApi.enrolTotp(u.id);
      setTotp({ user: u, ...r });
      reload();
    } catch (e) {
      fail(e);
    }
  };

  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">{t('admin.tab.users')}</h2>
      <table className="grid" aria-labelledby="users-heading">
        <thead>
          <tr>
            {(['username', 'name', 'organisation', 'roles', 'totp', 'status', 'actions'] as const).map((k) => (
              <th key={k} scope="col">
                {t(`users.${k}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(users ?? []).map((u) => (
            <tr key={u.id} className={u.disabled ? 'muted' : undefined}>
              <th scope="row">{u.username}</th>
              <td>{u.name}</td>
              <td>{orgById.get(u.organisation)?.name ?? u.organisation}</td>
              <td>{u.roles.map((r) => t(`role.${r}` as never)).join(', ')}</td>
              <td>{u.totp ? t('common.yes') : t('common.no')}</td>
              <td>
                <span className={`badge ${u.disabled ? 'state-broken' : 'state-ok'}`}>
                  {u.disabled ? t('users.disabled') : t('users.active')}
                </span>
              </td>
              <td className="actions">
                <button type="button" onClick={() => setEditing(u)} aria-label={t('users.editRolesOf', { name: u.username })}>
                  {t('users.editRoles')}
                </button>
                <button
                  type="button"
                  onClick={() => void toggleDisabled(u)}
                  aria-label={t(u.disabled ? 'users.enableUser' : 'users.disableUser', { name: u.username })}
                >
                  {u.disabled ? t('users.enable') : t('users.disable')}
                </button>
                <button type="button" onClick={() => setTotp({ user: u })} aria-label={t('users.enrolTotpOf', { name: u.username })}>
                  {t('users.enrolTotp')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {users === null && <p>{t('common.loading')}</p>}
      <NewUserForm orgs={orgs} onCreated={reload} />
      <RolesDialog
        user={editing}
        org={editing ? orgById.get(editing.organisation) : undefined}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          reload();
        }}
      />
      <Dialog title={t('users.totpTitle', { name: totp?.user.username ?? '' })} open={!!totp} onClose={() => setTotp(null)}>
        {totp && !totp.uri && (
          <>
            <p>{totp.user.totp ? t('users.totpReplace') : t('users.totpIntro')}</p>
            <div className="dialog-actions">
              <button type="button" onClick={() => setTotp(null)}>
                {t('common.cancel')}
              </button>
              <button type="button" className="primary" onClick={() => void enrol(totp.user)}>
                {t('users.enrolTotp')}
              </button>
            </div>
          </>
        )}
        {totp?.uri && (
          <>
            <p>{t('users.totpShown')}</p>
            <label>
              {t('users.totpUri')}
              <textarea readOnly rows={3} value={totp.uri} onFocus={(e) => e.target.select()} />
            </label>
            <label>
              {t('users.totpSecret')}
              <input readOnly value={totp.secret} onFocus={(e) => e.target.select()} />
            </label>
            <div className="dialog-actions">
              <button type="button" className="primary" onClick={() => setTotp(null)}>
                {t('common.close')}
              </button>
            </div>
          </>
        )}
      </Dialog>
    </section>
  );
}

function RoleChoices({
  allowed,
  value,
  onChange,
  legend,
}: {
  allowed: readonly string[];
  value: string[];
  onChange(v: string[]): void;
  legend: string;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      {allowed.map((r) => (
        <label key={r} className="check">
          <input
            type="checkbox"
            checked={value.includes(r)}
            onChange={(e) => onChange(e.target.checked ? [...value, r] : value.filter((x) => x !== r))}
          />{' '}
          {t(`role.${r}` as never)}
        </label>
      ))}
    </fieldset>
  );
}

function NewUserForm({ orgs, onCreated }: { orgs: Organisation[]; onCreated(): void }) {
  const { t } = useI18n();
  const { toast } = useNotices();
  const empty = { username: '', name: '', organisation: '', roles: [] as string[], password: '' };
  const [form, setForm] = useState(empty);
  const org = orgs.find((o) => o.id === form.organisation) ?? orgs[0];
  const allowed = rolesFor(org);

  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!org) return;
    const roles = form.roles.filter((r) => allowed.includes(r));
    if (roles.length === 0) return toast(t('users.pickRole'), 'error');
    try {
      await accessApi.createUser({
        username: form.username.trim(),
        name: form.name.trim(),
        organisation: org.id,
        roles,
        password: form.password,
      });
      toast(t('users.created', { name: form.username }));
      setForm(empty);
      onCreated();
    } catch (err) {
      toast(t('common.error', { detail: (err as ApiError).message }), 'error');
    }
  };

  return (
    <form className="card form" onSubmit={handleSubmit} aria-labelledby="user-form-heading">
      <h3 id="user-form-heading">{t('users.new')}</h3>
      <label>
        {t('users.username')}
        <input
          required
          pattern="[\w.@\-]{3,64}"
          autoComplete="off"
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
        />
      </label>
      <label>
        {t('users.name')}
        <input required maxLength={200} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      </label>
      <label>
        {t('users.organisation')}
        <select value={org?.id ?? ''} onChange={(e) => setForm({ ...form, organisation: e.target.value, roles: [] })}>
          {orgs.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} ({t(`orgKind.${o.kind}`)})
            </option>
          ))}
        </select>
      </label>
      <RoleChoices legend={t('users.roles')} allowed={allowed} value={form.roles} onChange={(roles) => setForm({ ...form, roles })} />
      <label>
        {t('users.password')}
        <input
          type="password"
          required
          minLength={12}
          autoComplete="new-password"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
          aria-describedby="user-password-help"
        />
      </label>
      <p className="hint" id="user-password-help">
        {t('users.passwordHelp')}
      </p>
      <button type="submit" className="primary">
        {t('common.create')}
      </button>
    </form>
  );
}

function RolesDialog({
  user,
  org,
  onClose,
  onSaved,
}: {
  user: Account | null;
  org: Organisation | undefined;
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useI18n();
  const { toast } = useNotices();
  const [roles, setRoles] = useState<string[]>([]);
  useEffect(() => setRoles(user?.roles ?? []), [user]);
  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!user || roles.length === 0) return toast(t('users.pickRole'), 'error');
    try {
      await accessApi.updateUser(user.id, { roles });
      toast(t('users.rolesSaved', { name: user.username }));
      onSaved();
    } catch (err) {
      toast(t('common.error', { detail: (err as ApiError).message }), 'error');
    }
  };
  return (
    <Dialog title={t('users.editRolesOf', { name: user?.username ?? '' })} open={!!user} onClose={onClose}>
      <form onSubmit={handleSubmit}>
        <RoleChoices legend={t('users.roles')} allowed={rolesFor(org)} value={roles} onChange={setRoles} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary">
            {t('common.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
