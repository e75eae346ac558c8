/** Reader reports: the generic form, Impinj and Zebra JSON, band checks, each refusal reason, and a fuzz test. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeReaderReport, type ReaderTagRead } from './reader-report';
import { findUhfBand, isInBand, toMHz } from './uhf-bands';

const one = (body: unknown, options?: Parameters<typeof decodeReaderReport>[1]) => {
  const r = decodeReaderReport(typeof body === 'string' ? body : JSON.stringify(body), options);
  assert.ok(r.ok, r.ok ? '' : `${r.reason}: ${r.detail}`);
  assert.equal(r.observations.length, 1);
  return r.observations[0];
};
const reason = (body: unknown, options?: Parameters<typeof decodeReaderReport>[1]) => {
  const r = decodeReaderReport(typeof body === 'string' ? body : JSON.stringify(body), options);
  return r.ok ? 'ok' : r.reason;
};

const gate = {
  reader: 'KE-MSA-GATE7-R1',
  time: '2026-11-26T03:22:52.120Z',
  location: { lat: -4.0435, lon: 39.6682, accuracy: 5 },
  band: 'ETSI',
  reads: [
    {
      epc: '3074257BF7194E4000001A85',
      tid: 'E2801160200074CF0E4A0A06',
      rssi: -61,
      antenna: 2,
      time: '2026-11-26T03:22:51.990Z',
      frequencyMHz: 866.9,
    },
    { epc: 'E2003411B802011820000D4E', rssi: -70.5 },
  ],
};

test('generic report: one observation for the reader, placed at the reader, reads with GS1 identity and band', () => {
  const o = one(gate);
  assert.equal(o.identifier, 'KE-MSA-GATE7-R1');
  assert.equal(o.time, '2026-11-26T03:22:52.120Z');
  assert.deepEqual(o.position, { lat: -4.0435, lon: 39.6682, accuracy: 5, source: 'reader' });
  assert.deepEqual(o.attributes, { format: 'generic', band: 'ETSI' });
  const [a, b] = o.reads as ReaderTagRead[];
  assert.deepEqual(a, {
    epc: '3074257bf7194e4000001a85',
    tid: 'e2801160200074cf0e4a0a06',
    rssi: -61,
    time: '2026-11-26T03:22:51.990Z',
    antenna: 2,
    frequencyMHz: 866.9,
    band: 'ETSI',
    inBand: true,
    gs1: {
      scheme: 'sgtin-96',
      pureIdentityUri: 'urn:epc:id:sgtin:0614141.812345.6789',
      tagUri: 'urn:epc:tag:sgtin-96:3.0614141.812345.6789',
      elementString: '(01)80614141123458(21)6789',
      key: { ai: '01', value: '80614141123458' },
    },
  });
  // A non-GS1 EPC is kept as read, with the reason it has no GS1 identity.
  assert.deepEqual(b, { epc: 'e2003411b802011820000d4e', rssi: -70.5, band: 'ETSI', gs1: null, epcReason: 'unknown_epc_header' });
});

test('a report without its own time takes its latest read time; registry options fill reader, band and place', () => {
  const o = one(
    {
      reads: [
        { epc: '3174257BF4499602D2000000', time: '2026-01-01T10:00:00Z' },
        { epc: '3474257BF40000000000162E', time: '2026-01-01T10:00:02.5Z' },
      ],
    },
    { reader: 'HANDHELD-9', band: 'us', location: { lat: 31.77, lon: -106.45 } },
  );
  assert.equal(o.identifier, 'HANDHELD-9');
  assert.equal(o.time, '2026-01-01T10:00:02.500Z');
  assert.deepEqual(o.position, { lat: 31.77, lon: -106.45, source: 'reader' });
  assert.deepEqual(
    (o.reads as ReaderTagRead[]).map((r) => [r.band, r.gs1?.pureIdentityUri]),
    [
      ['FCC', 'urn:epc:id:sscc:0614141.1234567890'],
      ['FCC', 'urn:epc:id:giai:0614141.5678'],
    ],
  );
});

test("a registered band and location win over the report's own, and the differing claims are kept", () => {
  const o = one(gate, { registered: { band: 'FCC', location: { lat: -4.05, lon: 39.67 } } });
  assert.deepEqual(o.position, { lat: -4.05, lon: 39.67, source: 'reader' });
  assert.deepEqual(o.attributes, { format: 'generic', reportedBand: 'ETSI', reportedLocation: gate.location, band: 'FCC', outOfBand: 1 });
  const [a] = o.reads as ReaderTagRead[];
  assert.equal(a.band, 'FCC');
  assert.equal(a.inBand, false);
  // The same claim as the registry adds nothing.
  assert.deepEqual(one(gate, { registered: { band: 'ETSI', location: gate.location } }).attributes, { format: 'generic', band: 'ETSI' });
});

test('a read outside the reader band is kept and flagged, or refused with strictBand', () => {
  const body = { ...gate, reads: [{ epc: '3074257BF7194E4000001A85', frequencyMHz: 915.25 }] };
  const o = one(body);
  assert.equal((o.reads as ReaderTagRead[])[0].inBand, false);
  assert.equal(o.attributes!.outOfBand, 1);
  assert.equal(reason(body, { strictBand: true }), 'frequency_out_of_band');
  assert.equal(reason({ ...body, band: 'JP' }, { strictBand: true }), 'frequency_out_of_band');
  assert.equal((one({ ...body, band: 'FCC' }, { strictBand: true }).reads as ReaderTagRead[])[0].inBand, true);
});

test('Impinj IoT device interface events: base64 or hex EPC, centi-dBm RSSI, grouped by hostname, status events counted', () => {
  const events = [
    {
      timestamp: '2026-05-27T14:32:01.000000Z',
      hostname: 'impinj-14-46-36',
      eventType: 'tagInventory',
      tagInventoryEvent: {
        epcHex: '3374257BF40C0E400000162E',
        tidHex: 'E28011606000020497CB0065',
        antennaPort: 1,
        peakRssiCdbm: -5325,
        lastSeenTime: '2026-05-27T14:32:01.123456Z',
      },
    },
    {
      timestamp: '2026-05-27T14:32:02Z',
      hostname: 'impinj-14-46-36',
      eventType: 'tagInventory',
      tagInventoryEvent: { epc: 'MHQle/cZTkAAABqF', antennaPort: 2, peakRssiCdbm: -4100, frequency: 866900 },
    },
    {
      timestamp: '2026-05-27T14:32:03Z',
      hostname: 'impinj-14-46-36',
      eventType: 'antennaConnected',
      antennaConnectedEvent: { antennaPort: 3 },
    },
  ];
  const o = one(events, { band: 'ETSI', location: { lat: 50.1, lon: 8.6 } });
  assert.equal(o.identifier, 'impinj-14-46-36');
  assert.equal(o.time, '2026-05-27T14:32:02.000Z');
  assert.deepEqual(o.attributes, { format: 'impinj', ignoredEvents: 1, band: 'ETSI' });
  const [a, b] = o.reads as ReaderTagRead[];
  assert.equal(a.gs1?.pureIdentityUri, 'urn:epc:id:grai:0614141.12345.5678');
  assert.equal(a.rssi, -53.25);
  assert.equal(a.time, '2026-05-27T14:32:01.123Z');
  assert.equal(a.tid, 'e28011606000020497cb0065');
  assert.equal(b.epc, '3074257bf7194e4000001a85'); // from base64
  assert.equal(b.frequencyMHz, 866.9); // kHz → MHz
  assert.equal(b.inBand, true);
  // The same events as a newline-delimited stream.
  assert.deepEqual(one(events.map((e) => JSON.stringify(e)).join('\n'), { band: 'ETSI', location: { lat: 50.1, lon: 8.6 } }), o);
});

test('Impinj events without hostname need the reader id from the endpoint; two hostnames give two observations', () => {
  const ev = (host?: string) => ({
    timestamp: '2026-05-27T14:32:01Z',
    ...(host ? { hostname: host } : {}),
    eventType: 'tagInventory',
    tagInventoryEvent: { epcHex: '3074257BF7194E4000001A85' },
  });
  assert.equal(reason([ev()]), 'missing_reader');
  assert.equal(one([ev()], { reader: 'R700-A' }).identifier, 'R700-A');
  const r = decodeReaderReport(JSON.stringify([ev('a'), ev('b'), ev('a')]));
  assert.ok(r.ok);
  assert.deepEqual(
    r.observations.map((o) => [o.identifier, o.reads!.length]),
    [
      ['a', 2],
      ['b', 1],
    ],
  );
});

test('Zebra SIMPLE events', () => {
  const o = one(
    [
      {
        data: { eventNum: 1, format: 'epc', idHex: '3174257bf4499602d2000000', antenna: 1, peakRssi: -56, reads: 3 },
        timestamp: '2026-05-27T14:32:01.000+0000',
        type: 'SIMPLE',
      },
    ],
    { reader: 'FX9600-Dock3' },
  );
  assert.equal(o.identifier, 'FX9600-Dock3');
  assert.deepEqual(
    (o.reads as ReaderTagRead[]).map((r) => [r.gs1?.elementString, r.rssi, r.antenna]),
    [['(00)106141412345678908', -56, 1]],
  );
});

test('refusals name their reason', () => {
  assert.equal(reason('{'), 'not_json');
  assert.equal(reason({ reader: 'r' }), 'invalid_report');
  assert.equal(reason({ reader: 'r', reads: [{ epc: 7 }] }), 'invalid_report');
  assert.equal(reason({ reads: [] }), 'missing_reader');
  assert.equal(reason({ reader: 'r', reads: [{ epc: 'not-hex!' }] }), 'invalid_epc');
  assert.equal(reason({ reader: 'r', reads: [{ epc: '3074', tid: 'xyz' }] }), 'invalid_epc');
  assert.equal(reason({ reader: 'r', reads: [{ epc: '3074', time: 'yesterday' }] }), 'invalid_time');
  assert.equal(reason({ reader: 'r', time: '26/11/2026', reads: [] }), 'invalid_time');
  assert.equal(reason({ reader: 'r', band: 'MARS', reads: [] }), 'unknown_band');
  assert.equal(reason({ reader: 'r', location: { lat: 91, lon: 0 }, reads: [] }), 'invalid_report');
  assert.equal(reason([{ eventType: 'tagInventory', hostname: 'h', tagInventoryEvent: { antennaPort: 1 } }]), 'invalid_report');
});

test('band profiles: aliases, ranges and frequency units', () => {
  assert.equal(findUhfBand('eu')?.id, 'ETSI');
  assert.equal(findUhfBand('AU')?.id, 'AU_NZ');
  assert.equal(findUhfBand('nowhere'), undefined);
  assert.equal(isInBand(findUhfBand('CN')!, 922.625), true);
  assert.equal(isInBand(findUhfBand('CN')!, 915), false);
  assert.equal(isInBand(findUhfBand('JP')!, 916.8), true);
  assert.equal(isInBand(findUhfBand('ETSI')!, 902.75), false);
  assert.deepEqual([toMHz(866_900_000), toMHz(866_900), toMHz(866.9), toMHz(433.92), toMHz(-1)], [866.9, 866.9, 866.9, null, null]);
});

test('fuzz: random bodies never throw; failures carry a reason', () => {
  let seed = 11;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pieces = [
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '"reader"',
    '"reads"',
    '"epc"',
    '"3074257BF7194E4000001A85"',
    '"band"',
    '"ETSI"',
    '"frequencyMHz"',
    '915',
    '"time"',
    '"2026-01-01T00:00:00Z"',
    '"tagInventoryEvent"',
    '"eventType"',
    '"tagInventory"',
    '"epcHex"',
    '"data"',
    '"idHex"',
    'null',
    '1',
    '-3',
    '"x"',
    '\n',
  ];
  for (let i = 0; i < 20_000; i++) {
    const body = Array.from({ length: Math.floor(rand() * 30) }, () => pieces[Math.floor(rand() * pieces.length)]).join('');
    const r = decodeReaderReport(body, rand() < 0.5 ? { reader: 'R', band: 'FCC', strictBand: rand() < 0.5 } : {});
    if (!r.ok) assert.ok(r.reason.length > 0 && r.detail.length > 0);
    else for (const o of r.observations) assert.ok(o.identifier && Array.isArray(o.reads));
  }
});

test("vendor fields are kept: Zebra's channel and upper-case TID, Impinj's pc, phase and transmit power; an empty Impinj batch stores nothing and refuses nothing", () => {
  const zebra = decodeReaderReport(
    JSON.stringify({
      timestamp: '2026-11-26T08:00:00.000Z',
      type: 'SIMPLE',
      data: { idHex: '3034257BF400B7800004CB2F', TID: 'E2801160200074CF085609C5', antenna: 2, peakRssi: -52, channel: 865.7, eventNum: 17 },
    }),
    { reader: 'GATE-Z' },
  );
  assert.ok(zebra.ok, zebra.ok ? '' : zebra.detail);
  const [zr] = zebra.observations[0].reads as unknown as Record<string, unknown>[];
  assert.equal(zr.tid, 'e2801160200074cf085609c5');
  assert.equal(zr.frequencyMHz, 865.7);
  assert.deepEqual(zr.vendor, { channel: 865.7, eventNum: 17, TID: 'E2801160200074CF085609C5' });
  const impinj = decodeReaderReport(
    JSON.stringify({
      timestamp: '2026-11-26T08:00:00.000Z',
      hostname: 'impinj-14-2d-25',
      eventType: 'tagInventory',
      tagInventoryEvent: {
        epcHex: '3034257BF400B7800004CB2F',
        antennaPort: 1,
        peakRssiCdbm: -5400,
        pc: '3000',
        phaseAngle: 31.64,
        transmitPowerCdbm: 3000,
      },
    }),
    {},
  );
  assert.ok(impinj.ok, impinj.ok ? '' : impinj.detail);
  const [ir] = impinj.observations[0].reads as unknown as Record<string, unknown>[];
  assert.deepEqual(ir.vendor, { pc: '3000', phaseAngle: 31.64, transmitPowerCdbm: 3000, peakRssiCdbm: -5400 });
  assert.deepEqual(decodeReaderReport('[]', { reader: 'impinj-14-2d-25' }), { ok: true, observations: [] });
});

test("Impinj R700 `epc` in the URL-safe base64 alphabet (a reader's capture with epcHex beside it) reads as the same EPC; the antenna's name is kept", () => {
  // The capture's three events, with epcHex dropped so only the base64 form is read (as with epcHex off, the reader's default).
  const events = [
    ['2021-02-02T22:18:35.658476625Z', '4oARYGAAAgpmgfI_', 'E28011606000020A6681F23F', '2021-02-02T22:18:35.499734Z'],
    ['2021-02-02T22:18:35.908535Z', '4oARYGAAAgpmhG1A', 'E28011606000020A66846D40', '2021-02-02T22:18:35.858088Z'],
    ['2021-02-02T22:18:35.908760625Z', 'MTYwMjAwMDEgICAg', '313630323030303120202020', '2021-02-02T22:18:35.887319Z'],
  ];
  const body = events.map(([timestamp, epc, , lastSeenTime]) => ({
    timestamp,
    eventType: 'tagInventory',
    tagInventoryEvent: { epc, antennaPort: 1, antennaName: 'Portal1', lastSeenTime },
  }));
  const o = one(body, { reader: 'R700-PORTAL1' });
  const reads = o.reads as ReaderTagRead[];
  assert.deepEqual(
    reads.map((r) => r.epc),
    events.map(([, , hex]) => hex.toLowerCase()),
  );
  assert.deepEqual((reads[0] as unknown as { vendor: unknown }).vendor, { antennaName: 'Portal1' });
  assert.equal(reads[0].time, '2021-02-02T22:18:35.499Z');
  // A text mixing both alphabets is no EPC.
  const mixed = decodeReaderReport(
    JSON.stringify([{ eventType: 'tagInventory', hostname: 'h', tagInventoryEvent: { epc: '4oAR+GAAAgpmgfI_' } }]),
  );
  assert.equal(mixed.ok ? 'ok' : mixed.reason, 'invalid_report');
});
