/**
 * Risk settings belong to each customs administration (docs/risk.md, "Per administration"):
 * Rwanda's analyst neither sees nor changes Kenya's profiles, reference, trader records or cost
 * model; a movement is scored under its office of departure's administration; the platform
 * manages every administration's settings by naming it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMovementBody, createParties, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
const kenya = { code: 'KEMBA', name: 'Mombasa Port', country: 'KE', area: { center: { lat: -4.0435, lon: 39.6682 }, radiusM: 3000 } };
const rwanda = { code: 'RWKGL', name: 'Kigali Magerwa', country: 'RW', area: { center: { lat: -1.976, lon: 30.079 }, radiusM: 2000 } };
const route = {
  type: 'LineString',
  coordinates: [
    [39.6682, -4.0435],
    [30.079, -1.976],
  ],
};

describe('risk settings per administration', () => {
  let p: P;
  let tokens: Record<string, string> = {};
  const movements: Record<'ke' | 'rw', string> = { ke: '', rw: '' };
  let kenyaVersion = 0;

  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string | null, payload?: object) =>
    p.http.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : p.auth,
      ...(payload ? { payload } : {}),
    });
  const ok = async (method: 'GET' | 'POST' | 'PUT', url: string, token: string | null, payload?: object, status = 200) => {
    const r = await call(method, url, token, payload);
    assert.equal(r.statusCode, status, `${method} ${url}: ${r.body}`);
    return r.json();
  };
  /** A profile like the installation's version 1 with another intercept: its score tells it apart. */
  const addProfile = async (token: string | null, name: string, intercept: number, query = '') => {
    const v1 = await ok('GET', '/api/v1/risk/profiles/1', token);
    return (await ok('POST', `/api/v1/risk/profiles${query}`, token, { ...v1.profile, name, intercept }, 201)).version as number;
  };
  const assess = async (movement: string) => (await ok('POST', `/api/v1/movements/${movement}/risk/assess`, null, {})).profileVersion;

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' });
    ({ tokens } = await createParties(p, {
      organisations: [
        { id: 'kra', name: 'Kenya Revenue Authority', kind: 'customs', country: 'KE' },
        { id: 'rra', name: 'Rwanda Revenue Authority', kind: 'customs', country: 'RW' },
        { id: 'kilimanjaro', name: 'Kilimanjaro Transit', kind: 'trader' },
      ],
      users: [
        ['analyst.ke', 'kra', 'risk_analyst'],
        ['analyst.rw', 'rra', 'risk_analyst'],
      ],
    }));
    for (const o of [kenya, rwanda]) await ok('POST', '/api/v1/offices', null, o, 201);
    const declare = async (from: string, to: string) =>
      (
        await ok(
          'POST',
          '/api/v1/movements',
          null,
          { ...buildMovementBody(), departureOffice: from, destinationOffice: to, route, authorizedStops: [], trader: 'kilimanjaro' },
          201,
        )
      ).id as string;
    movements.ke = await declare('KEMBA', 'RWKGL');
    movements.rw = await declare('RWKGL', 'KEMBA');
    kenyaVersion = await addProfile(tokens['analyst.ke'], 'Kenya 2027', -1);
    await ok('POST', `/api/v1/risk/profiles/${kenyaVersion}/activate`, tokens['analyst.ke'], {});
  });
  after(() => p.cleanup());

  test("an analyst of Rwanda can neither read, activate nor change Kenya's profile", async () => {
    for (const [method, url] of [
      ['GET', `/api/v1/risk/profiles/${kenyaVersion}`],
      ['POST', `/api/v1/risk/profiles/${kenyaVersion}/activate`],
      ['POST', `/api/v1/risk/profiles/1/activate?administration=kra`],
      ['GET', `/api/v1/risk/profiles?administration=kra`],
    ] as const) {
      const r = await call(method, url, tokens['analyst.rw'], method === 'POST' ? {} : undefined);
      assert.equal(r.statusCode, 404, `${method} ${url}: ${r.body}`);
    }
    const listed = (await ok('GET', '/api/v1/risk/profiles', tokens['analyst.rw'])).items as { version: number; active: boolean }[];
    assert.deepEqual(
      listed.map((v) => v.version),
      [1],
      "Rwanda sees the installation's version, not Kenya's",
    );
    assert.equal(listed[0].active, true, 'Rwanda, with no profile of its own, uses the installation version');
    // Rwanda's own profile and activation leave Kenya's choice as it was.
    const rw = await addProfile(tokens['analyst.rw'], 'Rwanda 2027', -2);
    await ok('POST', `/api/v1/risk/profiles/${rw}/activate`, tokens['analyst.rw'], {});
    const kenyaList = (await ok('GET', '/api/v1/risk/profiles', tokens['analyst.ke'])).items as { version: number; active: boolean }[];
    assert.deepEqual(
      kenyaList.map((v) => [v.version, v.active]),
      [
        [kenyaVersion, true],
        [1, false],
      ],
    );
  });

  test("an analyst of Rwanda changes only Rwanda's reference, trader records and cost model", async () => {
    await ok('PUT', '/api/v1/risk/reference/origin_country/CN', tokens['analyst.rw'], { level: 'high' });
    await ok('PUT', '/api/v1/risk/traders/kilimanjaro', tokens['analyst.rw'], { aeo: true, name: 'Kilimanjaro Transit' });
    const model = await ok('GET', '/api/v1/risk/device-cost-model', tokens['analyst.rw']);
    await ok('PUT', '/api/v1/risk/device-cost-model', tokens['analyst.rw'], { ...model, inspectionCost: model.inspectionCost + 1234 });

    assert.deepEqual((await ok('GET', '/api/v1/risk/reference', tokens['analyst.ke'])).items, []);
    assert.equal((await ok('GET', '/api/v1/risk/traders/kilimanjaro', tokens['analyst.ke'])).aeo, false);
    assert.equal((await ok('GET', '/api/v1/risk/device-cost-model', tokens['analyst.ke'])).inspectionCost, model.inspectionCost);
    // Rwanda reads its own settings back, marked as its own.
    const [cn] = (await ok('GET', '/api/v1/risk/reference', tokens['analyst.rw'])).items;
    assert.deepEqual([cn.key, cn.level, cn.administration], ['CN', 'high', 'rra']);
    assert.equal((await ok('GET', '/api/v1/risk/traders/kilimanjaro', tokens['analyst.rw'])).aeo, true);
    // Naming Kenya to write there is refused as if Kenya did not exist.
    const r = await call('PUT', '/api/v1/risk/reference/origin_country/CN?administration=kra', tokens['analyst.rw'], { level: 'high' });
    assert.equal(r.statusCode, 404, r.body);
  });

  test("Kenya's movement is scored by Kenya's profile, Rwanda's by Rwanda's, whoever activated last", async () => {
    const rwActive = (await ok('GET', '/api/v1/risk/profiles', tokens['analyst.rw'])).items.find(
      (v: { active: boolean }) => v.active,
    ).version;
    assert.notEqual(rwActive, kenyaVersion);
    assert.equal(await assess(movements.ke), kenyaVersion);
    assert.equal(await assess(movements.rw), rwActive);
  });

  test("the platform reads and manages every administration's settings by naming it, and keeps the installation's", async () => {
    const kra = (await ok('GET', '/api/v1/risk/profiles?administration=kra', null)).items as { version: number; active: boolean }[];
    assert.equal(kra.find((v) => v.active)?.version, kenyaVersion);
    await ok('POST', '/api/v1/risk/profiles/1/activate?administration=kra', null, {});
    assert.equal(await assess(movements.ke), 1);
    // The installation's own layer: its list marks version 1 active and holds no administration's version.
    const own = (await ok('GET', '/api/v1/risk/profiles', null)).items as { version: number; administration: string | null }[];
    assert.deepEqual(
      own.map((v) => [v.version, v.administration]),
      [[1, null]],
    );
    // A profile the platform adds for Kenya is Kenya's.
    const v = await addProfile(null, 'Kenya by the platform', 0.5, '?administration=kra');
    assert.equal((await ok('GET', `/api/v1/risk/profiles/${v}`, tokens['analyst.ke'])).administration, 'kra');
  });
});
