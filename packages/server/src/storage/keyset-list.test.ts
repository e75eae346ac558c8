import assert from 'node:assert/strict';
import test from 'node:test';
import { keysetPage, keysetSql } from './keyset-list';
import { encodeCursor } from './cursor';
import { alertList, observationList } from './lists';
import type { DeviceId } from '@sealwatch/core';

test('a list binds its filters, scope and cursor in one order on both dialects', () => {
  const list = alertList({ status: 'open', visibleTo: { trader: 'T1' } });
  const sqlite: unknown[] = [];
  const postgres: unknown[] = [];
  const a = keysetSql(list, ['2026-01-01T00:00:00.000Z', 'a9'], 51, (v) => (sqlite.push(v), '?'), false);
  const b = keysetSql(list, ['2026-01-01T00:00:00.000Z', 'a9'], 51, (v) => `$${postgres.push(v)}`, true);
  assert.equal(
    a,
    'SELECT * FROM alerts WHERE status = ? AND movement IN (SELECT id FROM movements WHERE trader = ?) AND (updated_at, id) < (?, ?) ORDER BY updated_at DESC, id DESC LIMIT ?',
  );
  assert.match(b, /\(updated_at, id\) < \(\$3::timestamptz, \$4\) ORDER BY updated_at DESC, id DESC LIMIT \$5$/);
  assert.deepEqual(sqlite, ['open', 'T1', '2026-01-01T00:00:00.000Z', 'a9', 51]);
  assert.deepEqual(postgres, sqlite);
});

test('an ascending list pages forward, and an undefined filter adds no condition', () => {
  const params: unknown[] = [];
  const sql = keysetSql(
    observationList('D1' as DeviceId, { order: 'asc', to: '2026-02-01T00:00:00.000Z' as never }),
    null,
    11,
    (v) => (params.push(v), '?'),
    false,
  );
  assert.equal(sql, 'SELECT * FROM observations WHERE device = ? AND time <= ? ORDER BY time, id LIMIT ?');
  assert.deepEqual(params, ['D1', '2026-02-01T00:00:00.000Z', 11]);
});

test('a page fetches one row more than asked and points its cursor at the last item returned', async () => {
  const rows = [{ k: 'c' }, { k: 'b' }, { k: 'a' }];
  const list = { select: 'SELECT * FROM t', sortKey: [{ column: 'k', type: 'string' as const }], descending: true };
  let seen: unknown[] = [];
  const engine = { dialect: 'sqlite' as const, run: (_sql: string, values: unknown[]) => ((seen = values), rows) };
  const page = await keysetPage(
    list,
    { limit: 2, cursor: null },
    engine,
    (r: { k: string }) => r.k,
    (k) => [k],
  );
  assert.deepEqual(page, { items: ['c', 'b'], nextCursor: encodeCursor(['b']) });
  assert.deepEqual(seen, [3]);
  await assert.rejects(
    keysetPage(list, { limit: 2, cursor: encodeCursor([1]) }, engine, String, (k) => [k]),
    /invalid cursor/,
  );
});
