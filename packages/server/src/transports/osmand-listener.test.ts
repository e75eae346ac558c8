import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDeviceKey } from '@sealwatch/sim/signer';
import { startTestPlatform } from '../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
let p: P;
let base: string;

before(async () => {
  p = await startTestPlatform();
  await p.listen();
  base = `http://127.0.0.1:${p.listeners().osmand}`;
  const post = (payload: object) => p.http.inject({ method: 'POST', url: '/api/v1/devices', headers: p.auth, payload });
  assert.equal(
    (
      await post({
        id: 'TRUCK-7',
        class: 'active',
        kind: 'tracker',
        protocol: 'osmand',
        identifiers: { imei: '356307042441013' },
        reportIntervalS: 30,
      })
    ).statusCode,
    201,
  );
  assert.equal(
    (await post({ id: 'SIGNED-1', class: 'active', kind: 'e_lock', protocol: 'native', key: generateDeviceKey('EdDSA').registration }))
      .statusCode,
    201,
  );
});
after(() => p.cleanup());

test('an OsmAnd position by IMEI is stored for the registered device, marked unverified, once durable', async () => {
  const ts = Math.floor(Date.now() / 1000);
  const r = await fetch(`${base}/?id=356307042441013&lat=-1.2921&lon=36.8219&timestamp=${ts}&speed=20&batt=77&ignition=true`);
  assert.equal(r.status, 200);
  const page = await p.ctx.store.observations.listByDevice('TRUCK-7' as never, {}, { limit: 5 });
  assert.equal(page.items.length, 1);
  const o = page.items[0];
  assert.equal(o.trust, 'unverified');
  assert.equal(o.protocol, 'osmand');
  assert.equal(o.seq, null);
  assert.deepEqual(o.battery, { level: 77 });
  assert.equal(o.attributes?.ignition, true);
  assert.ok(Math.abs(o.position!.speed! - 37.04) < 1e-9);
});

test('the JSON form by device id is accepted too', async () => {
  const body = {
    device_id: 'TRUCK-7',
    location: { timestamp: new Date().toISOString(), coords: { latitude: -1.3, longitude: 36.9, speed: 10 } },
  };
  const r = await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(r.status, 200);
});

test('unknown device, malformed request and a signed device spoken for over OsmAnd are refused with 400 and quarantined', async () => {
  const cases: [string, string][] = [
    [`/?id=999999999999999&lat=1&lon=1`, 'unknown_device'],
    [`/?lat=1&lon=1`, 'malformed_frame'],
    [`/?id=SIGNED-1&lat=1&lon=1`, 'protocol_mismatch'],
  ];
  for (const [path, reason] of cases) {
    const r = await fetch(base + path);
    assert.equal(r.status, 400);
    assert.match(await r.text(), new RegExp(`^${reason}`));
    const q = await p.ctx.store.quarantine.list({ reason: reason as never }, { limit: 1 });
    assert.equal(q.items[0]?.transport, 'http:osmand');
    assert.match(Buffer.from(q.items[0].raw, 'base64').toString(), new RegExp(path.replace(/[?]/g, '\\?')));
  }
  const signed = await p.ctx.store.observations.listByDevice('SIGNED-1' as never, {}, { limit: 5 });
  assert.equal(signed.items.length, 0, 'no unsigned data under a signed device');
});

test("Traccar's test generator (tools/test-generator.py) sends `GET ?id=…` without a slash: stored, answered 200, the ICCID's digits kept", async () => {
  const { connect } = await import('node:net');
  const ts = Math.floor(Date.now() / 1000);
  const port = p.listeners().osmand;
  // The request line exactly as Python's http.client writes conn.request('GET', '?' + urlencode(params)).
  const request = `GET ?id=356307042441013&timestamp=${ts}&lat=48.85378&lon=2.344347&altitude=50&bearing=45.0&speed=40&batt=77&ignition=true&iccid=89882280666134274509 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept-Encoding: identity\r\n\r\n`;
  const answer = await new Promise<string>((resolve, reject) => {
    const c = connect(port, '127.0.0.1', () => c.write(request));
    let got = '';
    c.on('data', (d) => (got += d.toString()));
    c.on('end', () => resolve(got));
    c.on('error', reject);
  });
  assert.match(answer, /^HTTP\/1\.1 200 OK\r\n/);
  const page = await p.ctx.store.observations.listByDevice('TRUCK-7' as never, {}, { limit: 50 });
  const o = page.items.find((x) => x.attributes?.iccid === '89882280666134274509');
  assert.ok(o, 'the position is stored with the ICCID as sent');
  assert.deepEqual([o.position?.lat, o.position?.lon], [48.85378, 2.344347]);
});
