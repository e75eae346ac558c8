/**
 * Device commands end to end: an officer queues a remote unlock through the API for a
 * movement arrived at its destination; the device connects to the platform's own TCP listener,
 * receives the exact command bytes after its report's reply, answers, and the command is
 * acknowledged and audited. Refusals by role, by rule and by parameters; cancelling; expiry.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { encodeEsealReport } from '@sealwatch/protocols/eseal/eseal-encoder';
import { encodeJt808Heartbeat, encodeJt808Location } from '@sealwatch/protocols/jt808/jt808-encoder';
import { encodeJt808LocatedAnswer, encodeJt808VehicleControl } from '@sealwatch/protocols/jt808/jt808-commands';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';
import { TcpTestClient, connectDevice, sleep } from '../transports/tcp-test-client';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
const JT600 = '2050018634';
const ESEAL = '1000898';
const JT808 = '013912345678';
/** Frames the J4 reference frame's layout: (id,P45,…,unlock verification,card,password verification,wrong count,index). */
const p45 = (verified: 0 | 1, index: number) =>
  Buffer.from(`(${JT600},P45,051124,204046,9.861502,N,83.950336,W,A,1,0,3,${verified},0000000000,${verified},0,${index})`, 'latin1');

describe('device commands', () => {
  let p: P;
  /** Added to the platform clock, to let commands expire without waiting. */
  let clockOffsetMs = 0;
  let officer = '';
  let operator = '';
  let keOfficer = '';
  let fixes = 0;
  /** Records a position of the device now (inside Malaba by default), as the processor would after a report. */
  const placeAt = async (device: string, lat = 0.635, lon = 34.275, ageMs = 0) => {
    const prev = await p.ctx.store.processing.deviceState(device as never);
    const time = new Date(Date.now() + clockOffsetMs - ageMs).toISOString() as never;
    const base = prev ?? {
      device,
      lastTime: null,
      lastReceivedAt: null,
      lastSeq: null,
      position: null,
      positionTime: null,
      seal: null,
      battery: null,
    };
    fixes += 1;
    await p.ctx.store.processing.commit({
      processor: 'test-fixes',
      checkpoint: fixes,
      events: [],
      alerts: [],
      deviceStates: [{ ...base, device, position: { lat, lon }, positionTime: time } as never],
    });
  };
  let movement = '';
  let other = '';

  const call = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
    p.http.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  const admin = (method: 'GET' | 'POST', url: string, payload?: object) =>
    p.http.inject({ method, url, headers: p.auth, ...(payload ? { payload } : {}) });
  const queue = (device: string, body: object, token = officer) =>
    call('POST', `/api/v1/devices/${device}/commands`, token, { movement, reason: 'goods released at Malaba', ...body });
  const commandOf = async (id: string) => (await call('GET', `/api/v1/commands/${id}`, officer)).json();
  const auditEntriesOf = async (id: string) => {
    // The API's own entry names the command by its id; the delivery entries as command:<id>.
    const seqs = [
      ...new Set([...(await p.ctx.store.audit.seqsBySubject(id)), ...(await p.ctx.store.audit.seqsBySubject(`command:${id}`))]),
    ].sort((a, b) => a - b);
    return Promise.all(seqs.map(async (s) => (await p.ctx.store.audit.range(s, 1))[0]));
  };
  const auditOf = async (id: string) => (await auditEntriesOf(id)).map((e) => ({ kind: e.kind, action: e.action }));
  const until = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 200; i++) {
      if (await check()) return;
      await sleep(25);
    }
    assert.fail(`timed out waiting: ${what}`);
  };

  before(async () => {
    p = await startTestPlatform(
      { SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0', SEALWATCH_COMMAND_TTL_S: '600' },
      { now: () => Date.now() + clockOffsetMs },
    );
    await p.listen();
    assert.equal(
      (await admin('POST', '/api/v1/organisations', { id: 'ura', name: 'Uganda Revenue Authority', kind: 'customs', country: 'UG' }))
        .statusCode,
      201,
    );
    for (const [name, role] of [
      ['officer', 'officer'],
      ['operator', 'operator'],
    ]) {
      const u = await admin('POST', '/api/v1/users', {
        username: `${name}.ura`,
        name,
        organisation: 'ura',
        roles: [role],
        password: `pw-${name}-long-enough`,
      });
      assert.equal(u.statusCode, 201, u.body);
      const t = await admin('POST', '/api/v1/tokens', { name, user: u.json().id });
      if (name === 'officer') officer = t.json().token;
      else operator = t.json().token;
    }
    assert.equal(
      (await admin('POST', '/api/v1/organisations', { id: 'kra', name: 'Kenya Revenue Authority', kind: 'customs', country: 'KE' }))
        .statusCode,
      201,
    );
    const ke = await admin('POST', '/api/v1/users', {
      username: 'officer.kra',
      name: 'KE officer',
      organisation: 'kra',
      roles: ['officer'],
      password: 'pw-officer-long-enough',
    });
    keOfficer = (await admin('POST', '/api/v1/tokens', { name: 'ke', user: ke.json().id })).json().token;
    for (const office of [mombasaOffice, malabaOffice]) assert.equal((await admin('POST', '/api/v1/offices', office)).statusCode, 201);
    for (const [id, protocol] of [
      [JT600, 'jt600'],
      [ESEAL, 'eseal'],
      [JT808, 'jt808'],
      ['LOCK-NATIVE-FREE', 'jt600'],
    ]) {
      const r = await admin('POST', '/api/v1/devices', { id, class: 'active', kind: 'e_lock', protocol, reportIntervalS: 60 });
      assert.equal(r.statusCode, 201, r.body);
    }
    movement = (await admin('POST', '/api/v1/movements', buildMovementBody({ devices: [JT600, ESEAL, JT808] }))).json().id;
    other = (await admin('POST', '/api/v1/movements', buildMovementBody({ devices: ['LOCK-NATIVE-FREE'] }))).json().id;
    assert.equal((await admin('POST', `/api/v1/movements/${movement}/start`, {})).statusCode, 200);
  });
  after(() => p.cleanup());

  test('refused while the movement is in transit (409 movement_not_arrived), and for a role without devices.command (403)', async () => {
    const r = await queue(JT600, { type: 'unlock', params: { password: '888888' } });
    assert.equal(r.statusCode, 409, r.body);
    assert.equal(r.json().code, 'movement_not_arrived');
    assert.equal((await queue(JT600, { type: 'unlock', params: { password: '888888' } }, operator)).statusCode, 403);
    assert.equal((await admin('POST', `/api/v1/movements/${movement}/arrive`, {})).statusCode, 200);
  });

  test('refused for a device not on the movement (422), a command the protocol lacks (422), missing parameters (422)', async () => {
    const notOn = await queue('LOCK-NATIVE-FREE', { type: 'unlock', params: { password: '888888' } });
    assert.equal(notOn.statusCode, 422, notOn.body);
    assert.equal(notOn.json().code, 'device_not_on_movement');
    const lock = await queue(JT600, { type: 'lock' });
    assert.equal(lock.json().code, 'command_not_supported');
    assert.equal(lock.statusCode, 422);
    const noPassword = await queue(JT600, { type: 'unlock' });
    assert.equal(noPassword.statusCode, 422);
    assert.match(noPassword.json().detail, /password/);
    const hidden = await queue(JT600, { type: 'unlock', params: { password: '888888' }, movement: 'no-such-movement' });
    assert.equal(hidden.statusCode, 422);
    assert.equal(hidden.json().code, 'unknown_movement');
    assert.ok(other);
  });

  test('an unlock needs the administration of the destination office (403 not_destination_administration) and a fresh position inside it (409 position_unknown, position_stale)', async () => {
    const unknown = await queue(JT600, { type: 'unlock', params: { password: '888888' } });
    assert.equal(unknown.statusCode, 409, unknown.body);
    assert.equal(unknown.json().code, 'position_unknown', 'a device that never reported a position is not unlocked');
    await placeAt(JT600, 0.635, 34.275, 11 * 60_000);
    const stale = await queue(JT600, { type: 'unlock', params: { password: '888888' } });
    assert.equal(stale.statusCode, 409, stale.body);
    assert.equal(stale.json().code, 'position_stale');
    await placeAt(JT600);
    const kenya = await queue(JT600, { type: 'unlock', params: { password: '888888' } }, keOfficer);
    assert.equal(kenya.statusCode, 403, kenya.body);
    assert.equal(
      kenya.json().code,
      'not_destination_administration',
      'Kenya sees the movement (it departs from Mombasa) but only Uganda releases it',
    );
    assert.deepEqual((await call('GET', `/api/v1/devices/${JT600}/commands`, officer)).json().items, [], 'nothing was queued');
  });

  test("JT701: the unlock is queued, sent as (P43,888888) after the report's reply, acknowledged by the P45 that follows, and audited", async () => {
    await placeAt(JT600);
    const r = await queue(JT600, { type: 'unlock', params: { password: '888888' } });
    assert.equal(r.statusCode, 201, r.body);
    const queued = r.json();
    assert.equal(queued.status, 'queued');
    assert.equal(queued.params.password, '******', 'the password is never shown back');
    const stored = await p.ctx.store.commands.get(queued.id);
    assert.match(String(stored?.params.password), /^sw1\./, 'stored sealed under the master key');
    assert.equal(JSON.stringify(stored).includes('888888'), false);
    assert.equal(queued.requestedBy.length > 0, true);

    const d = new TcpTestClient(await connectDevice(p.listeners().jt600));
    await d.write(p45(0, 0));
    assert.equal((await d.readBytes('(P69,0,0)'.length)).toString('latin1'), '(P69,0,0)');
    assert.equal((await d.readBytes('(P43,888888)'.length)).toString('latin1'), '(P43,888888)');
    await until('marked sent', async () => (await commandOf(queued.id)).status === 'sent');
    await d.write(p45(1, 1));
    assert.equal((await d.readBytes('(P69,0,1)'.length)).toString('latin1'), '(P69,0,1)');
    await until('acknowledged', async () => (await commandOf(queued.id)).status === 'acknowledged');
    const done = await commandOf(queued.id);
    assert.equal(done.result.detail, 'P45 lock event: unlock verified');
    assert.equal(done.result.data.unlockVerification, 1);
    assert.deepEqual(await auditOf(queued.id), [
      { kind: 'user_action', action: 'queueDeviceCommand' },
      { kind: 'device_command', action: 'command_sent' },
      { kind: 'device_command', action: 'command_acknowledged' },
    ]);
    // The trail says a password was given, never the password nor a hash one could search six characters for.
    const entries = await auditEntriesOf(queued.id);
    const text = JSON.stringify(entries);
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    // What a reader of the trail would try: the body as the route reads it (schema order) and the frame, for every candidate.
    const guess = (pw: string) => [
      sha(JSON.stringify({ type: 'unlock', movement, reason: 'goods released at Malaba', params: { password: pw } })),
      sha(`(P43,${pw})`),
    ];
    for (const pw of ['000000', '123456', '888888', '999999']) {
      for (const leak of [pw, ...guess(pw)]) assert.equal(text.includes(leak), false, `${pw}: ${leak}`);
    }
    assert.deepEqual(entries[0].data.secretsGiven, ['params.password']);
    await sleep(100);
    assert.equal(d.received.length, 0, 'nothing more is sent');
    d.end();

    const list = (await call('GET', `/api/v1/devices/${JT600}/commands`, officer)).json().items;
    assert.deepEqual(
      list.map((c: { id: string }) => c.id),
      [queued.id],
    );
  });

  test('a later unlock is refused once the lock reported a position outside the destination office (409)', async () => {
    await until('the device state has the P45 position', async () => {
      const position = (await p.ctx.store.processing.deviceState(JT600 as never))?.position;
      return !!position && position.lat !== 0.635;
    });
    // The P45 frames are dated 2024 (the reference frame's own time): too old to prove anything.
    const old = await queue(JT600, { type: 'unlock', params: { password: '888888' } });
    assert.equal(old.statusCode, 409, old.body);
    assert.equal(old.json().code, 'position_stale');
    await placeAt(JT600, 9.861502, -83.950336);
    const r = await queue(JT600, { type: 'unlock', params: { password: '888888' } });
    assert.equal(r.statusCode, 409, r.body);
    assert.equal(r.json().code, 'outside_destination_office');
  });

  test("eSeal: RC-Unlock is sent after the report's ACK line and acknowledged by RC-Unlock ACK", async () => {
    await placeAt(ESEAL);
    const queued = (await queue(ESEAL, { type: 'unlock' })).json();
    const d = new TcpTestClient(await connectDevice(p.listeners().eseal));
    await d.write(
      encodeEsealReport({
        deviceId: ESEAL,
        type: 'Normal',
        index: 5,
        time: new Date().toISOString(),
        fix: true,
        lat: 0.635,
        lon: 34.275,
        course: 0,
        speed: 0,
        door: 'Close',
        acceleration: 0,
        nfc: '0',
        battery: 3.9,
        rssi: -70,
      }),
    );
    const ack = '##S,eSeal,1000898,256,3.0.6,Normal ACK,5,E##\r\n';
    assert.equal((await d.readBytes(ack.length)).toString('latin1'), ack);
    const unlock = '##S,eSeal,1000898,256,3.0.8,RC-Unlock,E##\r\n';
    assert.equal((await d.readBytes(unlock.length)).toString('latin1'), unlock);
    await d.write(Buffer.from('##S,eSeal,1000898,256,3.0.8,RC-Unlock ACK,E##\r\n', 'latin1'));
    await until('acknowledged', async () => (await commandOf(queued.id)).status === 'acknowledged');
    assert.equal((await commandOf(queued.id)).result.detail, 'RC-Unlock ACK');
    d.end();
  });

  test("JT/T 808: vehicle control 0x8500 goes out on the next platform serial after a heartbeat's reply; 0x0500 with the door unlocked acknowledges it", async () => {
    await placeAt(JT808);
    const queued = (await queue(JT808, { type: 'unlock' })).json();
    const d = new TcpTestClient(await connectDevice(p.listeners().jt808));
    const terminal = { phone: JT808 };
    await d.write(encodeJt808Heartbeat(terminal, 1));
    const reply = await d.readBytes(20); // 0x8001, platform serial 0
    assert.equal(reply.subarray(1, 3).toString('hex'), '8001');
    const expected = encodeJt808VehicleControl({ version: null, phoneBytes: Buffer.from(JT808, 'hex') }, 1, false);
    assert.equal((await d.readBytes(expected.length)).toString('hex'), expected.toString('hex'));
    const location = encodeJt808Location({ lat: 0.635, lon: 34.275, time: Date.now(), status: 0x2 });
    await d.write(encodeJt808LocatedAnswer(terminal, 0x0500, 2, 1, location));
    await until('acknowledged', async () => (await commandOf(queued.id)).status === 'acknowledged');
    const done = await commandOf(queued.id);
    assert.equal(done.result.detail, 'vehicle control response: door unlocked');
    assert.deepEqual([done.result.data.position.lat, done.result.data.position.lon], [0.635, 34.275]);
    d.end();
  });

  test('a queued command is cancelled only by the administration that queued it (or the platform), then is never sent; a second cancel is 409', async () => {
    const queued = (await queue(JT808, { type: 'locate' })).json();
    const ke = await call('POST', `/api/v1/commands/${queued.id}/cancel`, keOfficer);
    assert.equal(ke.statusCode, 403, "Kenya sees the movement but did not queue Uganda's command");
    assert.equal(ke.json().code, 'not_command_requester');
    assert.equal((await commandOf(queued.id)).status, 'queued');
    const byPlatform = (await queue(JT808, { type: 'locate' })).json();
    assert.equal((await admin('POST', `/api/v1/commands/${byPlatform.id}/cancel`)).json().status, 'cancelled', 'the platform may');
    const c = await call('POST', `/api/v1/commands/${queued.id}/cancel`, officer);
    assert.equal(c.statusCode, 200, c.body);
    assert.equal(c.json().status, 'cancelled');
    const again = await call('POST', `/api/v1/commands/${queued.id}/cancel`, officer);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'invalid_transition');
    assert.equal((await call('GET', `/api/v1/commands/${queued.id}`, operator)).statusCode, 200, 'operators read commands');
  });

  test('a command the device never receives expires after SEALWATCH_COMMAND_TTL_S, audited, and is not sent afterwards', async () => {
    const queued = (await queue(JT808, { type: 'locate' })).json();
    clockOffsetMs = 601_000;
    try {
      assert.equal(await p.ctx.commands.expireDue(), 1);
      const expired = await commandOf(queued.id);
      assert.equal(expired.status, 'expired');
      assert.match(expired.result.detail, /did not connect/);
      assert.deepEqual(
        (await auditOf(queued.id)).map((e) => e.action),
        ['queueDeviceCommand', 'command_expired'],
      );
      assert.deepEqual(await p.ctx.commands.due('jt808', JT808), []);
    } finally {
      clockOffsetMs = 0;
    }
  });
  test('once the movement has ended its queued commands are not sent and no command is queued under it (the device may seal another movement)', async () => {
    const queued = (await queue(JT808, { type: 'locate' })).json();
    assert.equal(queued.status, 'queued');
    assert.equal((await admin('POST', `/api/v1/movements/${movement}/end`, {})).statusCode, 200);
    assert.deepEqual(await p.ctx.commands.due('jt808', JT808), []);
    const refused = await queue(JT808, { type: 'locate' });
    assert.equal(refused.statusCode, 422, refused.body);
    assert.equal(refused.json().code, 'device_not_on_movement');
  });
});
