/**
 * The admission step on its own, with in-memory fakes for the ingest log and the quarantine (no
 * platform, no database): the answers, quarantine rows, audit entries, security events and counts
 * one request produces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceId, NewAuditEntry, NewObservation, NewQuarantineEntry } from '@sealwatch/core';
import type { AppendOutcome } from '../storage/ports';
import type { ForgedMessage } from '../processing/forged-messages';
import { Admission, refused, type Checked, type Reading, type SeqConflict } from './admission';

const NOW = Date.parse('2026-11-26T03:30:00.000Z');
const ctx = { transport: 'http', remote: '192.0.2.7' };

/** An ingest log that keeps rows by (device, seq) or (device, time, hash), as the stores decide. */
class MemoryLog {
  readonly rows: NewObservation[] = [];
  pendingRows = 0;
  /** Like the cluster's JetStream log: admission writes one entry per accepted message. */
  readonly auditsAppends = false;
  async append(batch: NewObservation[]): Promise<AppendOutcome[]> {
    return batch.map((r) => {
      const same = this.rows.findIndex(
        (o) => o.device === r.device && (r.seq === null ? o.seq === null && o.time === r.time && o.hash === r.hash : o.seq === r.seq),
      );
      if (same < 0) return { status: 'inserted', id: this.rows.push(r) };
      return this.rows[same].hash === r.hash
        ? { status: 'duplicate', id: same + 1 }
        : { status: 'conflict', existingHash: this.rows[same].hash };
    });
  }
}

function setup() {
  const log = new MemoryLog();
  const quarantined: NewQuarantineEntry[] = [];
  const audit: NewAuditEntry[] = [];
  const counts: string[] = [];
  const conflicts: SeqConflict[] = [];
  const forged: ForgedMessage[] = [];
  const admission = new Admission({
    log,
    quarantine: { add: async (entries) => entries.map((e) => quarantined.push(e)) },
    rules: { maxClockSkewMs: 300_000, lateAfterMs: 120_000 },
    count: (status, reason) => counts.push(reason ? `${status}:${reason}` : status),
    audit: async (entries) => void audit.push(...entries),
    onSeqConflict: async (c) => void conflicts.push(c),
    onForged: async (f) => void forged.push(f),
  });
  return { admission, log, quarantined, audit, counts, conflicts, forged };
}

function reading(over: Partial<Reading> = {}): Checked {
  const r: Reading = {
    device: 'SEAL-1' as DeviceId,
    seq: 1,
    time: '2026-11-26T03:29:30.000Z',
    position: null,
    seal: null,
    door: null,
    sensors: null,
    battery: null,
    reads: null,
    attributes: null,
    trust: 'signed',
    protocol: 'native',
    hash: 'h1',
    raw: 'raw-1',
    ...over,
  };
  return { kind: 'reading', reading: r, evidence: Buffer.from(r.raw) };
}

test('one answer per message, in order: accepted, late, clock skew, refused; refusals quarantined with their bytes and audited after the accepted ones', async () => {
  const s = setup();
  const results = await s.admission.admit(
    [
      reading(),
      reading({ seq: 2, time: '2026-11-26T03:00:00.000Z', hash: 'h2', raw: 'raw-2' }),
      reading({ seq: 3, time: '2026-11-26T03:40:00.000Z', hash: 'h3', raw: 'raw-3' }),
      refused('SEAL-1', null, 'bad_signature', 'signature does not verify', Buffer.from('forged')),
      refused(null, null, 'malformed_jws', 'not a JWS', Buffer.from('junk')),
    ],
    NOW,
    ctx,
  );

  assert.deepEqual(
    results.map((r) => [r.status, r.reason ?? null]),
    [
      ['accepted', null],
      ['accepted', null],
      ['rejected', 'clock_skew'],
      ['rejected', 'bad_signature'],
      ['rejected', 'malformed_jws'],
    ],
  );
  assert.equal(results[2].detail, 'time 2026-11-26T03:40:00.000Z is more than 300 s ahead of the server clock');
  assert.deepEqual(
    s.log.rows.map((r) => [r.seq, r.late, r.receivedAt]),
    [
      [1, false, '2026-11-26T03:30:00.000Z'],
      [2, true, '2026-11-26T03:30:00.000Z'],
    ],
  );
  assert.deepEqual(
    s.quarantined.map((q) => [q.reason, q.device, q.seq, Buffer.from(q.raw, 'base64').toString(), q.transport, q.remote]),
    [
      ['clock_skew', 'SEAL-1', 3, 'raw-3', 'http', '192.0.2.7'],
      ['bad_signature', 'SEAL-1', null, 'forged', 'http', '192.0.2.7'],
      ['malformed_jws', null, null, 'junk', 'http', '192.0.2.7'],
    ],
  );
  assert.deepEqual(
    s.audit.map((a) => a.action),
    ['accepted', 'accepted', 'rejected:clock_skew', 'rejected:bad_signature', 'rejected:malformed_jws'],
  );
  assert.deepEqual(
    s.audit.slice(2).map((a) => a.ref),
    ['quarantine:1', 'quarantine:2', 'quarantine:3'],
  );
  assert.deepEqual(s.forged, [{ device: 'SEAL-1', reason: 'bad_signature', seq: null, quarantineId: 2, remote: '192.0.2.7' }]);
  assert.deepEqual(s.counts, ['accepted', 'accepted', 'rejected:clock_skew', 'rejected:bad_signature', 'rejected:malformed_jws']);
});

test('a resend is a duplicate (stored once, audited again); other content under a known seq is refused as seq_conflict and reported', async () => {
  const s = setup();
  await s.admission.admit([reading()], NOW, ctx);
  const results = await s.admission.admit([reading(), reading({ hash: 'other', raw: 'raw-other' })], NOW, ctx);

  assert.deepEqual(
    results.map((r) => [r.status, r.reason ?? null]),
    [
      ['duplicate', null],
      ['rejected', 'seq_conflict'],
    ],
  );
  assert.equal(results[1].detail, 'seq 1 was already received with different content');
  assert.equal(s.log.rows.length, 1);
  assert.deepEqual(s.conflicts, [{ device: 'SEAL-1', seq: 1, existingHash: 'h1', hash: 'other', time: '2026-11-26T03:29:30.000Z' }]);
  assert.deepEqual(
    s.quarantined.map((q) => [q.reason, Buffer.from(q.raw, 'base64').toString()]),
    [['seq_conflict', 'raw-other']],
  );
  assert.deepEqual(
    s.audit.map((a) => a.action),
    ['accepted', 'accepted', 'rejected:seq_conflict'],
  );
  assert.deepEqual(s.forged, []);
});

test('a reading without a time of its own gets the receipt time and says so', async () => {
  const s = setup();
  const [r] = await s.admission.admit(
    [reading({ seq: null, time: null, trust: 'unverified', protocol: 'osmand', attributes: { serial: 4 } })],
    NOW,
    ctx,
  );

  assert.equal(r.status, 'accepted');
  assert.equal(s.log.rows[0].time, '2026-11-26T03:30:00.000Z');
  assert.deepEqual(s.log.rows[0].attributes, { serial: 4, timeFromServer: true });
  assert.equal(s.log.rows[0].late, false);
});
