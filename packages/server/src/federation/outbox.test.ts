/**
 * The outbox when several processes send it (a cluster's processors each run a sending round):
 * every message goes out once, and a movement's messages still go in order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toTimestamp } from '@sealwatch/core';
import { openSqliteStore } from '../storage/sqlite/sqlite-store';
import type { Partner } from '../storage/federation-ports';
import { FederationOutbox } from './outbox';

test('two processes sending one outbox at once post each message once, in order per movement', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sealwatch-outbox-'));
  const store = await openSqliteStore({ file: join(dir, 'sealwatch.db') });
  try {
    const now = Date.parse('2026-12-07T01:00:00Z');
    const partner: Partner = {
      administration: 'URA',
      name: 'URA customs',
      country: 'UG',
      url: 'http://127.0.0.1:1',
      inbox: 'http://127.0.0.1:1/api/v1/federation/inbox',
      agreement: { fields: ['position'], positionsInside: 'partner_territory', retentionDays: 30 },
      retention: {},
      keys: [],
      pendingKeys: null,
      createdAt: toTimestamp(now),
      updatedAt: toTimestamp(now),
      endedAt: null,
      lastExchangeAt: null,
    };
    await store.federation.putPartner(partner);
    const posted: string[] = [];
    // The partner answers slowly, so both rounds read the same pending rows before either finishes.
    const slowPartner = async (_url: unknown, init?: RequestInit) => {
      await new Promise((r) => setTimeout(r, 20));
      const payload = JSON.parse(Buffer.from(String(init?.body).split('.')[1], 'base64url').toString('utf8'));
      posted.push(payload.id);
      return new Response(null, { status: 202 });
    };
    const process = () =>
      new FederationOutbox({
        store,
        audit: { record: async () => undefined },
        administration: 'KRA',
        key: async () => ({ keyId: 'k1', publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'x' }, sign: () => 'sig' }),
        now: () => now,
        fetch: slowPartner as typeof fetch,
      });
    const [a, b] = [process(), process()];
    for (const [id, movement] of [
      ['p1', 'm1'],
      ['p2', 'm2'],
      ['p3', 'm1'],
      ['p4', 'm1'],
    ])
      await a.send(partner, 'position', id, movement, { time: toTimestamp(now) });

    const rounds = await Promise.all([a.deliver(), b.deliver(), a.deliver(), b.deliver()]);
    assert.equal(
      rounds.reduce((n, r) => n + r.delivered, 0),
      4,
    );
    assert.deepEqual([...posted].sort(), ['p1', 'p2', 'p3', 'p4'], 'each once');
    assert.ok(posted.indexOf('p1') < posted.indexOf('p3') && posted.indexOf('p3') < posted.indexOf('p4'), `m1 in order: ${posted}`);
    assert.deepEqual(await store.federation.backlog(), {});
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
