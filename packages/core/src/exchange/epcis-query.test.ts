import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readNamedQuery } from './epcis-query';

test('a named query reads into the parameters GET /epcis/events answers, @context accepted and not filtering', () => {
  const r = readNamedQuery({
    '@context': [{ ex: 'https://x.example/' }],
    eventType: ['ObjectEvent'],
    EQ_disposition: ['container_open'],
    GE_eventTime: '2026-12-01T00:00:00Z',
  });
  assert.deepEqual(r, {
    ok: true,
    query: { eventType: ['ObjectEvent'], EQ_disposition: ['container_open'], GE_eventTime: '2026-12-01T00:00:00Z' },
  });
});

test('every parameter not answered here, and every ill-typed one, is named: none is ignored', () => {
  const r = readNamedQuery({ EQ_action: ['ADD'], MATCH_epc: [], LT_recordTime: 'yesterday', EQ_bizStep: ['shipping'] });
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.errors.map((e) => e.path), ['query.EQ_action', 'query.MATCH_epc', 'query.LT_recordTime']);
});
