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
  assert.deepEqual(retentionCutoffs({ observationsDays: 30, quarantineDays: 0, captureJobsDays: 7 }, now), {
    observations: '2026-10-27T00:00:00.000Z',
    quarantine: null,
    captureJobs: '2026-11-19T00:00:00.000Z',
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
      policy: { observationsDays: 30, quarantineDays: 90, captureJobsDays: 0 },
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

test('a run purges the EPCIS capture jobs that finished more than the configured days ago, and keeps the others', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sealwatch-retention-'));
  const store = await openSqliteStore({ file: join(dir, 'sealwatch.db') });
  try {
    const now = Date.parse('2026-11-26T00:00:00Z');
    const job = (id: string, finishedDaysAgo: number) => {
      const t = new Date(now - finishedDaysAgo * 86_400_000).toISOString();
      return {
        captureID: id,
        createdAt: t,
        finishedAt: t,
        running: false,
        success: true,
        captureErrorBehaviour: 'proceed' as const,
        errors: [],
        summary: { events: 1, observations: 1, duplicates: 0, refused: 0, ignored: 0 },
        owner: 'user:acme',
      };
    };
    await store.captureJobs.save(job('forty-days', 40));
    await store.captureJobs.save(job('two-days', 2));
    const run = (captureJobsDays: number) =>
      new RetentionService({
        store,
        policy: { observationsDays: 0, quarantineDays: 0, captureJobsDays },
        now: () => now,
        log: { info: () => undefined, warn: () => undefined },
      }).run();
    // 0 keeps them forever.
    assert.equal((await run(0)).captureJobs, 0);
    const r = await run(30);
    assert.equal(r.captureJobs, 1);
    assert.equal(r.captureJobsBefore, '2026-10-27T00:00:00.000Z');
    assert.equal(await store.captureJobs.get('forty-days'), null);
    assert.equal((await store.captureJobs.get('two-days'))?.captureID, 'two-days');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
