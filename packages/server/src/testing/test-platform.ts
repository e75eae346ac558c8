/** Builders for tests: a real platform on a fresh SQLite file in a temp folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/config';
import { portVariable, vendorProtocols } from '@sealwatch/protocols/registry';
import { createPlatform, type Platform, type PlatformOptions } from '../platform';

/** Every vendor protocol listener on a port the system picks. */
const EVERY_LISTENER_ON_A_FREE_PORT = Object.fromEntries(vendorProtocols.map((p) => [portVariable(p), '0']));

export const TEST_TOKEN = 'test-admin-token-0123456789abcdef';
/** Tests call from one address in bursts: rate limits are off unless a test sets them (rate-limit.test.ts). */
const RATE_LIMITS_OFF = {
  SEALWATCH_RATE_API_PER_MIN: '0',
  // Tests' webhook receivers listen on loopback (outbound-address.test.ts and webhook.test.ts check the rule).
  SEALWATCH_WEBHOOK_ALLOW_PRIVATE: 'true',
  SEALWATCH_RATE_LOGIN_PER_MIN: '0',
  SEALWATCH_RATE_DEVICE_PER_MIN: '0',
  SEALWATCH_RATE_INGEST_PER_MIN: '0',
  SEALWATCH_QUARANTINE_PER_SOURCE_PER_MIN: '0',
  SEALWATCH_QUARANTINE_PER_DEVICE_PER_MIN: '0',
};
/** The master key of test platforms on PostgreSQL (cluster mode requires one): never use it elsewhere. */
const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

export async function startTestPlatform(
  env: Record<string, string> = {},
  options: PlatformOptions & { dir?: string } = {},
): Promise<Platform & { dir: string; auth: Record<string, string>; cleanup(): Promise<void> }> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'sealwatch-test-'));
  const config = loadConfig({
    SEALWATCH_DATA_DIR: dir,
    SEALWATCH_DEMO: 'false',
    SEALWATCH_ADMIN_TOKEN: TEST_TOKEN,
    SEALWATCH_HTTP_PORT: '0',
    SEALWATCH_HTTP_HOST: '127.0.0.1',
    SEALWATCH_VERIFY_WORKERS: '2',
    SEALWATCH_MQTT_PORT: '0',
    SEALWATCH_MQTT_HOST: '127.0.0.1',
    ...EVERY_LISTENER_ON_A_FREE_PORT,
    ...RATE_LIMITS_OFF,
    ...(env.DATABASE_URL ? { SEALWATCH_MASTER_KEY: TEST_MASTER_KEY } : {}),
    ...env,
  });
  const platform = await createPlatform(config, options);
  return Object.assign(platform, {
    dir,
    auth: { authorization: `Bearer ${TEST_TOKEN}` },
    async cleanup() {
      await platform.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

export const mombasaOffice = {
  code: 'KEMBA',
  name: 'Mombasa Port',
  country: 'KE',
  area: { center: { lat: -4.0435, lon: 39.6682 }, radiusM: 3000 },
};
export const malabaOffice = {
  code: 'UGMAL',
  name: 'Malaba border',
  country: 'UG',
  area: {
    type: 'Polygon',
    coordinates: [
      [
        [34.26, 0.62],
        [34.29, 0.62],
        [34.29, 0.65],
        [34.26, 0.65],
        [34.26, 0.62],
      ],
    ],
  },
};

export function buildMovementBody(overrides: Record<string, unknown> = {}) {
  return {
    reference: `MRN-${Math.random().toString(36).slice(2, 10)}`,
    container: 'CSQU3054383',
    devices: [],
    seals: ['KE-0001234'],
    departureOffice: 'KEMBA',
    destinationOffice: 'UGMAL',
    route: {
      type: 'LineString',
      coordinates: [
        [39.6682, -4.0435],
        [36.8219, -1.2921],
        [34.2766, 0.6346],
      ],
    },
    corridorWidthM: 2000,
    authorizedStops: [{ name: 'Mariakani weighbridge', area: { center: { lat: -3.86, lon: 39.47 }, radiusM: 500 }, maxDwellMinutes: 60 }],
    timeLimit: '2026-12-30T00:00:00.000Z',
    ...overrides,
  };
}

/** An organisation as `POST /organisations` takes it. */
export interface PartyOrganisation {
  id: string;
  name: string;
  kind: 'customs' | 'trader' | 'device_provider' | 'auditor';
  country?: string | null;
}

/**
 * Sets up the parties of a test through the API, as the platform would: the organisations,
 * then each user `[username, organisation, role]` (organisation `platform` for the installation's
 * own) with an API token. Answers the tokens and the user ids by username; fails the test on
 * any refusal.
 */
export async function createParties(
  p: Pick<Platform, 'http'> & { auth: Record<string, string> },
  parties: { organisations?: readonly PartyOrganisation[]; users?: readonly (readonly [string, string, string])[] },
): Promise<{ tokens: Record<string, string>; ids: Record<string, string> }> {
  const post = async (url: string, payload: object) => {
    const r = await p.http.inject({ method: 'POST', url, headers: p.auth, payload });
    if (r.statusCode !== 201) throw new Error(`POST ${url} answered ${r.statusCode}: ${r.body}`);
    return r.json();
  };
  for (const o of parties.organisations ?? []) await post('/api/v1/organisations', o);
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  for (const [username, organisation, role] of parties.users ?? []) {
    const u = await post('/api/v1/users', {
      username,
      name: username,
      organisation,
      roles: [role],
      password: `pw-${username}-long-enough`,
    });
    ids[username] = u.id;
    tokens[username] = (await post('/api/v1/tokens', { name: username, user: u.id })).token;
  }
  return { tokens, ids };
}

/**
 * A trader's standing consent, through a user of its own made for it, that each administration may
 * declare and start movements with the devices the trader holds (docs/security.md, lending consent).
 */
export async function consentToLend(
  p: Pick<Platform, 'http'> & { auth: Record<string, string> },
  trader: string,
  administrations: readonly string[],
): Promise<void> {
  const username = `lender-${trader}-${Math.random().toString(36).slice(2, 8)}`;
  const { tokens } = await createParties(p, { users: [[username, trader, 'trader']] });
  for (const administration of administrations) {
    const r = await p.http.inject({
      method: 'POST',
      url: '/api/v1/custody/consents',
      headers: { authorization: `Bearer ${tokens[username]}` },
      payload: { administration },
    });
    if (r.statusCode !== 201) throw new Error(`consent of ${trader} to ${administration} answered ${r.statusCode}: ${r.body}`);
  }
}
