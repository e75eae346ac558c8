/** Storage contract, access: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { at, domainError, type WithStore } from './fixtures';

export function accessContract(withStore: WithStore): void {
  describe('access', () => {
    const org = { id: 'org-kra', name: 'Kenya Revenue Authority', kind: 'customs' as const, country: 'KE', aeo: false, createdAt: at(0) };
    const user = {
      id: 'u1',
      username: 'officer.ke',
      name: 'A. Officer',
      organisation: 'org-kra',
      roles: ['officer' as const, 'operator' as const],
      passwordHash: 'scrypt$16384$8$1$salt$hash',
      totpSecret: null,
      disabled: false,
      failedLogins: 0,
      lockedUntil: null,
      createdAt: at(1),
    };

    test(
      'organisations and users are stored, read back intact and unique',
      withStore(async (s) => {
        await s.access.createOrganisation(org);
        await s.access.createOrganisation({ ...org, id: 'org-acme', name: 'Acme', kind: 'trader', country: null, aeo: true });
        await assert.rejects(s.access.createOrganisation(org), domainError('organisation_exists'));
        assert.deepEqual(await s.access.getOrganisation('org-kra'), org);
        assert.deepEqual(
          (await s.access.listOrganisations()).map((o) => [o.id, o.aeo]),
          [
            ['org-acme', true],
            ['org-kra', false],
          ],
        );
        await s.access.createUser(user);
        await assert.rejects(s.access.createUser({ ...user, id: 'u2' }), domainError('user_exists'));
        assert.deepEqual(await s.access.getUser('u1'), user);
        assert.deepEqual(await s.access.getUserByUsername('officer.ke'), user);
        assert.equal(await s.access.getUser('nobody'), null);
        const locked = { ...user, failedLogins: 6, lockedUntil: at(30), disabled: true, roles: ['supervisor' as const] };
        await s.access.updateUser(locked);
        assert.deepEqual(await s.access.getUser('u1'), locked);
        assert.deepEqual(
          (await s.access.listUsers('org-kra')).map((u) => u.id),
          ['u1'],
        );
        assert.deepEqual(await s.access.listUsers('org-acme'), []);
      }),
    );

    test(
      'sign-in attempts: parallel attempts on one key are counted one by one; a TOTP step is used once',
      withStore(async (s) => {
        const delay = (n: number) => (n > 3 ? 60_000 : 0);
        const taken = await Promise.all(Array.from({ length: 8 }, () => s.access.takeSignInAttempt('bob|10.0.0.1', 1_000, delay)));
        assert.equal(taken.filter((t) => t.ok).length, 4, JSON.stringify(taken));
        assert.deepEqual(
          taken.find((t) => !t.ok),
          { ok: false, retryAfterMs: 60_000 },
        );
        assert.deepEqual(await s.access.takeSignInAttempt('bob|10.0.0.2', 1_000, delay), { ok: true }, 'another source is another key');
        assert.deepEqual(await s.access.takeSignInAttempt('bob|10.0.0.1', 61_000, delay), { ok: true }, 'the wait is over');
        await s.access.clearSignInFailures('bob|10.0.0.1');
        assert.deepEqual(
          await s.access.takeSignInAttempt('bob|10.0.0.1', 61_001, (n) => (n > 1 ? 5 : 0)),
          { ok: true },
          'cleared: counting starts again',
        );
        assert.equal(await s.access.pruneSignInFailures(61_000), 1, 'the other source was last touched at 1 s');
        await s.access.createOrganisation(org);
        await s.access.createUser(user);
        assert.equal(await s.access.useTotpStep('u1', 100), true);
        assert.equal(await s.access.useTotpStep('u1', 100), false);
        assert.equal(await s.access.useTotpStep('u1', 99), false);
        assert.equal(await s.access.useTotpStep('u1', 101), true);
      }),
    );

    test(
      'sessions and API tokens: found by hash, deleted, revoked',
      withStore(async (s) => {
        await s.access.createOrganisation(org);
        await s.access.createUser(user);
        const session = { idHash: 'h-session', user: 'u1', csrf: 'c', createdAt: at(0), expiresAt: at(720) };
        await s.access.createSession(session);
        await s.access.createSession({ ...session, idHash: 'h-other' });
        assert.deepEqual(await s.access.getSession('h-session'), session);
        await s.access.deleteSession('h-session');
        assert.equal(await s.access.getSession('h-session'), null);
        await s.access.deleteSessionsOf('u1');
        assert.equal(await s.access.getSession('h-other'), null);
        const token = {
          id: 't1',
          hash: 'h-token',
          user: 'u1',
          name: 'NCTS bridge',
          scopes: ['movements.read' as const],
          createdAt: at(0),
          expiresAt: at(60),
          revokedAt: null,
          maker: null,
        };
        await s.access.createToken(token);
        assert.deepEqual(await s.access.getTokenByHash('h-token'), token);
        // Tokens made from t1, and from those: revoking t1 revokes its whole chain, nothing else.
        await s.access.createToken({ ...token, id: 't2', hash: 'h-t2', maker: 't1' });
        await s.access.createToken({ ...token, id: 't3', hash: 'h-t3', maker: 't2' });
        await s.access.createToken({ ...token, id: 't4', hash: 'h-t4', maker: null });
        assert.deepEqual((await s.access.getToken('t3'))?.maker, 't2');
        assert.equal(await s.access.revokeToken('t1', at(5)), true);
        assert.equal(await s.access.revokeToken('t1', at(9)), true);
        assert.deepEqual((await s.access.getTokenByHash('h-token'))?.revokedAt, at(5));
        assert.deepEqual(
          (await s.access.listTokens('u1')).map((t) => [t.id, t.revokedAt]),
          [
            ['t1', at(5)],
            ['t2', at(5)],
            ['t3', at(5)],
            ['t4', null],
          ],
        );
        assert.equal(await s.access.revokeToken('t9', at(5)), false);
      }),
    );
  });
}
