/**
 * The demo's parties: the customs administrations of the Northern and Central Corridors, two
 * traders (one an Authorised Economic Operator), a device provider and an auditor, and one user
 * per role, all with the same published demo password. Seeded through the API, idempotently:
 * what exists is left as it is (a password changed since is kept).
 *
 * DEMO ONLY. These accounts have a password printed in the start banner and written in the
 * README; `sealwatch start` creates them only with SEALWATCH_DEMO=true.
 */
/** The password of every demo user (at least 12 characters, as the API requires). */
export const DEMO_PASSWORD = 'sealwatch-demo';

/** Organisation ids the demo fleet refers to: movement traders and the device owner. */
export const demoParty = {
  kenyaCustoms: 'ke-kra-customs',
  ugandaCustoms: 'ug-ura-customs',
  rwandaCustoms: 'rw-rra-customs',
  /** A Mombasa forwarder holding an AEO authorisation. */
  aeoTrader: 'pwani-freight',
  trader: 'kilimanjaro-transit',
  deviceProvider: 'sealtrack-devices',
  auditor: 'corridor-audit',
} as const;

export interface DemoOrganisation {
  id: string;
  name: string;
  kind: 'customs' | 'trader' | 'device_provider' | 'auditor';
  country: string | null;
  aeo?: boolean;
}

export const demoOrganisations: readonly DemoOrganisation[] = [
  { id: demoParty.kenyaCustoms, name: 'Kenya Revenue Authority — Customs & Border Control', kind: 'customs', country: 'KE' },
  { id: demoParty.ugandaCustoms, name: 'Uganda Revenue Authority — Customs', kind: 'customs', country: 'UG' },
  { id: demoParty.rwandaCustoms, name: 'Rwanda Revenue Authority — Customs Services', kind: 'customs', country: 'RW' },
  { id: demoParty.aeoTrader, name: 'Pwani Freight Forwarders Ltd', kind: 'trader', country: 'KE', aeo: true },
  { id: demoParty.trader, name: 'Kilimanjaro Transit Co. Ltd', kind: 'trader', country: 'TZ', aeo: false },
  { id: demoParty.deviceProvider, name: 'Sealtrack Devices Ltd', kind: 'device_provider', country: 'KE' },
  { id: demoParty.auditor, name: 'Corridor Audit Services', kind: 'auditor', country: null },
];

export interface DemoUser {
  username: string;
  name: string;
  organisation: string;
  roles: string[];
  /** What the user sees, for the start banner and the README. */
  sees: string;
}

/** One user per role. `platform` is the installation's own organisation (created at first start). */
export const demoUsers: readonly DemoUser[] = [
  {
    username: 'admin',
    name: 'Demo Administrator',
    organisation: 'platform',
    roles: ['admin'],
    sees: 'everything; users, organisations and API tokens',
  },
  {
    username: 'operator',
    name: 'Amina Wekesa',
    organisation: 'platform',
    roles: ['operator'],
    sees: 'monitoring centre: every movement and alert',
  },
  {
    username: 'officer.ke',
    name: 'Joseph Mwangi',
    organisation: demoParty.kenyaCustoms,
    roles: ['officer'],
    sees: 'Kenyan customs: movements from or to Kenya',
  },
  {
    username: 'supervisor.ug',
    name: 'Grace Nakato',
    organisation: demoParty.ugandaCustoms,
    roles: ['supervisor'],
    sees: 'Ugandan customs: movements from or to Uganda',
  },
  {
    username: 'analyst.rw',
    name: 'Eric Habimana',
    organisation: demoParty.rwandaCustoms,
    roles: ['risk_analyst'],
    sees: 'Rwandan customs risk: movements from or to Rwanda',
  },
  {
    username: 'trader',
    name: 'Fatma Said',
    organisation: demoParty.aeoTrader,
    roles: ['trader'],
    sees: "the trader portal: Pwani Freight's own movements",
  },
  {
    username: 'provider',
    name: 'Daniel Otieno',
    organisation: demoParty.deviceProvider,
    roles: ['device_provider'],
    sees: "device health of Sealtrack's devices, no cargo data",
  },
  {
    username: 'auditor',
    name: 'Ruth Achieng',
    organisation: demoParty.auditor,
    roles: ['auditor'],
    sees: 'everything, read-only, and the audit trail',
  },
];

/** The calls the seeding needs; SealwatchClient implements them (null = it existed already). */
export interface DemoPartiesApi {
  createOrganisation(o: { id: string; name: string; kind: string; country: string | null; aeo?: boolean }): Promise<unknown | null>;
  createUser(u: { username: string; name: string; organisation: string; roles: string[]; password: string }): Promise<unknown | null>;
  /** The risk engine's record of a trader (its AEO status feeds the TRADER_AEO indicator). */
  setRiskTrader(trader: string, record: { aeo: boolean; name: string }): Promise<void>;
}

/**
 * Creates the demo organisations and users that do not exist yet; returns what it created.
 * Safe to run on every start. Throws the first API failure other than "exists".
 */
export async function seedDemoParties(api: DemoPartiesApi): Promise<{ organisations: string[]; users: string[] }> {
  const created = { organisations: [] as string[], users: [] as string[] };
  for (const o of demoOrganisations) {
    const { id, name, kind, country } = o;
    if (await api.createOrganisation({ id, name, kind, country, ...(o.kind === 'trader' ? { aeo: !!o.aeo } : {}) }))
      created.organisations.push(id);
    if (o.kind === 'trader') await api.setRiskTrader(id, { aeo: !!o.aeo, name });
  }
  for (const u of demoUsers) {
    const { username, name, organisation, roles } = u;
    if (await api.createUser({ username, name, organisation, roles, password: DEMO_PASSWORD })) created.users.push(username);
  }
  return created;
}
