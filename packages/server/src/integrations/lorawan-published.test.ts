/**
 * The published example messages of ChirpStack v4 and The Things Stack v3 (protocols'
 * lorawan/published-examples.ts) posted to the integration endpoints of a platform configured with
 * LoRaWAN device profiles (SEALWATCH_LORAWAN_PROFILES): what each stores, and under which device.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chirpStackLocationExample,
  chirpStackStatusExample,
  chirpStackUpExample,
  ttsJoinExample,
  ttsLocationSolvedExample,
  ttsUplinkExample,
} from '@sealwatch/protocols/lorawan/published-examples';
import { ConfigError, loadConfig } from '../config/config';
import { startTestPlatform } from '../testing/test-platform';

const profiles = {
  profiles: [
    {
      match: ['Test device-profile'],
      fields: {
        latitude: ['gps.lat'],
        longitude: ['gps.lng'],
        batteryLevel: ['bat'],
        door: [{ path: 'door', open: ['OPEN'] }],
        tamper: [{ path: 'alarm', tampered: ['TAMPER'] }],
      },
    },
    { match: ['the-things-products/the-things-uno'], fields: { temperature: ['temperature'], batteryLevel: ['luminosity'] } },
  ],
};

describe('published LoRaWAN network-server examples through the endpoints, with device profiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-lorawan-'));
  const file = join(dir, 'profiles.json');
  writeFileSync(file, JSON.stringify(profiles));
  let p: Awaited<ReturnType<typeof startTestPlatform>>;
  const tokens: Record<string, string> = {};
  const post = (url: string, payload: unknown, token: string) =>
    p.http.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload: payload as object });
  const admin = (url: string, payload: unknown) => p.http.inject({ method: 'POST', url, headers: p.auth, payload: payload as object });
  const get = async (url: string) => (await p.http.inject({ method: 'GET', url, headers: p.auth })).json().items;

  before(async () => {
    p = await startTestPlatform({ SEALWATCH_LORAWAN_PROFILES: file });
    for (const kind of ['chirpstack', 'tts']) tokens[kind] = (await admin('/api/v1/integrations', { kind, name: kind })).json().token;
    for (const id of ['0101010101010101', '0004a30b001c0530'])
      assert.equal((await admin('/api/v1/devices', { id, class: 'active', kind: 'e_seal', protocol: 'lorawan' })).statusCode, 201);
  });
  after(async () => {
    await p.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test("ChirpStack's `up` example (FPort 1, nothing decoded) is stored as its device's radio-only observation; with its profile's decoded object it is stored through that profile", async () => {
    const raw = await post('/api/v1/lorawan/chirpstack?event=up', chirpStackUpExample, tokens.chirpstack);
    assert.equal(raw.statusCode, 200, raw.body);
    assert.deepEqual([raw.json().results[0].status, raw.json().results[0].device], ['accepted', '0101010101010101']);
    const [radio] = await get('/api/v1/devices/0101010101010101/observations');
    assert.deepEqual(
      [radio.position, radio.attributes.undecoded, radio.attributes.gateways],
      [null, { payload: 'qg==', bytes: 1 }, [{ id: '0016c001f153a14c', rssi: -36, snr: 10.5 }]],
    );
    const object = { gps: { lat: 37.3442, lng: -8.8394 }, bat: 81, door: 'OPEN', alarm: 'TAMPER' };
    const r = await post('/api/v1/lorawan/chirpstack?event=up', { ...chirpStackUpExample, object }, tokens.chirpstack);
    assert.equal(r.json().results[0].status, 'accepted', r.body);
    const [o] = await get('/api/v1/devices/0101010101010101/observations');
    assert.deepEqual(
      [o.position, o.battery, o.door, o.seal],
      [{ lat: 37.3442, lon: -8.8394, source: 'gnss' }, { level: 81 }, 'open', { state: 'tampered' }],
    );
    assert.deepEqual(
      [o.attributes.profile, o.attributes.gateways],
      ['Test device-profile', [{ id: '0016c001f153a14c', rssi: -36, snr: 10.5 }]],
    );
  });

  test("ChirpStack's `location` example is stored as a network-solved position of the weakest kind", async () => {
    const r = await post('/api/v1/lorawan/chirpstack?event=location', chirpStackLocationExample, tokens.chirpstack);
    assert.equal(r.json().results[0].status, 'accepted', r.body);
    const solved = (await get('/api/v1/devices/0101010101010101/observations')).find(
      (o: { attributes: { event?: string } }) => o.attributes.event === 'location',
    );
    assert.deepEqual(solved.position, { lat: 37.344214, lon: -8.839375, source: 'cell' });
    assert.equal(solved.attributes.networkSolved, true);
  });

  test("ChirpStack's `status` example is stored as the device's battery level, with the link margin", async () => {
    const r = await post('/api/v1/lorawan/chirpstack?event=status', chirpStackStatusExample, tokens.chirpstack);
    assert.equal(r.json().results[0].status, 'accepted', r.body);
    const s = (await get('/api/v1/devices/0101010101010101/observations')).find(
      (o: { attributes: { event?: string } }) => o.attributes.event === 'status',
    );
    assert.deepEqual([s.battery, s.attributes.margin], [{ level: 88.3 }, 10]);
  });

  test("TTS's uplink example is stored through the Device Repository model's profile; its join example is ignored; a location_solved is a network-solved position", async () => {
    const up = await post('/api/v1/lorawan/tts', ttsUplinkExample, tokens.tts);
    assert.equal(up.json().results[0].status, 'accepted', up.body);
    assert.equal(up.json().results[0].device, '0004a30b001c0530');
    const [o] = await get('/api/v1/devices/0004a30b001c0530/observations');
    assert.deepEqual([o.sensors, o.battery, o.position], [{ temperature: 1 }, { level: 0.64 }, null]);
    assert.equal(o.attributes.profile, 'the-things-products/the-things-uno');
    assert.deepEqual((await post('/api/v1/lorawan/tts', ttsJoinExample, tokens.tts)).json(), { ignored: true, event: 'join_accept' });
    const solved = await post('/api/v1/lorawan/tts', ttsLocationSolvedExample, tokens.tts);
    assert.equal(solved.json().results[0].status, 'accepted', solved.body);
    const s = (await get('/api/v1/devices/0004a30b001c0530/observations')).find(
      (x: { attributes: { event?: string } }) => x.attributes.event === 'location_solved',
    );
    assert.deepEqual(s.position, { lat: 37.9715, lon: 23.7267, source: 'cell', accuracy: 150 });
  });
});

test('a profile file that does not parse or fit the schema stops the start with its reasons', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-lorawan-'));
  try {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ profiles: [{ match: ['x'], fields: { latitude: ['lat'], colour: ['c'] } }] }));
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{');
    for (const f of [bad, notJson, join(dir, 'missing.json')])
      assert.throws(
        () => loadConfig({ SEALWATCH_LORAWAN_PROFILES: f }),
        (e: unknown) => e instanceof ConfigError && /SEALWATCH_LORAWAN_PROFILES/.test(e.message),
      );
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(profiles));
    assert.equal(loadConfig({ SEALWATCH_LORAWAN_PROFILES: good }).lorawanProfiles?.profiles.length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
