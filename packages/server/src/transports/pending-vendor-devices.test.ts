/**
 * SEALWATCH_PENDING_DEVICES over the TCP listeners whose handshake names the device (Teltonika
 * IMEI, JT/T 808 registration, GT06 login): an unknown id is quarantined and listed for approval
 * while the device gets its protocol's refusal; once approved, the same device is served.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeTeltonikaImei } from '@sealwatch/protocols';
import { encodeJt808Register } from '@sealwatch/protocols/jt808/jt808-encoder';
import { readJt808Message } from '@sealwatch/protocols/jt808/jt808-message';
import { encodeGt06Login } from '@sealwatch/protocols/gt06/gt06-encoder';
import { startTestPlatform } from '../testing/test-platform';
import { TcpTestClient, connectDevice, sleep } from './tcp-test-client';

type P = Awaited<ReturnType<typeof startTestPlatform>>;

describe('pending devices over the Teltonika, JT/T 808 and GT06 listeners', () => {
  let p: P;
  before(async () => {
    p = await startTestPlatform({ SEALWATCH_PENDING_DEVICES: 'true' });
    await p.listen();
  });
  after(() => p.cleanup());

  const open = async (protocol: 'teltonika' | 'jt808' | 'gt06') => new TcpTestClient(await connectDevice(p.listeners()[protocol]!));
  const get = async (url: string) => (await p.http.inject({ method: 'GET', url, headers: p.auth })).json();
  const pendingOf = async (identifier: string) =>
    (await get('/api/v1/devices/pending')).items.find((d: { identifier: string }) => d.identifier === identifier);
  const quarantined = async (identifier: string) => (await get(`/api/v1/quarantine?device=${identifier}`)).items;
  const approve = (identifier: string) =>
    p.http.inject({
      method: 'POST',
      url: `/api/v1/devices/pending/${identifier}/approve`,
      headers: p.auth,
      payload: { class: 'active', kind: 'e_lock' },
    });

  test('Teltonika: an unknown IMEI is answered 0x00 and closed, quarantined with its handshake and listed; approved, it is answered 0x01', async () => {
    const imei = '350000000000777';
    const d = await open('teltonika');
    await d.write(encodeTeltonikaImei(imei));
    assert.deepEqual(await d.readBytes(1), Buffer.from([0x00]));
    await d.waitClosed();
    const listed = await pendingOf(imei);
    assert.deepEqual([listed?.protocol, listed?.transport, listed?.count], ['teltonika', 'tcp:teltonika', 1]);
    const [q] = await quarantined(imei);
    assert.equal(q.reason, 'unknown_device');
    assert.match(q.detail, /listed as pending/);
    assert.deepEqual(Buffer.from(q.raw, 'base64'), encodeTeltonikaImei(imei));

    assert.equal((await approve(imei)).statusCode, 201);
    const again = await open('teltonika');
    await again.write(encodeTeltonikaImei(imei));
    assert.deepEqual(await again.readBytes(1), Buffer.from([0x01]));
    await sleep(50);
    assert.equal(again.closed, false);
    again.end();
  });

  test('JT/T 808: an unknown terminal registering is answered 0x8100 result 4, quarantined and listed; approved, its registration succeeds', async () => {
    const terminal = { phone: '013900000777' };
    const d = await open('jt808');
    await d.write(encodeJt808Register(terminal, 0));
    await d.waitClosed();
    const m = readJt808Message(d.received);
    assert.ok(typeof m !== 'string', String(m));
    assert.equal(m.header.msgId, 0x8100);
    assert.equal(m.body[2], 4, 'result 4: no such terminal');
    const listed = await pendingOf('013900000777');
    assert.deepEqual([listed?.protocol, listed?.transport], ['jt808', 'tcp:jt808']);
    assert.equal((await quarantined('013900000777'))[0].reason, 'unknown_device');

    assert.equal((await approve('013900000777')).statusCode, 201);
    const again = await open('jt808');
    await again.write(encodeJt808Register(terminal, 1));
    const until = Date.now() + 5000;
    while (again.received.indexOf(0x7e, 1) === -1 && Date.now() < until) await sleep(5);
    const ok = readJt808Message(again.received.subarray(0, again.received.indexOf(0x7e, 1) + 1));
    assert.ok(typeof ok !== 'string', String(ok));
    assert.equal(ok.header.msgId, 0x8100);
    assert.equal(ok.body[2], 0, 'result 0: registered');
    again.end();
  });

  test('GT06: an unknown IMEI logging in gets no acknowledgement and is closed, quarantined and listed; approved, its login is acknowledged', async () => {
    const imei = '864717003280777';
    const d = await open('gt06');
    await d.write(encodeGt06Login(imei, 1));
    await d.waitClosed();
    assert.equal(d.received.length, 0, 'GT06 has no negative acknowledgement');
    const listed = await pendingOf(imei);
    assert.deepEqual([listed?.protocol, listed?.transport], ['gt06', 'tcp:gt06']);
    assert.equal((await quarantined(imei))[0].reason, 'unknown_device');

    assert.equal((await approve(imei)).statusCode, 201);
    const again = await open('gt06');
    await again.write(encodeGt06Login(imei, 2));
    const ack = await again.readBytes(10);
    assert.equal(ack.subarray(0, 4).toString('hex'), '78780501', 'login acknowledged');
    again.end();
  });
});
