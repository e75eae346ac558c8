/**
 * A trader's devices are lent to an administration only with the trader's consent. Before this, an
 * administration declared a movement naming a real trader and started it with the trader's e-lock
 * without the trader knowing; now the declaration raises a request the trader confirms or refuses,
 * or the trader consents beforehand for an administration and a period.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMovementBody, createParties, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
const offices = [
  { code: 'KEMBA', name: 'Mombasa Port', country: 'KE', area: { center: { lat: -4.0435, lon: 39.6682 }, radiusM: 3000 } },
  { code: 'UGKLA', name: 'Kampala', country: 'UG', area: { center: { lat: 0.3136, lon: 32.5811 }, radiusM: 3000 } },
];
const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();

describe("lending a trader's devices needs the trader's consent", () => {
  let p: P;
  let tokens: Record<string, string> = {};
  const call = (method: 'GET' | 'POST', url: string, who: string, payload?: object) =>
    p.http.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload ? { payload } : {}) });
  const declare = async (devices: string[], trader: string | null = 'kilimanjaro') => {
    const r = await call('POST', '/api/v1/movements', 'officer.ke', {
      ...buildMovementBody({ devices }),
      destinationOffice: 'UGKLA',
      authorizedStops: [],
      trader,
    });
    assert.equal(r.statusCode, 201, r.body);
    return r.json().id as string;
  };
  const start = (id: string) => call('POST', `/api/v1/movements/${id}/start`, 'officer.ke', {});
  const requestOf = async (movement: string, who = 'trader') => {
    const items = (await call('GET', `/api/v1/custody/consents?movement=${movement}`, who)).json().items;
    return items[0] as { id: string; status: string; devices: string[]; trader: string; administration: string } | undefined;
  };

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' });
    ({ tokens } = await createParties(p, {
      organisations: [
        { id: 'kra', name: 'Kenya Revenue Authority', kind: 'customs', country: 'KE' },
        { id: 'ura', name: 'Uganda Revenue Authority', kind: 'customs', country: 'UG' },
        { id: 'kilimanjaro', name: 'Kilimanjaro Transit', kind: 'trader' },
        { id: 'beta', name: 'Beta Logistics', kind: 'trader' },
        { id: 'sealtrack', name: 'Sealtrack Devices', kind: 'device_provider' },
      ],
      users: [
        ['officer.ke', 'kra', 'officer'],
        ['officer.ug', 'ura', 'officer'],
        ['trader', 'kilimanjaro', 'trader'],
        ['beta', 'beta', 'trader'],
        ['provider', 'sealtrack', 'device_provider'],
      ],
    }));
    for (const o of offices)
      assert.equal((await p.http.inject({ method: 'POST', url: '/api/v1/offices', headers: p.auth, payload: o })).statusCode, 201);
    for (const [id, holder] of [
      ['TR-1', 'kilimanjaro'],
      ['TR-2', 'kilimanjaro'],
      ['TR-3', 'kilimanjaro'],
      ['TR-4', 'kilimanjaro'],
      ['TR-5', 'kilimanjaro'],
      ['KRA-1', 'kra'],
    ]) {
      const d = await call('POST', '/api/v1/devices', 'provider', { id, class: 'active', kind: 'e_lock', protocol: 'jt600' });
      assert.equal(d.statusCode, 201, d.body);
      assert.equal((await call('POST', `/api/v1/devices/${id}/custody`, 'provider', { holder, from: hourAgo() })).statusCode, 201);
    }
  });
  after(() => p.cleanup());

  test("an administration cannot start a movement with the trader's device until the trader confirms", async () => {
    const m = await declare(['TR-1']);
    const refused = await start(m);
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json().code, 'lending_not_confirmed');
    assert.deepEqual(refused.json().details.devices, ['TR-1']);
    const request = await requestOf(m);
    assert.ok(request, 'the trader sees the request');
    assert.deepEqual(
      [request.status, request.devices, request.trader, request.administration],
      ['requested', ['TR-1'], 'kilimanjaro', 'kra'],
    );
    assert.equal(refused.json().details.consent, request.id);
    assert.equal((await requestOf(m, 'officer.ke'))?.id, request.id, 'the declaring administration sees it too');
    assert.equal(await requestOf(m, 'beta'), undefined, 'another trader does not');
    assert.equal(await requestOf(m, 'officer.ug'), undefined, 'nor another administration');

    const byOfficer = await call('POST', `/api/v1/custody/consents/${request.id}/confirm`, 'officer.ke', {});
    assert.equal(byOfficer.statusCode, 403, 'the administration cannot consent for the trader');
    const byOther = await call('POST', `/api/v1/custody/consents/${request.id}/confirm`, 'beta', {});
    assert.equal(byOther.statusCode, 404, byOther.body);
    assert.equal(byOther.json().code, 'unknown_lending_consent');

    const confirmed = await call('POST', `/api/v1/custody/consents/${request.id}/confirm`, 'trader', {});
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    assert.equal(confirmed.json().status, 'confirmed');
    assert.equal((await call('POST', `/api/v1/custody/consents/${request.id}/confirm`, 'trader', {})).statusCode, 409, 'decided once');
    assert.equal((await start(m)).statusCode, 200);
    const late = await call('POST', `/api/v1/custody/consents/${request.id}/refuse`, 'trader', {});
    assert.equal(late.statusCode, 409, 'a started movement keeps its devices until it ends');
  });

  test('a refusal stops the start and frees the device for another movement', async () => {
    const m = await declare(['TR-2']);
    const request = (await requestOf(m))!;
    const refused = await call('POST', `/api/v1/custody/consents/${request.id}/refuse`, 'trader', {});
    assert.equal(refused.statusCode, 200, refused.body);
    assert.equal(refused.json().status, 'refused');
    const start1 = await start(m);
    assert.equal(start1.statusCode, 409);
    assert.equal(start1.json().code, 'lending_refused');
    const other = await declare(['TR-2']);
    assert.ok(other, 'the device is free again');
  });

  test('own devices and the platform need no consent; a declaration of both asks only for the trader’s', async () => {
    const own = await declare(['KRA-1'], 'kilimanjaro');
    assert.equal(await requestOf(own, 'officer.ke'), undefined);
    assert.equal((await start(own)).statusCode, 200);
    const platform = await p.http.inject({
      method: 'POST',
      url: '/api/v1/movements',
      headers: p.auth,
      payload: { ...buildMovementBody({ devices: ['TR-3'] }), destinationOffice: 'UGKLA', authorizedStops: [], trader: 'kilimanjaro' },
    });
    assert.equal(platform.statusCode, 201, platform.body);
    assert.equal(
      (await p.http.inject({ method: 'POST', url: `/api/v1/movements/${platform.json().id}/start`, headers: p.auth, payload: {} }))
        .statusCode,
      200,
    );
  });

  test('a standing consent lends for its period and devices; withdrawn, declarations ask again', async () => {
    const standing = await call('POST', '/api/v1/custody/consents', 'trader', { administration: 'kra', devices: ['TR-4'] });
    assert.equal(standing.statusCode, 201, standing.body);
    assert.equal(standing.json().status, 'confirmed');
    const covered = await declare(['TR-4']);
    assert.equal(await requestOf(covered), undefined, 'no request: consented beforehand');
    assert.equal((await start(covered)).statusCode, 200);
    const notCovered = await declare(['TR-5']);
    assert.equal((await requestOf(notCovered))?.devices[0], 'TR-5', 'a device the consent does not name is asked for');

    const withdrawn = await call('POST', `/api/v1/custody/consents/${standing.json().id}/withdraw`, 'trader', {});
    assert.equal(withdrawn.statusCode, 200, withdrawn.body);
    assert.equal(withdrawn.json().status, 'withdrawn');
    assert.ok(withdrawn.json().to);

    for (const [who, body, status, code] of [
      ['officer.ke', { administration: 'kra' }, 403, 'forbidden'],
      ['trader', { administration: 'beta' }, 422, 'unknown_organisation'],
      ['trader', { administration: 'kra', devices: ['KRA-1'] }, 422, 'device_not_in_custody'],
      ['trader', { administration: 'kra', owner: 'x' }, 400, 'validation_failed'],
    ] as const) {
      const r = await call('POST', '/api/v1/custody/consents', who, body);
      assert.equal(r.statusCode, status, `${who} ${JSON.stringify(body)}: ${r.body}`);
      assert.equal(r.json().code, code);
    }
  });

  test("the declaration form's devices say which of the trader's need its confirmation", async () => {
    assert.equal(
      (await call('POST', '/api/v1/devices', 'provider', { id: 'TR-6', class: 'active', kind: 'e_lock', protocol: 'jt600' })).statusCode,
      201,
    );
    assert.equal(
      (await call('POST', '/api/v1/devices/TR-6/custody', 'provider', { holder: 'kilimanjaro', from: hourAgo() })).statusCode,
      201,
    );
    const offered = async () =>
      (await call('GET', '/api/v1/custody/declarable-devices?trader=kilimanjaro', 'officer.ke'))
        .json()
        .items.find((d: { id: string }) => d.id === 'TR-6');
    assert.deepEqual([(await offered()).holder, (await offered()).consented], ['kilimanjaro', false]);
    assert.equal((await call('POST', '/api/v1/custody/consents', 'trader', { administration: 'kra', devices: ['TR-6'] })).statusCode, 201);
    assert.equal((await offered()).consented, true);
  });

  test('every decision is in the audit trail with who made it', async () => {
    const entries = (await p.http.inject({ method: 'GET', url: '/api/v1/audit/entries?limit=1000', headers: p.auth })).json().items;
    const paths = entries
      .map((e: { data: { path?: string } }) => e.data?.path ?? '')
      .filter((x: string) => x.includes('/custody/consents'));
    assert.ok(
      paths.some((x: string) => x.endsWith('/confirm')),
      JSON.stringify(paths),
    );
    assert.ok(paths.some((x: string) => x.endsWith('/refuse')));
    assert.ok(paths.some((x: string) => x.endsWith('/withdraw')));
  });
});
