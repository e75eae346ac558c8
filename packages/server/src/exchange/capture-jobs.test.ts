/**
 * EPCIS capture jobs are durable: the Location a capture answered still answers after the
 * platform restarts on the same data (a real SQLite file, closed and opened again).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPlatform } from '../testing/test-platform';

test('the capture job at the Location of a capture is still there after a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sealwatch-capture-'));
  const doc = {
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-12-01T10:00:00Z',
    epcisBody: {
      eventList: [
        {
          type: 'ObjectEvent',
          eventTime: '2026-12-01T10:00:00Z',
          eventTimeZoneOffset: '+03:00',
          action: 'OBSERVE',
          epcList: ['urn:epc:id:sgtin:0614141.107346.2017'],
          bizStep: 'shipping',
        },
      ],
    },
  };
  let p = await startTestPlatform({}, { dir });
  try {
    const r = await p.http.inject({ method: 'POST', url: '/epcis/capture', headers: p.auth, payload: doc });
    assert.equal(r.statusCode, 202, r.body);
    const location = r.headers.location as string;
    const before = await p.http.inject({ method: 'GET', url: location, headers: p.auth });
    assert.equal(before.statusCode, 200);
    await p.stop();
    p = await startTestPlatform({}, { dir });
    const after = await p.http.inject({ method: 'GET', url: location, headers: p.auth });
    assert.equal(after.statusCode, 200, after.body);
    assert.deepEqual(after.json(), before.json());
    assert.deepEqual(after.json().summary, { events: 1, observations: 0, duplicates: 0, refused: 0, ignored: 1 });
    assert.equal((await p.http.inject({ method: 'GET', url: '/epcis/capture/no-such-job', headers: p.auth })).statusCode, 404);
  } finally {
    await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
