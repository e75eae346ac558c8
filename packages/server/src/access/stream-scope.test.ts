/**
 * The live stream's scope shrinks as well as grows on an open connection: once a movement ends, an
 * administration that saw its device through it no longer receives that device's positions.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDeviceKey, signMessage } from '@sealwatch/sim/signer';
import { buildMovementBody, malabaOffice, mombasaOffice, startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
const keys = { 'LOCK-S': generateDeviceKey('EdDSA'), 'LOCK-M': generateDeviceKey('EdDSA') };
const admin = (method: string, url: string, payload?: unknown) =>
  p.http.inject({ method: method as 'POST', url, headers: p.auth, ...(payload === undefined ? {} : { payload: payload as object }) });
const report = async (device: keyof typeof keys, seq: number) => {
  const r = await p.http.inject({
    method: 'POST',
    url: '/api/v1/ingest',
    payload: {
      messages: [signMessage(keys[device], { device, seq, time: new Date().toISOString(), position: { lat: -4.04, lon: 39.67 } })],
    },
  });
  assert.equal(r.json().results[0].status, 'accepted', r.body);
};

before(async () => {
  p = await startTestPlatform({ SEALWATCH_AUDIT_CHECKPOINT_S: '0', SEALWATCH_TRANSIT_EVAL_S: '0' });
  await p.listen();
});
after(() => p.cleanup());

test("a movement's end stops its device's positions on an open stream, without reconnecting", async () => {
  assert.equal((await admin('POST', '/api/v1/organisations', { id: 'kra', name: 'KRA', kind: 'customs', country: 'KE' })).statusCode, 201);
  const u = await admin('POST', '/api/v1/users', {
    username: 'ke.operator',
    name: 'Operator',
    organisation: 'kra',
    roles: ['operator'],
    password: 'operator long password',
  });
  const token = (await admin('POST', '/api/v1/tokens', { name: 'console', user: u.json().id })).json().token;
  for (const office of [mombasaOffice, malabaOffice]) assert.equal((await admin('POST', '/api/v1/offices', office)).statusCode, 201);
  const ids: string[] = [];
  for (const [i, device] of (['LOCK-S', 'LOCK-M'] as const).entries()) {
    assert.equal(
      (
        await admin('POST', '/api/v1/devices', {
          id: device,
          class: 'active',
          kind: 'e_lock',
          protocol: 'native',
          key: keys[device].registration,
        })
      ).statusCode,
      201,
    );
    const m = await admin('POST', '/api/v1/movements', { ...buildMovementBody({ devices: [device] }), reference: `MRN-STREAM-${i}` });
    assert.equal(m.statusCode, 201, m.body);
    ids.push(m.json().id);
    assert.equal((await admin('POST', `/api/v1/movements/${m.json().id}/start`, {})).statusCode, 200);
  }

  const abort = new AbortController();
  const address = p.http.server.address() as { port: number };
  const stream = await fetch(`http://127.0.0.1:${address.port}/api/v1/stream?kinds=observation,movement`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  assert.equal(stream.status, 200);
  const seen: { event: string; data: { id?: string; device?: string; seq?: number; status?: string } }[] = [];
  const reading = (async () => {
    let buf = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data) seen.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted at the end of the test
    }
  })();
  const until = async (what: string, ok: () => boolean) => {
    for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(ok(), `${what}; saw ${JSON.stringify(seen)}`);
  };
  const observed = (device: string, seq: number) =>
    seen.some((s) => s.event === 'observation' && s.data.device === device && s.data.seq === seq);

  await report('LOCK-S', 1);
  await until('the device on a movement in scope is delivered', () => observed('LOCK-S', 1));
  assert.equal((await admin('POST', `/api/v1/movements/${ids[0]}/arrive`, {})).statusCode, 200);
  assert.equal((await admin('POST', `/api/v1/movements/${ids[0]}/end`, {})).statusCode, 200);
  await until('the end is delivered', () => seen.some((s) => s.event === 'movement' && s.data.id === ids[0] && s.data.status === 'ended'));
  await report('LOCK-S', 2);
  await report('LOCK-M', 1);
  await until("the other movement's device still is", () => observed('LOCK-M', 1));
  assert.equal(observed('LOCK-S', 2), false, "the ended movement's device is no longer delivered");
  abort.abort();
  await reading;
});

test("a trader's stream carries the same stripped alerts and incidents as its GETs: no comments, who acted, assignee", async () => {
  assert.equal((await admin('POST', '/api/v1/organisations', { id: 'acme', name: 'Acme', kind: 'trader' })).statusCode, 201);
  const u = await admin('POST', '/api/v1/users', {
    username: 'acme.trader',
    name: 'Trader',
    organisation: 'acme',
    roles: ['trader'],
    password: 'trader long password',
  });
  const token = (await admin('POST', '/api/v1/tokens', { name: 'acme', user: u.json().id })).json().token;
  const key = generateDeviceKey('EdDSA');
  const reg = { id: 'LOCK-T', class: 'active', kind: 'e_lock', protocol: 'native', key: key.registration };
  assert.equal((await admin('POST', '/api/v1/devices', reg)).statusCode, 201);
  const m = await admin('POST', '/api/v1/movements', { ...buildMovementBody({ devices: ['LOCK-T'] }), trader: 'acme' });
  assert.equal(m.statusCode, 201, m.body);
  assert.equal((await admin('POST', `/api/v1/movements/${m.json().id}/start`, {})).statusCode, 200);

  const abort = new AbortController();
  const address = p.http.server.address() as { port: number };
  const stream = await fetch(`http://127.0.0.1:${address.port}/api/v1/stream?kinds=alert,incident`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  assert.equal(stream.status, 200);
  const frames: string[] = [];
  const reading = (async () => {
    let buf = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          frames.push(buf.slice(0, i));
          buf = buf.slice(i + 2);
        }
      }
    } catch {
      // aborted at the end of the test
    }
  })();
  const r = await p.http.inject({
    method: 'POST',
    url: '/api/v1/ingest',
    payload: { messages: [signMessage(key, { device: 'LOCK-T', seq: 1, time: new Date().toISOString(), seal: { state: 'tampered' } })] },
  });
  assert.equal(r.json().results[0].status, 'accepted', r.body);
  await p.ctx.processor.idle();
  const alert = (await admin('GET', `/api/v1/alerts?movement=${m.json().id}`)).json().items[0];
  const note = 'intelligence: driver named in a smuggling file';
  assert.equal((await admin('POST', `/api/v1/alerts/${alert.id}/acknowledge`, { comment: note })).statusCode, 200);
  const acknowledged = () => frames.find((f) => f.includes('event: alert') && f.includes('"acknowledged"'));
  for (let i = 0; i < 400 && !acknowledged(); i++) await new Promise((res) => setTimeout(res, 25));
  assert.ok(acknowledged(), `the acknowledgement is streamed; saw ${frames.join(' | ')}`);
  assert.ok(
    frames.some((f) => f.includes('event: incident')),
    'incidents are streamed too',
  );
  for (const f of frames.filter((x) => /event: (alert|incident)/.test(x))) {
    assert.ok(!f.includes(note), `no customs note reaches the trader: ${f}`);
    assert.ok(!/"by":"(?!null)/.test(f), `nor who acted: ${f}`);
  }
  abort.abort();
  await reading;
});
