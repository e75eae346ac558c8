/** HTTP device integrations: scoped tokens, ChirpStack and TTS uplinks, RFID reader reports placed by the registry. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform } from '../../testing/test-platform';

type P = Awaited<ReturnType<typeof startTestPlatform>>;
const EXAMPLE = 'AQkDVwcyBv8611gV8pN4AaQ='; // e-seal payload v1: open, rope cut, 87 %, seq 1842, GNSS fix, 4.2 °C
const DEV_EUI = '0102030405060708';

const chirpStack = (devEui = DEV_EUI) => ({
  deduplicationId: '3ac7e3c4-4401-4b8d-9386-a5c902f9202d',
  time: new Date().toISOString(),
  deviceInfo: { tenantId: 't', applicationId: 'a', deviceName: 'seal-000123', devEui },
  fCnt: 42,
  fPort: 10,
  data: EXAMPLE,
  rxInfo: [{ gatewayId: '0016c001f153a14c', rssi: -97, snr: 7.5 }],
  txInfo: { frequency: 868100000 },
});
const tts = () => ({
  end_device_ids: { device_id: 'seal-000124', dev_eui: '70b3d57ed0000abc' },
  received_at: new Date().toISOString(),
  uplink_message: {
    f_port: 10,
    f_cnt: 7,
    frm_payload: EXAMPLE,
    rx_metadata: [{ gateway_ids: { gateway_id: 'gw-namanga' }, rssi: -110 }],
    settings: { frequency: '868300000' },
  },
});

describe('HTTP device integrations', () => {
  let p: P;
  const tokens: Record<string, string> = {};
  const post = (url: string, payload: unknown, token?: string) =>
    p.http.inject({ method: 'POST', url, headers: token ? { authorization: `Bearer ${token}` } : {}, payload: payload as object });
  const admin = (url: string, payload: unknown) => p.http.inject({ method: 'POST', url, headers: p.auth, payload: payload as object });
  const observations = async (device: string) =>
    (await p.http.inject({ method: 'GET', url: `/api/v1/devices/${device}/observations`, headers: p.auth })).json().items;
  const quarantined = async (device: string) =>
    (await p.http.inject({ method: 'GET', url: `/api/v1/quarantine?device=${device}`, headers: p.auth })).json().items;

  before(async () => {
    p = await startTestPlatform();
    for (const kind of ['chirpstack', 'tts', 'rfid']) {
      const r = await admin('/api/v1/integrations', { kind, name: `${kind} test` });
      assert.equal(r.statusCode, 201, r.body);
      tokens[kind] = r.json().token;
    }
    const devices = [
      { id: DEV_EUI, class: 'active', kind: 'e_seal', protocol: 'lorawan' },
      { id: '70B3D57ED0000ABC', class: 'active', kind: 'e_seal', protocol: 'lorawan' },
      // Registered in lower case, as ChirpStack writes DevEUIs.
      { id: '0004a30b001c0530', class: 'active', kind: 'e_seal', protocol: 'lorawan' },
      {
        id: 'KE-MSA-GATE7',
        class: 'passive',
        kind: 'reader',
        protocol: 'rfid',
        location: { lat: -4.0435, lon: 39.6682, accuracy: 5 },
        band: 'etsi',
      },
    ];
    for (const d of devices) assert.equal((await admin('/api/v1/devices', d)).statusCode, 201);
  });
  after(() => p.cleanup());

  test('lists integrations without their tokens; a reader keeps its registered place and band', async () => {
    const list = (await p.http.inject({ method: 'GET', url: '/api/v1/integrations', headers: p.auth })).json();
    assert.deepEqual(list.items.map((i: { kind: string }) => i.kind).sort(), ['chirpstack', 'rfid', 'tts']);
    assert.ok(!JSON.stringify(list).includes(tokens.rfid) && !JSON.stringify(list).includes('tokenSha256'));
    const reader = (await p.http.inject({ method: 'GET', url: '/api/v1/devices/KE-MSA-GATE7', headers: p.auth })).json();
    assert.deepEqual([reader.location, reader.band], [{ lat: -4.0435, lon: 39.6682, accuracy: 5 }, 'ETSI']);
  });

  test("an uplink needs a live token of the endpoint's own kind", async () => {
    assert.equal((await post('/api/v1/lorawan/chirpstack?event=up', chirpStack())).statusCode, 401);
    assert.equal((await post('/api/v1/lorawan/chirpstack?event=up', chirpStack(), tokens.tts)).statusCode, 401);
    assert.equal((await post('/api/v1/lorawan/chirpstack?event=up', chirpStack(), p.auth.authorization.slice(7))).statusCode, 401);
    assert.equal((await post('/api/v1/rfid/reports', { reader: 'KE-MSA-GATE7', reads: [] }, tokens.chirpstack)).statusCode, 401);
  });

  test('ChirpStack up event: stored unverified once durable; other events are ignored', async () => {
    const r = await post('/api/v1/lorawan/chirpstack?event=up', chirpStack(), tokens.chirpstack);
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json().results, [{ device: DEV_EUI, seq: null, status: 'accepted' }]);
    const [o] = await observations(DEV_EUI);
    assert.deepEqual(
      [o.trust, o.protocol, o.seal, o.position],
      ['unverified', 'lorawan', { state: 'open', rope: 'cut', lock: 'locked' }, { lat: -1.2921, lon: 36.8219, source: 'gnss' }],
    );
    const join = await post('/api/v1/lorawan/chirpstack?event=join', { deviceInfo: { devEui: DEV_EUI } }, tokens.chirpstack);
    assert.deepEqual([join.statusCode, join.json()], [200, { ignored: true, event: 'join' }]);
  });

  test('The Things Stack uplink is stored; a TTS body on the ChirpStack endpoint and an unknown DevEUI are quarantined', async () => {
    const r = await post('/api/v1/lorawan/tts', tts(), tokens.tts);
    assert.deepEqual(r.json().results, [{ device: '70B3D57ED0000ABC', seq: null, status: 'accepted' }]);
    const wrong = (await post('/api/v1/lorawan/chirpstack', tts(), tokens.chirpstack)).json().results[0];
    assert.equal(wrong.status, 'rejected');
    assert.match(wrong.detail, /unknown_format: a tts uplink posted to the chirpstack endpoint/);
    const unknown = (await post('/api/v1/lorawan/chirpstack', chirpStack('AABBCCDDEEFF0011'), tokens.chirpstack)).json().results[0];
    assert.deepEqual([unknown.status, unknown.reason], ['rejected', 'unknown_device']);
    assert.equal((await quarantined('AABBCCDDEEFF0011'))[0].transport, 'http:chirpstack');
  });

  test('revoking a token refuses its next request', async () => {
    const created = (await admin('/api/v1/integrations', { kind: 'tts', name: 'short-lived' })).json();
    assert.equal((await post('/api/v1/lorawan/tts', tts(), created.token)).statusCode, 200);
    const revoked = await admin(`/api/v1/integrations/${created.integration.id}/revoke`, {});
    assert.equal(revoked.statusCode, 200, revoked.body);
    assert.ok(revoked.json().revokedAt);
    assert.equal((await post('/api/v1/lorawan/tts', tts(), created.token)).statusCode, 401);
    assert.equal((await admin('/api/v1/integrations/nope/revoke', {})).statusCode, 404);
  });

  test('RFID reads are placed at the registered reader with its band, each keeping its GS1 identity', async () => {
    const report = {
      time: new Date().toISOString(),
      location: { lat: 1, lon: 1 },
      reads: [{ epc: '3074257BF7194E4000001A85', rssi: -61, frequencyMHz: 866.9 }],
    };
    const r = await post('/api/v1/rfid/readers/KE-MSA-GATE7/reports', report, tokens.rfid);
    assert.deepEqual(r.json().results, [{ device: 'KE-MSA-GATE7', seq: null, status: 'accepted' }]);
    const [o] = await observations('KE-MSA-GATE7');
    assert.deepEqual(o.position, { lat: -4.0435, lon: 39.6682, accuracy: 5, source: 'reader' });
    assert.deepEqual(o.attributes.reportedLocation, { lat: 1, lon: 1 });
    assert.deepEqual(
      [o.reads[0].band, o.reads[0].inBand, o.reads[0].gs1.pureIdentityUri],
      ['ETSI', true, 'urn:epc:id:sgtin:0614141.812345.6789'],
    );
  });

  test('an Impinj stream posted as application/x-ndjson becomes one reader observation with every read, its bytes kept as received', async () => {
    const time = new Date().toISOString();
    const event = (epcHex: string, antennaPort: number) =>
      JSON.stringify({
        timestamp: time,
        hostname: 'KE-MSA-GATE7',
        eventType: 'tagInventory',
        tagInventoryEvent: { epcHex, antennaPort, peakRssiCdbm: -6100, lastSeenTime: time },
      });
    const body = `${event('3074257BF7194E4000001A85', 1)}\n${event('3074257BF7194E4000001A86', 2)}\n`;
    const r = await p.http.inject({
      method: 'POST',
      url: '/api/v1/rfid/reports',
      headers: { authorization: `Bearer ${tokens.rfid}`, 'content-type': 'application/x-ndjson' },
      payload: body,
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json().results, [{ device: 'KE-MSA-GATE7', seq: null, status: 'accepted' }]);
    const [o] = await observations('KE-MSA-GATE7');
    assert.deepEqual(
      o.reads.map((x: { epc: string; rssi: number }) => [x.epc, x.rssi]),
      [
        ['3074257bf7194e4000001a85', -61],
        ['3074257bf7194e4000001a86', -61],
      ],
    );
    assert.equal(o.attributes.format, 'impinj');
    const stored = await p.ctx.store.observations.get(o.id);
    assert.equal(Buffer.from(stored!.raw, 'base64').toString('utf8'), body);
  });

  test('a report naming another reader than its URL, or an unreadable one, is quarantined with the reason', async () => {
    const other = (await post('/api/v1/rfid/readers/KE-MSA-GATE7/reports', { reader: 'ELSEWHERE', reads: [] }, tokens.rfid)).json()
      .results[0];
    assert.equal(other.status, 'rejected');
    assert.match(other.detail, /reader_mismatch/);
    const bad = (await post('/api/v1/rfid/reports', { reader: 'KE-MSA-GATE7', reads: [{ epc: 'not hex' }] }, tokens.rfid)).json()
      .results[0];
    assert.deepEqual([bad.status, bad.reason], ['rejected', 'malformed_frame']);
    assert.match(bad.detail, /invalid_epc/);
    const q = await p.http.inject({ method: 'GET', url: '/api/v1/quarantine?reason=malformed_frame', headers: p.auth });
    assert.ok(
      q.json().items.some((e: { transport: string; detail: string }) => e.transport === 'http:rfid' && /invalid_epc/.test(e.detail)),
    );
  });

  test('an uplink on another FPort with the payload the network server decoded is stored through the field mapping, radio metadata kept; the DevEUI matches its lower-case registration', async () => {
    const up = {
      ...chirpStack('0004A30B001C0530'),
      fPort: 1,
      data: 'AQID',
      object: {
        latitude: -1.2921,
        longitude: 36.8219,
        battery: 76,
        temperature: 21.5,
        door: 'open',
        tamper: true,
        iccid: '89882280666134274509',
      },
    };
    const r = (await post('/api/v1/lorawan/chirpstack?event=up', up, tokens.chirpstack)).json().results[0];
    assert.equal(r.status, 'accepted', JSON.stringify(r));
    const [o] = await observations('0004a30b001c0530');
    assert.deepEqual(o.position, { lat: -1.2921, lon: 36.8219, source: 'gnss' });
    assert.deepEqual([o.battery, o.sensors, o.door, o.seal], [{ level: 76 }, { temperature: 21.5 }, 'open', { state: 'tampered' }]);
    assert.equal(o.attributes.decoded.iccid, '89882280666134274509');
    assert.deepEqual(o.attributes.gateways, [{ id: '0016c001f153a14c', rssi: -97, snr: 7.5 }]);
  });

  test('a ChirpStack location event is stored as the network-solved position (cell, with its accuracy) of the device it names; a configured location stores nothing', async () => {
    const location = (source: string) => ({
      deduplicationId: '5b2e2c5e-7d2f-4b55-9b8e-2f0f4c1b8a11',
      time: new Date().toISOString(),
      deviceInfo: { tenantId: 't', applicationId: 'a', deviceName: 'seal-lr-7', devEui: '0004A30B001C0530' },
      location: { latitude: -1.3, longitude: 36.9, altitude: 1661, source, accuracy: 120 },
    });
    const r = await post('/api/v1/lorawan/chirpstack?event=location', location('GEO_RESOLVER_TDOA'), tokens.chirpstack);
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json().results, [{ device: '0004a30b001c0530', seq: null, status: 'accepted' }]);
    const solved = (await observations('0004a30b001c0530')).find(
      (o: { attributes: { event?: string } }) => o.attributes.event === 'location',
    );
    assert.deepEqual(solved.position, { lat: -1.3, lon: 36.9, source: 'cell', accuracy: 120 });
    assert.equal(solved.attributes.networkSolved, true);
    const config = await post('/api/v1/lorawan/chirpstack?event=location', location('CONFIG'), tokens.chirpstack);
    assert.deepEqual([config.statusCode, config.json().results], [200, []]);
  });

  test('an uplink of a registered DevEUI that nobody decoded (another FPort, no codec on the network server) is stored as a radio-only observation of that device, its payload kept as sent', async () => {
    const r = (await post('/api/v1/lorawan/chirpstack?event=up', { ...chirpStack(), fPort: 1, fCnt: 77 }, tokens.chirpstack)).json()
      .results[0];
    assert.deepEqual([r.status, r.device], ['accepted', DEV_EUI]);
    const stored = (await observations(DEV_EUI)).find((o: { attributes: { fCnt?: number } }) => o.attributes.fCnt === 77);
    assert.ok(stored, 'the radio-only uplink is among the device observations');
    assert.deepEqual([stored.position, stored.seal, stored.attributes.fPort, stored.attributes.undecoded.bytes > 0], [null, null, 1, true]);
    assert.ok(!(await quarantined(DEV_EUI)).some((q: { detail: string }) => /FPort 1/.test(q.detail)));
    const lower = { ...chirpStack('0004A30B001C0530'), fPort: 3, fCnt: 78 };
    assert.equal((await post('/api/v1/lorawan/chirpstack?event=up', lower, tokens.chirpstack)).json().results[0].status, 'accepted');
    assert.ok((await observations('0004a30b001c0530')).some((o: { attributes: { fPort?: number } }) => o.attributes.fPort === 3));
  });

  test('a TTS uplink without f_port but with decoded_payload is stored; Basic auth carries the token; a join accept is answered and ignored', async () => {
    const basic = `Basic ${Buffer.from(`sealwatch:${tokens.tts}`).toString('base64')}`;
    const up = tts();
    const { f_port: _port, frm_payload: _payload, ...rest } = up.uplink_message;
    const body = { ...up, uplink_message: { ...rest, decoded_payload: { battery: 64, door_open: false } } };
    const r = await p.http.inject({ method: 'POST', url: '/api/v1/lorawan/tts', headers: { authorization: basic }, payload: body });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().results[0].status, 'accepted', r.body);
    const latest = (await observations('70B3D57ED0000ABC')).find((o: { attributes: { decoded?: unknown } }) => o.attributes.decoded);
    assert.deepEqual([latest.battery, latest.door, latest.attributes.positionUnknown], [{ level: 64 }, 'closed', true]);
    const join = await p.http.inject({
      method: 'POST',
      url: '/api/v1/lorawan/tts',
      headers: { authorization: basic },
      payload: { end_device_ids: { dev_eui: '70B3D57ED0000ABC' }, join_accept: { session_key_id: 'AXA50...' } },
    });
    assert.deepEqual(join.json(), { ignored: true, event: 'join_accept' });
    const wrong = `Basic ${Buffer.from(`sealwatch:${tokens.chirpstack}`).toString('base64')}`;
    assert.equal(
      (await p.http.inject({ method: 'POST', url: '/api/v1/lorawan/tts', headers: { authorization: wrong }, payload: body })).statusCode,
      401,
    );
  });

  test('an empty Impinj batch ([] each linger period) is answered with no results and nothing quarantined', async () => {
    const before = (await p.http.inject({ method: 'GET', url: '/api/v1/quarantine?reason=malformed_frame', headers: p.auth })).json().items
      .length;
    const r = await post('/api/v1/rfid/readers/KE-MSA-GATE7/reports', [], tokens.rfid);
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json(), { results: [] });
    const after = (await p.http.inject({ method: 'GET', url: '/api/v1/quarantine?reason=malformed_frame', headers: p.auth })).json().items
      .length;
    assert.equal(after, before);
  });
});
