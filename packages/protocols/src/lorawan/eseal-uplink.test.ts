/** ChirpStack v4 and The Things Stack v3 uplinks carrying the e-seal payload → observations; how position is chosen; refusals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLorawanUplink } from './eseal-uplink';
import { parseUplink } from './uplink';

const EXAMPLE = 'AQkDVwcyBv8611gV8pN4AaQ='; // 01090357073206FF3AD75815F2937801A4, docs/lorawan-codec.md
const HEARTBEAT = 'AQAAWwAHAQ=='; // 0100005B000701, no position

const chirpStack = (data: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    deduplicationId: '3ac7e3c4-4401-4b8d-9386-a5c902f9202d',
    time: '2026-11-26T03:22:52.120Z',
    deviceInfo: {
      tenantId: 't',
      applicationId: 'a',
      deviceProfileName: 'sealwatch-eseal',
      deviceName: 'seal-000123',
      devEui: '0102030405060708',
    },
    devAddr: '00189440',
    adr: true,
    dr: 5,
    fCnt: 42,
    fPort: 10,
    confirmed: false,
    data,
    rxInfo: [{ gatewayId: '0016c001f153a14c', uplinkId: 4217, rssi: -97, snr: 7.5, location: { latitude: -1.3, longitude: 36.8 } }],
    txInfo: { frequency: 868100000, modulation: { lora: { bandwidth: 125000, spreadingFactor: 7, codeRate: 'CR_4_5' } } },
    ...extra,
  });

const tts = (frm: string, locations?: Record<string, unknown>) =>
  JSON.stringify({
    end_device_ids: {
      device_id: 'seal-000124',
      application_ids: { application_id: 'customs' },
      dev_eui: '70b3d57ed0000abc',
      dev_addr: '260B1234',
    },
    correlation_ids: ['as:up:01H'],
    received_at: '2026-11-26T03:22:53.500Z',
    uplink_message: {
      session_key_id: 'AXBSH1Pk6Z0G166',
      f_port: 10,
      f_cnt: 7,
      frm_payload: frm,
      rx_metadata: [
        {
          gateway_ids: { gateway_id: 'gw-namanga', eui: '0016C001F153A14D' },
          rssi: -110,
          channel_rssi: -110,
          snr: -4.25,
          location: { latitude: -2.54, longitude: 36.79, source: 'SOURCE_REGISTRY' },
        },
      ],
      settings: { data_rate: { lora: { bandwidth: 125000, spreading_factor: 9 } }, frequency: '868300000' },
      received_at: '2026-11-26T03:22:53.480Z',
      ...(locations ? { locations } : {}),
    },
  });

const one = (body: string) => {
  const r = decodeLorawanUplink(body);
  assert.ok(r.ok, r.ok ? '' : `${r.reason}: ${r.detail}`);
  return r.observations[0];
};

test('ChirpStack v4 up event: seal state, battery, temperature and the payload GNSS position', () => {
  assert.deepEqual(one(chirpStack(EXAMPLE)), {
    identifier: '0102030405060708',
    time: '2026-11-26T03:22:52.120Z',
    position: { lat: -1.2921, lon: 36.8219, source: 'gnss' },
    seal: { state: 'open', rope: 'cut', lock: 'locked' },
    door: 'closed',
    sensors: { temperature: 4.2 },
    battery: { level: 87 },
    reads: null,
    attributes: {
      network: 'chirpstack',
      seq: 1842,
      fCnt: 42,
      events: ['opened', 'rope_cut'],
      deviceName: 'seal-000123',
      frequencyHz: 868100000,
      gateways: [{ id: '0016c001f153a14c', rssi: -97, snr: 7.5, location: { lat: -1.3, lon: 36.8 } }],
    },
  });
});

test('without a payload position the position is unknown: the gateway location is never used', () => {
  const o = one(chirpStack(HEARTBEAT));
  assert.equal(o.position, null);
  assert.equal(o.attributes!.positionUnknown, true);
  const t = one(tts(HEARTBEAT));
  assert.equal(t.position, null);
  assert.equal(t.attributes!.positionUnknown, true);
});

test('The Things Stack uplink: DevEUI upper-cased, network receive time, string frequency', () => {
  const o = one(tts(EXAMPLE));
  assert.equal(o.identifier, '70B3D57ED0000ABC');
  assert.equal(o.time, '2026-11-26T03:22:53.480Z');
  assert.deepEqual(o.position, { lat: -1.2921, lon: 36.8219, source: 'gnss' });
  assert.equal(o.attributes!.frequencyHz, 868300000);
  assert.deepEqual(o.attributes!.gateways, [{ id: 'gw-namanga', rssi: -110, snr: -4.25, location: { lat: -2.54, lon: 36.79 } }]);
});

test('a TTS location solved for the device (TDOA) is used as a cell-like position; user and registry locations are not', () => {
  const solved = one(
    tts(HEARTBEAT, { 'lora-tdoa': { latitude: -2.0, longitude: 36.5, accuracy: 150, source: 'SOURCE_LORA_TDOA_GEOLOCATION' } }),
  );
  assert.deepEqual(solved.position, { lat: -2, lon: 36.5, accuracy: 150, source: 'cell' });
  assert.equal(solved.attributes!.positionUnknown, undefined);
  const user = one(tts(HEARTBEAT, { user: { latitude: -2.0, longitude: 36.5, source: 'SOURCE_REGISTRY' } }));
  assert.equal(user.position, null);
  // A GNSS fix in the payload wins over a network solution.
  assert.equal(
    one(tts(EXAMPLE, { 'lora-tdoa': { latitude: -2, longitude: 36.5, source: 'SOURCE_LORA_TDOA_GEOLOCATION' } })).position!.source,
    'gnss',
  );
});

test('absent default-valued members mean 0, as both servers omit them', () => {
  const body = JSON.parse(chirpStack(HEARTBEAT));
  delete body.fCnt;
  const r = parseUplink(JSON.stringify(body));
  assert.ok(r.ok);
  assert.equal(r.uplink.fCnt, 0);
});

test('refusals name their reason', () => {
  const reason = (body: string, fPort?: number) => {
    const r = decodeLorawanUplink(body, fPort === undefined ? {} : { fPort });
    return r.ok ? 'ok' : r.reason;
  };
  assert.equal(reason('nope'), 'not_json');
  assert.equal(reason('[1]'), 'unknown_format');
  assert.equal(reason('{"devEUI":"0202020202020202"}'), 'unknown_format'); // ChirpStack v3 JSON
  assert.equal(reason(chirpStack(EXAMPLE, { deviceInfo: { devEui: 'xyz' } })), 'invalid_uplink');
  assert.equal(reason(chirpStack('***')), 'invalid_uplink');
  assert.equal(reason(chirpStack(EXAMPLE, { time: 'now' })), 'invalid_time');
  assert.equal(reason(chirpStack(EXAMPLE, { fPort: 2 }), 2), 'ok');
  assert.equal(reason(chirpStack('')), 'bad_length');
  assert.equal(reason(chirpStack('AgAAWwAHAQ==')), 'unsupported_version');
  assert.equal(reason(JSON.stringify({ end_device_ids: { dev_eui: '70B3D57ED0000ABC' } })), 'invalid_uplink');
});

test('an uplink nobody decoded (another FPort, or FPort 0 with MAC commands only) is kept as a radio-only observation with its payload as sent', () => {
  for (const fPort of [2, undefined]) {
    const r = decodeLorawanUplink(chirpStack(EXAMPLE, { fPort }));
    assert.ok(r.ok, JSON.stringify(r));
    const [o] = r.observations;
    assert.equal(o.seal, null);
    assert.equal(o.position, null);
    assert.deepEqual(o.attributes?.undecoded, { payload: EXAMPLE, bytes: Buffer.from(EXAMPLE, 'base64').length });
    assert.equal(o.attributes?.fPort, fPort ?? 0);
    assert.equal(o.attributes?.positionUnknown, true);
  }
});

test('fuzz: random JSON-ish bodies never throw', () => {
  let seed = 9;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pieces = [
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '"deviceInfo"',
    '"devEui"',
    '"0102030405060708"',
    '"data"',
    `"${EXAMPLE}"`,
    '"fPort"',
    '10',
    '"end_device_ids"',
    '"dev_eui"',
    '"uplink_message"',
    '"frm_payload"',
    '"f_port"',
    '"time"',
    'null',
    '"x"',
  ];
  for (let i = 0; i < 20_000; i++) {
    const body = Array.from({ length: Math.floor(rand() * 30) }, () => pieces[Math.floor(rand() * pieces.length)]).join('');
    const r = decodeLorawanUplink(body);
    if (!r.ok) assert.ok(r.reason && r.detail);
  }
});
