/** Registering a test fleet and checking afterwards that storage and alerts match what was acknowledged. */
import assert from 'node:assert/strict';
import { FleetLoad, isTamper, type FleetDevice } from './load';
import { buildMovementBody, malabaOffice, mombasaOffice } from '../src/testing/test-platform';

export const TOKEN = 'crash-test-admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function api(url: string, method: string, path: string, body?: unknown) {
  const r = await fetch(url + path, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

export async function register(url: string, fleet: FleetDevice[]): Promise<Map<string, string>> {
  for (const o of [mombasaOffice, malabaOffice]) await api(url, 'POST', '/api/v1/offices', o);
  const movementOf = new Map<string, string>();
  for (const d of fleet) {
    await api(url, 'POST', '/api/v1/devices', { id: d.id, class: 'active', kind: 'e_seal', protocol: 'native', key: d.key.registration });
    const m = await api(url, 'POST', '/api/v1/movements', buildMovementBody({ devices: [d.id] }));
    await api(url, 'POST', `/api/v1/movements/${m.id}/start`, { time: new Date(Date.now() - 60_000).toISOString() });
    movementOf.set(d.id, m.id);
  }
  return movementOf;
}

export async function storedSeqs(url: string, device: string): Promise<number[]> {
  const seqs: number[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { seq: number }[]; nextCursor: string | null } = await api(
      url,
      'GET',
      `/api/v1/devices/${device}/observations?limit=1000&order=asc${cursor ? `&cursor=${cursor}` : ''}`,
    );
    seqs.push(...page.items.map((o) => o.seq));
    cursor = page.nextCursor;
  } while (cursor);
  return seqs;
}

/** Waits until the processors have caught up, then checks storage and detector state. */
export async function verify(url: string, load: FleetLoad, movementOf: Map<string, string>): Promise<void> {
  let total = 0;
  for (const [device, acked] of load.acked) {
    // In cluster mode processors store asynchronously: wait for them to catch up (bounded).
    let seqs = await storedSeqs(url, device);
    for (const end = Date.now() + 60_000; seqs.length < acked.size && Date.now() < end; seqs = await storedSeqs(url, device))
      await sleep(250);
    assert.equal(new Set(seqs).size, seqs.length, `${device}: a message stored twice`);
    assert.deepEqual(
      [...seqs].sort((a, b) => a - b),
      [...acked].sort((a, b) => a - b),
      `${device}: stored ≠ acknowledged`,
    );
    total += seqs.length;
    const tampers = seqs.filter(isTamper).length;
    const movement = movementOf.get(device)!;
    const end = Date.now() + 60_000;
    let count = -1;
    while (Date.now() < end) {
      const alerts = await api(url, 'GET', `/api/v1/alerts?movement=${movement}&type=seal_tampered`);
      count = alerts.items.length === 1 ? alerts.items[0].count : alerts.items.length === 0 ? 0 : -alerts.items.length;
      if (count === tampers) break;
      await sleep(250);
    }
    assert.equal(count, tampers, `${device}: seal_tampered occurrences`);
  }
  assert.ok(total > 200, `enough load went through (${total})`);
}
