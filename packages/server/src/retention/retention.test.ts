import { test } from 'node:test';
import assert from 'node:assert/strict';
import { retentionCutoffs, RetentionService } from './retention.service';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../storage/sqlite/sqlite-store';
import { asDeviceId, toTimestamp } from '@sealwatch/core';

test('cut-offs: days before now, none for a class kept forever', () => {
  const now = Date.parse('2026-11-26T00:00:00Z');
  assert.deepEqual(retentionCutoffs({ observationsDays: 30, quarantineDays: 0 }, now), {
    observations: '2026-10-27T00:00:00.000Z',
    quarantine: null,
  });
});

test('a run removes old observations and quarantine entries from the real store and keeps recent ones', async () => {
  // The service names the two stores it uses: a real SQLite store is enough, no platform.
  const dir = mkdtempSync(join(tmpdir(), 'sealwatch-retention-'));
  const store = await openSqliteStore({ file: join(dir, 'sealwatch.db') });
  try {
    const now = Date.parse('2026-11-26T00:00:00Z');
    const obs = (days: number, seq: number) => {
      const t = toTimestamp(now - days * 86_400_000);
      return {
        device: asDeviceId('R-1'),
        seq,
        time: t,
        receivedAt: t,
        late: false,
        position: null,
        seal: null,
        door: null,
        sensors: null,
        battery: null,
        reads: null,
        attributes: null,
        trust: 'signed' as const,
        protocol: 'native',
        hash: `h${seq}`,
        raw: 'x',
      };
    };
    await store.observations.append([obs(100, 1), obs(40, 2), obs(5, 3)]);
    await store.quarantine.add(
      [100, 5].map((d) => ({
        receivedAt: toTimestamp(now - d * 86_400_000),
        transport: 'http',
        remote: null,
        reason: 'bad_signature' as const,
        detail: 'x',
        device: null,
        seq: null,
        raw: 'eA==',
      })),
    );
    const svc = new RetentionService({
      store,
      policy: { observationsDays: 30, quarantineDays: 90 },
      now: () => now,
      log: { info: () => undefined, warn: () => undefined },
    });
    const r = await svc.run();
    assert.equal(r.observations, 2);
    assert.equal(r.quarantine, 1);
    const left = await store.observations.listByDevice(asDeviceId('R-1'), {}, { limit: 10 });
    assert.deepEqual(
      left.items.map((o) => o.seq),
      [3],
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
