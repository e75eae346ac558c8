/**
 * The risk reference end to end through the HTTP API: movements declare their goods' HS chapter
 * and origin, analysts rate origins, chapters and office pairs, and the default profile's static
 * indicators ORIGIN_HIGH_RISK, ROUTE_HIGH_RISK and GOODS_SENSITIVE then fire and raise the score.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;

describe('risk reference: declared HS chapter and origin, rated by analysts (SQLite)', () => {
  let p: P;
  const send = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    p.http.inject({ method, url, headers: p.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
  const ok = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, status = 200) => {
    const r = await send(method, url, payload);
    assert.equal(r.statusCode, status, r.body);
    return status === 204 ? null : r.json();
  };
  const declare = async (reference: string, extra: Record<string, unknown>) =>
    await ok('POST', '/api/v1/movements', { ...buildMovementBody({ reference }), ...extra }, 201);
  const fired = (a: { score: { indicators: { code: string; fired: boolean }[] } }) =>
    a.score.indicators.filter((r) => r.fired).map((r) => r.code);

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_TRANSIT_EVAL_S: '0' });
    for (const office of [mombasaOffice, malabaOffice]) await ok('POST', '/api/v1/offices', office, 201);
  });
  after(() => p.cleanup());

  test('a movement keeps its declared HS code (as digits) and origin; bad ones are refused', async () => {
    const m = await declare('MRN-HS-1', { hsChapter: '2402.20', originCountry: 'AE' });
    assert.deepEqual([m.hsChapter, m.originCountry], ['240220', 'AE']);
    assert.deepEqual(
      [(await ok('GET', `/api/v1/movements/${m.id}`)).hsChapter, (await ok('GET', `/api/v1/movements/${m.id}`)).originCountry],
      ['240220', 'AE'],
    );
    const plain = await declare('MRN-HS-0', {});
    assert.deepEqual([plain.hsChapter, plain.originCountry], [null, null]);
    for (const bad of [
      { hsChapter: '2' },
      { hsChapter: '00' },
      { hsChapter: '24022' },
      { originCountry: 'ARE' },
      { originCountry: 'ae' },
    ]) {
      const r = await send('POST', '/api/v1/movements', {
        ...buildMovementBody({ reference: `MRN-BAD-${JSON.stringify(bad).length}` }),
        ...bad,
      });
      assert.equal(r.statusCode, 400, `${JSON.stringify(bad)}: ${r.body}`);
      assert.equal(r.json().code, 'validation_failed');
    }
  });

  test('analysts keep the reference: set, replace, list by kind, delete; keys checked per kind', async () => {
    const e = await ok('PUT', '/api/v1/risk/reference/origin_country/ae', { level: 'medium', note: 'transhipment hub' });
    assert.deepEqual([e.kind, e.key, e.level, e.note, e.updatedBy], ['origin_country', 'AE', 'medium', 'transhipment hub', 'admin']);
    await ok('PUT', '/api/v1/risk/reference/origin_country/AE', { level: 'high' });
    await ok('PUT', '/api/v1/risk/reference/hs_chapter/24', { level: 'high' });
    await ok('PUT', `/api/v1/risk/reference/office_pair/${encodeURIComponent('KEMBA>UGMAL')}`, { level: 'high' });
    await ok('PUT', '/api/v1/risk/reference/hs_chapter/7', { level: 'low' });
    const all = await ok('GET', '/api/v1/risk/reference');
    assert.deepEqual(
      all.items.map((x: { kind: string; key: string; level: string }) => `${x.kind}:${x.key}:${x.level}`),
      ['hs_chapter:07:low', 'hs_chapter:24:high', 'office_pair:KEMBA>UGMAL:high', 'origin_country:AE:high'],
    );
    assert.equal((await ok('GET', '/api/v1/risk/reference?kind=hs_chapter')).items.length, 2);
    await ok('DELETE', '/api/v1/risk/reference/hs_chapter/07', undefined, 204);
    await ok('DELETE', '/api/v1/risk/reference/hs_chapter/07', undefined, 204);
    assert.equal((await ok('GET', '/api/v1/risk/reference?kind=hs_chapter')).items.length, 1);
    for (const [kind, key] of [
      ['origin_country', 'KEN'],
      ['hs_chapter', '100'],
      ['office_pair', 'KEMBA'],
      ['route', 'X'],
    ]) {
      const r = await send('PUT', `/api/v1/risk/reference/${kind}/${key}`, { level: 'high' });
      assert.equal(r.statusCode, 400, `${kind}/${key}: ${r.body}`);
    }
    assert.equal((await send('PUT', '/api/v1/risk/reference/origin_country/KE', { level: 'extreme' })).statusCode, 400);
  });

  test('a high-risk origin raises the score, with ORIGIN_HIGH_RISK in the explanation; goods and route indicators fire too', async () => {
    // Mombasa → Malaba is rated high above (KEMBA>UGMAL); rate it low here to see the origin alone.
    await ok('PUT', `/api/v1/risk/reference/office_pair/${encodeURIComponent('KEMBA>UGMAL')}`, { level: 'low' });
    const base = await declare('MRN-ORIGIN-KE', { originCountry: 'KE', hsChapter: '8471' });
    const risky = await declare('MRN-ORIGIN-AE', { originCountry: 'AE', hsChapter: '8471' });
    const a0 = await ok('POST', `/api/v1/movements/${base.id}/risk/assess`, {});
    const a1 = await ok('POST', `/api/v1/movements/${risky.id}/risk/assess`, {});
    assert.equal(a0.facts.origin_risk, 'low');
    assert.deepEqual([a1.facts.origin_risk, a1.facts.hs_chapter, a1.facts.goods_risk, a1.facts.route_risk], ['high', 84, 'low', 'low']);
    assert.ok(!fired(a0).includes('ORIGIN_HIGH_RISK'));
    assert.ok(fired(a1).includes('ORIGIN_HIGH_RISK'));
    const contribution = a1.score.indicators.find((r: { code: string }) => r.code === 'ORIGIN_HIGH_RISK').contribution;
    assert.equal(contribution, 0.9);
    assert.ok(a1.score.score > a0.score.score, `${a1.score.score} > ${a0.score.score}`);
    assert.ok(a1.score.baselineScore > a0.score.baselineScore);
    // The movement item explains it too.
    const item = await ok('GET', `/api/v1/movements/${risky.id}`);
    assert.ok(
      item.risk.indicators.some((r: { code: string; contribution: number }) => r.code === 'ORIGIN_HIGH_RISK' && r.contribution === 0.9),
    );

    // Tobacco (chapter 24, sensitive and rated high) on a route rated high.
    await ok('PUT', `/api/v1/risk/reference/office_pair/${encodeURIComponent('KEMBA>UGMAL')}`, { level: 'high' });
    const tobacco = await declare('MRN-TOBACCO', { originCountry: 'AE', hsChapter: '2402.20' });
    const a2 = await ok('POST', `/api/v1/movements/${tobacco.id}/risk/assess`, {});
    assert.deepEqual([a2.facts.hs_chapter, a2.facts.goods_risk, a2.facts.route_risk], [24, 'high', 'high']);
    for (const code of ['ORIGIN_HIGH_RISK', 'ROUTE_HIGH_RISK', 'GOODS_SENSITIVE']) assert.ok(fired(a2).includes(code), code);
    assert.ok(a2.score.score > a1.score.score);
  });

  test('device advice for a planned movement reads the same reference', async () => {
    const trip = { distanceKm: 900, durationH: 30, readersOnRoute: 4 };
    const plain = await ok('POST', '/api/v1/risk/device-advice', trip);
    const planned = await ok('POST', '/api/v1/risk/device-advice', {
      ...trip,
      originCountry: 'AE',
      hsChapter: '24',
      departureOffice: 'KEMBA',
      destinationOffice: 'UGMAL',
    });
    assert.ok(planned.score > plain.score, `${planned.score} > ${plain.score}`);
    assert.equal((await send('POST', '/api/v1/risk/device-advice', { ...trip, hsChapter: 'x' })).statusCode, 400);
  });
});
