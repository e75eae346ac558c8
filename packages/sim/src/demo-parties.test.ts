import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, demoOrganisations, demoParty, demoUsers, seedDemoParties, type DemoPartiesApi } from './demo-parties';
import { demoVehicles, buildDemoDevice, buildDemoMovement } from './demo-vehicles';

/** An API that remembers what was created, refusing duplicates as the server does (null). */
function memoryApi() {
  const orgs = new Map<string, unknown>();
  const users = new Map<string, { password: string; organisation: string; roles: string[] }>();
  const risk = new Map<string, { aeo: boolean }>();
  const api: DemoPartiesApi = {
    async createOrganisation(o) {
      if (orgs.has(o.id)) return null;
      orgs.set(o.id, o);
      return o;
    },
    async createUser(u) {
      if (users.has(u.username)) return null;
      users.set(u.username, u);
      return u;
    },
    async setRiskTrader(t, r) {
      risk.set(t, r);
    },
  };
  return { api, orgs, users, risk };
}

test('seeds the three customs administrations, two traders (one AEO), a device provider, an auditor and a user per role', async () => {
  const { api, orgs, users, risk } = memoryApi();
  const created = await seedDemoParties(api);
  assert.equal(created.organisations.length, 7);
  const customs = demoOrganisations
    .filter((o) => o.kind === 'customs')
    .map((o) => o.country)
    .sort();
  assert.deepEqual(customs, ['KE', 'RW', 'UG']);
  assert.equal(demoOrganisations.filter((o) => o.kind === 'trader').length, 2);
  assert.deepEqual([...risk].map(([t, r]) => `${t}:${r.aeo}`).sort(), [`${demoParty.trader}:false`, `${demoParty.aeoTrader}:true`]);
  const roles = new Set(demoUsers.flatMap((u) => u.roles));
  for (const r of ['operator', 'officer', 'supervisor', 'risk_analyst', 'trader', 'device_provider', 'auditor', 'admin'])
    assert.ok(roles.has(r), r);
  assert.equal(users.size, demoUsers.length);
  for (const u of users.values()) assert.equal(u.password, DEMO_PASSWORD);
  assert.ok(DEMO_PASSWORD.length >= 12);
  assert.ok(
    [...orgs.keys()].every((id) => id !== 'platform'),
    "the platform organisation is the server's own",
  );
});

test('a second run creates nothing and does not fail', async () => {
  const { api, users } = memoryApi();
  await seedDemoParties(api);
  users.get('trader')!.password = 'changed-by-the-user';
  const again = await seedDemoParties(api);
  assert.deepEqual(again, { organisations: [], users: [] });
  assert.equal(users.get('trader')!.password, 'changed-by-the-user');
});

test('demo movements name their trader organisation and demo devices their provider', () => {
  const traders = new Set(demoOrganisations.filter((o) => o.kind === 'trader').map((o) => o.id));
  for (const v of demoVehicles) {
    assert.ok(traders.has(buildDemoMovement(v, 'seed', 0).trader!), v.device);
    assert.equal(buildDemoDevice(v, undefined, 2).owner, demoParty.deviceProvider);
  }
  // both traders have a movement, so each sees its own and not the other's
  assert.equal(new Set(demoVehicles.map((v) => v.trader)).size, 2);
});
