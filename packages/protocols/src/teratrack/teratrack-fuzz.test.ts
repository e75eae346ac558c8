/** Fuzz: mutated golden and built frames, and random bytes, never make the decoder or the splitter throw. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTeraTrackFrame, type TeraTrackRejectReason } from './teratrack';
import { TeraTrackFrameSplitter } from './teratrack-frames';
import { buildSubLock, buildTeraTrackFrame, teraTrackGoldenBytes } from './golden-frames';
import { seededMutations } from '../test-chunking';

const REASONS: TeraTrackRejectReason[] = [
  'not_json',
  'not_object',
  'bad_device_id',
  'bad_time',
  'bad_position',
  'bad_number',
  'bad_flag',
  'bad_sub_lock',
];

test('fuzz: 50,000 mutated frames never throw; every result is a decode with sane values or a known reason', () => {
  const seeds = [
    teraTrackGoldenBytes('sealed'),
    teraTrackGoldenBytes('tampered'),
    buildTeraTrackFrame({ Slave: [buildSubLock('1'), buildSubLock('2', { SLockOpen: '1' })] }),
  ];
  // Bytes that keep a mutation inside the JSON grammar often enough to reach the field checks.
  const alphabet = Buffer.from('0123456789-.:"{}[], ');
  const seen = new Map<string, number>();
  let decoded = 0;
  for (const frame of seededMutations(seeds, 50_000, 5239, alphabet, 0.7)) {
    const d = decodeTeraTrackFrame(frame);
    if (d.result.ok) {
      decoded++;
      for (const o of d.result.observations) {
        assert.match(o.identifier, /^\d+$/);
        assert.ok(o.time && !Number.isNaN(Date.parse(o.time)));
        if (o.position) assert.ok(Math.abs(o.position.lat) <= 90 && Math.abs(o.position.lon) <= 180);
        if (o.battery?.level !== undefined) assert.ok(o.battery.level >= 0 && o.battery.level <= 100);
      }
    } else {
      assert.ok(REASONS.includes(d.result.reason), d.result.reason);
      assert.ok(d.result.detail.length > 0);
      assert.equal(d.reply, null);
      seen.set(d.result.reason, (seen.get(d.result.reason) ?? 0) + 1);
    }
    new TeraTrackFrameSplitter().push(frame);
  }
  assert.ok(decoded > 1000, `decoded ${decoded}`);
  for (const r of ['not_json', 'bad_device_id', 'bad_time', 'bad_position', 'bad_number', 'bad_flag'])
    assert.ok((seen.get(r) ?? 0) > 0, `reason ${r} was reached`);
});

test('fuzz: random byte streams and arbitrary JSON values through the splitter and the decoder never throw', () => {
  let seed = 91;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < 2000; i++) {
    const bytes = Buffer.from(
      Array.from({ length: Math.floor(rand() * 300) }, () => (rand() < 0.2 ? 0x7b : rand() < 0.2 ? 0x7d : Math.floor(rand() * 256))),
    );
    for (const f of new TeraTrackFrameSplitter().push(bytes)) if (f.kind === 'json') decodeTeraTrackFrame(f.bytes);
  }
  const values = [null, 1, 'x', [], {}, [{}], true, -1e309, '1e400', { SDeviceId: {} }];
  for (const key of ['IMEI', 'DateTime', 'Latitude', 'Power', 'LockRope', 'Slave', 'MessageAck']) {
    for (const v of values) {
      const d = decodeTeraTrackFrame(buildTeraTrackFrame({ [key]: v }));
      if (!d.result.ok) assert.ok(REASONS.includes(d.result.reason));
    }
  }
});
