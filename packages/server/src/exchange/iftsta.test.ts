/**
 * IFTSTA D.00B on a real platform, read back by an independent EDIFACT parser (npm `edifact`,
 * whose validator checks the element formats of the UN segment directory for the segments it
 * knows: UNH, BGM, DTM, RFF, LOC, EQD, SEL, UNT…): an EQD for the container, a SEL per seal with
 * 4517 condition 4 for the seal broken in transit and 1 for the intact one; a faulty e-seal is 5.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import edifact from 'edifact';
import { asDeviceId, sealConditions } from '@sealwatch/core';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';

type Segment = { name: string; elements: string[][] };
const read = (text: string): Segment[] => new edifact.Reader().parse(text);

describe('IFTSTA D.00B', () => {
  let p: Awaited<ReturnType<typeof startTestPlatform>>;
  const key = generateDeviceKey('EdDSA');
  let movement = '';
  const admin = (method: string, url: string, payload?: unknown) =>
    p.http.inject({ method: method as 'POST', url, headers: p.auth, ...(payload === undefined ? {} : { payload: payload as object }) });

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' });
    for (const o of [mombasaOffice, malabaOffice]) await admin('POST', '/api/v1/offices', o);
    await admin('POST', '/api/v1/devices', {
      id: 'SEAL-1',
      class: 'active',
      kind: 'e_seal',
      protocol: 'native',
      key: key.registration,
      identifiers: { sealNumber: 'KE-0001234' },
    });
    movement = (
      await admin('POST', '/api/v1/movements', buildMovementBody({ devices: ['SEAL-1'], seals: ['KE-0001234', "KE+MECH:1'"] }))
    ).json().id;
    await admin('POST', `/api/v1/movements/${movement}/start`, {});
    let seq = 0;
    for (const seal of [{ state: 'closed' }, { state: 'open' }]) {
      await p.ctx.ingest.ingest(
        [signMessage(key, { device: 'SEAL-1', seq: ++seq, time: new Date().toISOString(), position: { lat: -3.9, lon: 39.5 }, seal })],
        { transport: 'test', remote: null },
      );
      await p.ctx.processor.idle();
    }
  });
  after(() => p.cleanup());

  test('EQD per container, SEL per seal with its condition: 4 broken, 1 right; UNT counts its segments', async () => {
    const r = await admin('GET', `/api/v1/movements/${movement}/iftsta`);
    assert.equal(r.statusCode, 200, r.body);
    assert.match(r.headers['content-type'] as string, /^application\/edifact/);
    const segments = read(r.body);
    const names = segments.map((s) => s.name);
    assert.deepEqual(names.slice(0, 3), ['UNB', 'UNH', 'BGM']);
    assert.deepEqual(segments[1].elements[1], ['IFTSTA', 'D', '00B', 'UN']);
    const eqd = segments.find((s) => s.name === 'EQD')!;
    assert.deepEqual(eqd.elements, [['CN'], ['CSQU3054383']]);
    const sels = segments.filter((s) => s.name === 'SEL').map((s) => s.elements.map((e) => e.join(':')));
    assert.deepEqual(sels, [
      ['KE-0001234', 'CU', '4'],
      ["KE+MECH:1'", 'CU', '1'],
    ]);
    assert.ok(names.indexOf('SEL') > names.indexOf('EQD') && names.indexOf('EQD') > names.indexOf('STS'), 'SG8 inside SG5');
    const unh = names.indexOf('UNH');
    const unt = segments[names.indexOf('UNT')];
    assert.equal(Number(unt.elements[0][0]), names.indexOf('UNT') - unh + 1);
    const sts = segments.find((s) => s.name === 'STS')!;
    assert.deepEqual(sts.elements[1].slice(0, 3), ['TRN', '', 'ZZZ']);
    const entries = await p.ctx.store.audit.range(1, 10_000);
    assert.ok(entries.some((e) => e.action === 'exchange.out:IFTSTA' && e.subjects.includes(movement)));
  });

  test('the independent parser does refuse what breaks the directory (a seal condition longer than an..3)', () => {
    assert.throws(() => read("UNA:+.? 'UNB+UNOC:3+A+B+700101:0000+R'UNH+1+IFTSTA:D:00B:UN'SEL+X+CU+4444'UNT+3+1'UNZ+1+R'"));
  });

  test('a faulty electronic seal (open device_fault incident) is 5; a false alarm does not break a seal; after arrival an open seal is no breach', () => {
    const devices = [{ id: asDeviceId('E1'), identifiers: { sealNumber: 'S1' } }];
    const fault = { code: 'device_fault' as const, status: 'open' as const, outcome: null, seals: ['S1'], devices: [asDeviceId('E1')] };
    const falseAlarm = {
      code: 'seal_broken' as const,
      status: 'closed' as const,
      outcome: 'false_alarm' as const,
      seals: ['S2'],
      devices: [],
    };
    const m = { seals: ['S1', 'S2'], status: 'in_transit' as const };
    assert.deepEqual(
      sealConditions(m, devices, [], [fault, falseAlarm]).map((s) => s.condition),
      ['faulty', 'intact'],
    );
    const open = [{ device: asDeviceId('E1'), seal: { state: 'open' as const } }];
    assert.equal(sealConditions(m, devices, open, [])[0].condition, 'broken');
    assert.equal(sealConditions({ ...m, status: 'ended' }, devices, open, [])[0].condition, 'intact');
  });

  test('another scope does not see it: a trader of another organisation gets 404', async () => {
    await admin('POST', '/api/v1/organisations', { id: 'zeta', name: 'Zeta', kind: 'trader' });
    const u = await admin('POST', '/api/v1/users', {
      username: 'zeta.user',
      name: 'z',
      organisation: 'zeta',
      roles: ['trader'],
      password: 'pw-zeta-long-enough',
    });
    const token = (await admin('POST', '/api/v1/tokens', { name: 'z', user: u.json().id })).json().token;
    const r = await p.http.inject({
      method: 'GET',
      url: `/api/v1/movements/${movement}/iftsta`,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(r.statusCode, 404);
  });
});
