/**
 * Editing and deleting offices over HTTP (PATCH/DELETE /api/v1/offices/{code}) on a real SQLite
 * platform: only the office's own administration (that of its country) or the platform; the area
 * rules of a new office; area, country and existence kept while a movement not yet ended names
 * the office; every change in the audit trail.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asMovementId, asOfficeCode } from '@sealwatch/core';
import { buildMovementBody, createParties, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';
import { buildMovement } from '../storage/contract/fixtures';

type P = Awaited<ReturnType<typeof startTestPlatform>>;

const nairobi = {
  code: 'KENBO',
  name: 'Nairobi ICD',
  country: 'KE',
  area: { center: { lat: -1.3316, lon: 36.8755 }, radiusM: 1500 },
};
const naivasha = {
  code: 'KENVS',
  name: 'Naivasha ICD',
  country: 'KE',
  area: { center: { lat: -0.7167, lon: 36.4333 }, radiusM: 1500 },
};

describe('offices: edit and delete', () => {
  let p: P;
  let tokens: Record<string, string>;
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string | null, payload?: object) =>
    p.http.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : p.auth,
      ...(payload ? { payload } : {}),
    });

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0', SEALWATCH_LOG_LEVEL: 'error' });
    ({ tokens } = await createParties(p, {
      organisations: [
        { id: 'kra', name: 'Kenya Revenue Authority', kind: 'customs', country: 'KE' },
        { id: 'ura', name: 'Uganda Revenue Authority', kind: 'customs', country: 'UG' },
      ],
      users: [
        ['supervisor.ke', 'kra', 'supervisor'],
        ['supervisor.ug', 'ura', 'supervisor'],
        ['officer.ke', 'kra', 'officer'],
      ],
    }));
    for (const o of [mombasaOffice, malabaOffice, nairobi, naivasha])
      assert.equal((await call('POST', '/api/v1/offices', null, o)).statusCode, 201);
  });
  after(() => p.cleanup());

  test("the office's own administration renames it and moves its area, within the rules of a new office", async () => {
    const moved = await call('PATCH', '/api/v1/offices/KENBO', tokens['supervisor.ke'], {
      name: 'Nairobi Embakasi ICD',
      area: { center: { lat: -1.3294, lon: 36.8872 }, radiusM: 2000 },
    });
    assert.equal(moved.statusCode, 200, moved.body);
    const got = (await call('GET', '/api/v1/offices/KENBO', null)).json();
    assert.equal(got.name, 'Nairobi Embakasi ICD');
    assert.deepEqual(got.area, { center: { lat: -1.3294, lon: 36.8872 }, radiusM: 2000 });
    assert.equal(got.country, 'KE');

    const huge = await call('PATCH', '/api/v1/offices/KENBO', tokens['supervisor.ke'], {
      area: { center: { lat: -1.3294, lon: 36.8872 }, radiusM: 400_000 },
    });
    assert.equal(huge.statusCode, 422, huge.body);
    assert.equal(huge.json().code, 'office_area_too_large');
    const abroad = await call('PATCH', '/api/v1/offices/KENBO', tokens['supervisor.ke'], {
      area: { center: { lat: 0.3476, lon: 32.5825 }, radiusM: 2000 },
    });
    assert.equal(abroad.statusCode, 422, abroad.body);
    assert.equal(abroad.json().code, 'office_outside_country');
    assert.equal((await call('GET', '/api/v1/offices/KENBO', null)).json().area.radiusM, 2000, 'a refused edit changes nothing');
  });

  test('another administration may neither edit nor delete an office, nor an administration give one away to another country', async () => {
    const foreign = await call('PATCH', '/api/v1/offices/KENBO', tokens['supervisor.ug'], { name: 'Ours now' });
    assert.equal(foreign.statusCode, 403, foreign.body);
    assert.equal(foreign.json().code, 'outside_jurisdiction');
    const foreignDelete = await call('DELETE', '/api/v1/offices/KENBO', tokens['supervisor.ug']);
    assert.equal(foreignDelete.statusCode, 403, foreignDelete.body);
    assert.equal(foreignDelete.json().code, 'outside_jurisdiction');
    const away = await call('PATCH', '/api/v1/offices/KENBO', tokens['supervisor.ke'], { country: 'UG' });
    assert.equal(away.statusCode, 403, away.body);
    assert.equal(away.json().code, 'outside_jurisdiction');
    const officer = await call('PATCH', '/api/v1/offices/KENBO', tokens['officer.ke'], { name: 'x' });
    assert.equal(officer.statusCode, 403, 'an officer lacks offices.write');
    assert.equal((await call('GET', '/api/v1/offices/KENBO', null)).json().name, 'Nairobi Embakasi ICD');
  });

  test('an edit names only name, country or area: a new code or an unknown member is refused, not dropped', async () => {
    const recode = await call('PATCH', '/api/v1/offices/KENBO', tokens['supervisor.ke'], { code: 'KENB2', name: 'x' });
    assert.equal(recode.statusCode, 400, recode.body);
    const empty = await call('PATCH', '/api/v1/offices/KENBO', tokens['supervisor.ke'], {});
    assert.equal(empty.statusCode, 400, empty.body);
    const missing = await call('PATCH', '/api/v1/offices/KENXX', tokens['supervisor.ke'], { name: 'x' });
    assert.equal(missing.statusCode, 404, missing.body);
    assert.equal(missing.json().code, 'unknown_office');
  });

  test('while a movement not yet ended names an office, its area, country and existence stay; its name may change', async () => {
    const m = await call(
      'POST',
      '/api/v1/movements',
      null,
      buildMovementBody({ reference: 'MRN-OFFICE-IN-USE', transitOffices: ['KENVS'] }),
    );
    assert.equal(m.statusCode, 201, m.body);
    const id = m.json().id;
    assert.equal((await call('POST', `/api/v1/movements/${id}/start`, null, {})).statusCode, 200);

    const move = await call('PATCH', '/api/v1/offices/KEMBA', tokens['supervisor.ke'], {
      area: { center: { lat: -4.05, lon: 39.66 }, radiusM: 2000 },
    });
    assert.equal(move.statusCode, 409, move.body);
    assert.equal(move.json().code, 'office_in_use');
    assert.deepEqual(move.json().details.references, ['MRN-OFFICE-IN-USE']);
    const transit = await call('DELETE', '/api/v1/offices/KENVS', tokens['supervisor.ke']);
    assert.equal(transit.statusCode, 409, 'an office of transit is in use too');
    assert.equal(transit.json().code, 'office_in_use');
    const destination = await call('DELETE', '/api/v1/offices/UGMAL', tokens['supervisor.ug']);
    assert.equal(destination.statusCode, 409, destination.body);
    const rename = await call('PATCH', '/api/v1/offices/KEMBA', tokens['supervisor.ke'], { name: 'Mombasa Port (Kilindini)' });
    assert.equal(rename.statusCode, 200, rename.body);

    await call('POST', `/api/v1/movements/${id}/arrive`, null, {});
    assert.equal((await call('POST', `/api/v1/movements/${id}/end`, null, {})).statusCode, 200);
    const kept = await call('DELETE', '/api/v1/offices/KENVS', tokens['supervisor.ke']);
    assert.equal(kept.statusCode, 409, 'an ended movement still names its office of transit');
    assert.equal(kept.json().code, 'office_in_use');
    assert.equal(kept.json().details.movements, 1);
    assert.deepEqual(kept.json().details.references, ['MRN-OFFICE-IN-USE']);
    const moved = await call('PATCH', '/api/v1/offices/KEMBA', tokens['supervisor.ke'], {
      area: { center: { lat: -4.05, lon: 39.66 }, radiusM: 2000 },
    });
    assert.equal(moved.statusCode, 200, 'once the movements have ended the area may change: the jurisdiction is the country');
  });

  test("an ended movement's jurisdiction stays: an office it names is neither deleted nor moved to another country, nor its code taken", async () => {
    const voi = { code: 'KEVOI', name: 'Voi ICD', country: 'KE', area: { center: { lat: -3.3961, lon: 38.5561 }, radiusM: 1500 } };
    assert.equal((await call('POST', '/api/v1/offices', null, voi)).statusCode, 201);
    const m = await call(
      'POST',
      '/api/v1/movements',
      tokens['officer.ke'],
      buildMovementBody({ reference: 'MRN-VOI-NBO', departureOffice: 'KEVOI', destinationOffice: 'KENBO', authorizedStops: [] }),
    );
    assert.equal(m.statusCode, 201, m.body);
    const id = m.json().id;
    for (const step of ['start', 'arrive', 'end'])
      assert.equal((await call('POST', `/api/v1/movements/${id}/${step}`, null, {})).statusCode, 200, step);
    assert.equal((await call('GET', `/api/v1/movements/${id}/track`, tokens['supervisor.ug'])).statusCode, 404);

    const deleted = await call('DELETE', '/api/v1/offices/KEVOI', tokens['supervisor.ke']);
    assert.equal(deleted.statusCode, 409, deleted.body);
    assert.equal(deleted.json().code, 'office_in_use');
    assert.equal(deleted.json().details.movements, 1);
    assert.deepEqual(deleted.json().details.references, ['MRN-VOI-NBO']);
    const byPlatform = await call('DELETE', '/api/v1/offices/KEVOI', null);
    assert.equal(byPlatform.statusCode, 409, 'the platform is held to it too');
    const recountry = await call('PATCH', '/api/v1/offices/KEVOI', null, {
      country: 'UG',
      area: { center: { lat: 0.3476, lon: 32.5825 }, radiusM: 1500 },
    });
    assert.equal(recountry.statusCode, 409, recountry.body);
    assert.equal(recountry.json().code, 'office_in_use');
    const taken = await call('POST', '/api/v1/offices', tokens['supervisor.ug'], {
      ...voi,
      country: 'UG',
      area: { center: { lat: 0.3476, lon: 32.5825 }, radiusM: 1500 },
    });
    assert.equal(taken.statusCode, 409, taken.body);
    assert.equal((await call('GET', `/api/v1/movements/${id}/track`, tokens['supervisor.ug'])).statusCode, 404);
    assert.equal((await call('GET', `/api/v1/movements/${id}`, tokens['supervisor.ug'])).statusCode, 404);
    assert.equal((await call('GET', '/api/v1/offices/KEVOI', null)).json().country, 'KE');
    const renamed = await call('PATCH', '/api/v1/offices/KEVOI', tokens['supervisor.ke'], { name: 'Voi ICD (closed)' });
    assert.equal(renamed.statusCode, 200, 'a closed office is renamed, not deleted');
  });

  test('a code that movements name with no office behind it is registered again by the platform only', async () => {
    // A code orphaned before offices named by movements were kept: stored directly, as such a database holds it.
    await p.ctx.store.movements.create(
      buildMovement({
        id: asMovementId('M-ORPHAN'),
        reference: 'MRN-ORPHAN',
        departureOffice: asOfficeCode('KEOLD'),
        destinationOffice: asOfficeCode('KENBO'),
        transitOffices: [],
        devices: [],
        status: 'ended',
      }),
    );
    const kampala = { center: { lat: 0.3476, lon: 32.5825 }, radiusM: 1500 };
    const ug = await call('POST', '/api/v1/offices', tokens['supervisor.ug'], { code: 'KEOLD', name: 'Old', country: 'UG', area: kampala });
    assert.equal(ug.statusCode, 409, ug.body);
    assert.equal(ug.json().code, 'office_in_use');
    assert.deepEqual(ug.json().details.references, [], 'another country learns the count, not the reference');
    assert.equal((await call('GET', '/api/v1/movements/M-ORPHAN', tokens['supervisor.ug'])).statusCode, 404);
    const unused = await call('POST', '/api/v1/offices', tokens['supervisor.ug'], {
      code: 'UGNEW',
      name: 'New',
      country: 'UG',
      area: kampala,
    });
    assert.equal(unused.statusCode, 201, 'a code no movement names is registered as before');
    assert.equal((await call('DELETE', '/api/v1/offices/UGNEW', tokens['supervisor.ug'])).statusCode, 204, 'and deleted while unused');
    const platform = await call('POST', '/api/v1/offices', null, {
      code: 'KEOLD',
      name: 'Old',
      country: 'KE',
      area: { center: { lat: -3.3961, lon: 38.5561 }, radiusM: 1500 },
    });
    assert.equal(platform.statusCode, 201, platform.body);
  });

  test("an office's or an authorised stop's polygon whose later rings are not holes in its first ring is refused, on create and edit", async () => {
    const square = (lon: number, lat: number, h: number) => [
      [lon - h, lat - h],
      [lon + h, lat - h],
      [lon + h, lat + h],
      [lon - h, lat + h],
      [lon - h, lat - h],
    ];
    const kampala = square(32.5825, 0.3476, 0.01);
    const nairobi = square(36.8219, -1.2921, 0.2);
    const ring2 = await call('POST', '/api/v1/offices', tokens['supervisor.ug'], {
      code: 'UGRING2',
      name: 'Kampala ring',
      country: 'UG',
      area: { type: 'Polygon', coordinates: [kampala, nairobi] },
    });
    assert.equal(ring2.statusCode, 422, ring2.body);
    assert.equal(ring2.json().code, 'invalid_geometry');
    assert.equal(ring2.json().details.ring, 1);
    assert.equal((await call('GET', '/api/v1/offices/UGRING2', null)).statusCode, 404);
    const beside = await call('POST', '/api/v1/offices', tokens['supervisor.ug'], {
      code: 'UGRING4',
      name: 'Kampala and a ring beside it',
      country: 'UG',
      area: { type: 'Polygon', coordinates: [kampala, square(32.6025, 0.3476, 0.003)] },
    });
    assert.equal(beside.statusCode, 422, 'a ring beside the first, within the radius and the country, is no hole either');
    assert.equal(beside.json().code, 'invalid_geometry');

    const holed = await call('POST', '/api/v1/offices', tokens['supervisor.ug'], {
      code: 'UGRING3',
      name: 'Kampala with a hole',
      country: 'UG',
      area: { type: 'Polygon', coordinates: [kampala, square(32.5825, 0.3476, 0.002)] },
    });
    assert.equal(holed.statusCode, 201, 'a hole inside the area is a hole');
    const edited = await call('PATCH', '/api/v1/offices/UGRING3', tokens['supervisor.ug'], {
      area: { type: 'Polygon', coordinates: [kampala, nairobi] },
    });
    assert.equal(edited.statusCode, 422, edited.body);
    assert.equal(edited.json().code, 'invalid_geometry');
    assert.equal(
      (await call('GET', '/api/v1/offices/UGRING3', null)).json().area.coordinates.length,
      2,
      'the refused edit changed nothing',
    );

    const stop = await call(
      'POST',
      '/api/v1/movements',
      tokens['officer.ke'],
      buildMovementBody({
        departureOffice: 'KENBO',
        destinationOffice: 'KEMBA',
        authorizedStops: [
          { name: 'Mariakani', area: { center: { lat: -3.86, lon: 39.47 }, radiusM: 500 }, maxDwellMinutes: 60 },
          {
            name: 'Athi River',
            area: { type: 'Polygon', coordinates: [square(36.98, -1.45, 0.01), square(32.5825, 0.3476, 0.2)] },
            maxDwellMinutes: 60,
          },
        ],
      }),
    );
    assert.equal(stop.statusCode, 422, stop.body);
    assert.equal(stop.json().code, 'invalid_geometry');
    assert.equal(stop.json().details.field, 'authorizedStops[1].area');
  });

  test('the platform edits any office; every edit and deletion is in the audit trail with who and what', async () => {
    assert.equal((await call('PATCH', '/api/v1/offices/UGMAL', null, { name: 'Malaba OSBP' })).statusCode, 200);
    const entries = (await call('GET', '/api/v1/audit/entries?limit=1000', null)).json().items as Array<{
      action: string;
      actor: string;
      subjects: string[];
      data: { method: string; status: number; bodySha256: string | null };
    }>;
    const ops = entries.filter((e) => e.action === 'updateOffice' || e.action === 'deleteOffice');
    assert.ok(
      ops.some((e) => e.action === 'deleteOffice' && e.subjects.includes('UGNEW') && e.actor.startsWith('user:')),
      JSON.stringify(ops),
    );
    assert.ok(ops.some((e) => e.action === 'updateOffice' && e.subjects.includes('UGMAL') && e.data.bodySha256));
    assert.equal(ops.filter((e) => e.subjects.includes('KENBO')).length, 1, 'refused edits change nothing and are not recorded as changes');
  });
});
