/** Fuzz: mutated golden and built frames, and random bytes, never make the decoder or the splitter throw. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEsealFrame, type EsealRejectReason } from './eseal';
import { EsealFrameSplitter } from './eseal-frames';
import { buildEsealReport, esealGoldenBytes } from './golden-frames';
import { seededMutations } from '../test-chunking';

const REASONS: EsealRejectReason[] = [
  'not_eseal_frame',
  'bad_device_id',
  'bad_field_count',
  'unsupported_type',
  'bad_number',
  'bad_time',
  'bad_position',
];

test('fuzz: 100,000 mutated frames never throw; every result is a decode with sane values or a known reason', () => {
  const seeds = [
    esealGoldenBytes('normal', true),
    esealGoldenBytes('startup', true),
    esealGoldenBytes('startupOk', true),
    esealGoldenBytes('commandAck', true),
    buildEsealReport({ type: 'Event-Lock' }),
    buildEsealReport({ type: 'Event-RC-Unlock', door: 'Open' }),
  ];
  // Bytes that keep a mutated frame close to the grammar, so the deep checks are reached too.
  const alphabet = Buffer.from(',0123456789.-:NSEWAV #');
  const seen = new Map<string, number>();
  let decoded = 0;
  for (const frame of seededMutations(seeds, 100_000, 5169, alphabet)) {
    const d = decodeEsealFrame(frame);
    if (d.result.ok) {
      decoded++;
      for (const o of d.result.observations) {
        assert.match(o.identifier, /^\d+$/);
        if (o.time) assert.ok(!Number.isNaN(Date.parse(o.time)));
        if (o.position) assert.ok(Math.abs(o.position.lat) <= 90 && Math.abs(o.position.lon) <= 180);
      }
    } else {
      assert.ok(REASONS.includes(d.result.reason), d.result.reason);
      assert.ok(d.result.detail.length > 0);
      seen.set(d.result.reason, (seen.get(d.result.reason) ?? 0) + 1);
      assert.equal(d.reply, null, 'a refused frame is never acknowledged');
    }
    new EsealFrameSplitter().push(frame);
  }
  assert.ok(decoded > 1000, `decoded ${decoded}`);
  for (const r of REASONS) assert.ok((seen.get(r) ?? 0) > 0, `reason ${r} was reached`);
});

test('fuzz: random byte streams through the splitter and the decoder never throw', () => {
  let seed = 77;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < 2000; i++) {
    const bytes = Buffer.from(
      Array.from({ length: Math.floor(rand() * 300) }, () => (rand() < 0.1 ? 0x0a : rand() < 0.2 ? 0x23 : Math.floor(rand() * 256))),
    );
    const s = new EsealFrameSplitter();
    for (const f of s.push(bytes)) if (f.kind === 'line') decodeEsealFrame(f.bytes);
  }
});
