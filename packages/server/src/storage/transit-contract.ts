/**
 * The storage contract of the TransitStore (part of `runStoreContract`): a movement's findings
 * come back whole and in order, a replace swaps them all at once, movements do not mix.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asMovementId, toTimestamp, type Timestamp } from '@sealwatch/core';
import type { Store } from './ports';
import type { StoredTransitFinding } from './transit-ports';

const t0 = Date.UTC(2026, 10, 26, 3, 0, 0);
const at = (minutes: number): Timestamp => toTimestamp(t0 + minutes * 60_000);

const deviation: StoredTransitFinding = {
  kind: 'episode', type: 'route_deviation', subject: '', device: null, start: at(10), end: null,
  details: { maxDistanceM: 5123.5, confirmedAt: at(15), points: [{ lat: -3.9, lon: 39.45 }] },
};
const silence: StoredTransitFinding = { kind: 'episode', type: 'signal_lost', subject: 'SEAL-A', device: 'SEAL-A', start: at(20), end: at(95), details: { gapS: 4500 } };
const border: StoredTransitFinding = { kind: 'fact', type: 'border_crossed', subject: '', device: null, start: at(60), end: null, details: { from: 'KE', to: 'UG' } };

/** Registers the transit store tests; `withStore` gives each a fresh store. */
export function transitStoreContract(withStore: (fn: (s: Store) => Promise<void>) => () => Promise<void>): void {
  describe('transit findings', () => {
    test('a movement never evaluated has none; a saved evaluation comes back whole, in order', withStore(async (s) => {
      const m = asMovementId('MOV-T1');
      assert.equal(await s.transit.get(m), null);
      await s.transit.replace({ movement: m, evaluatedAt: at(100), findings: [deviation, silence, border] });
      assert.deepEqual(await s.transit.get(m), { movement: m, evaluatedAt: at(100), findings: [deviation, silence, border] });
    }));

    test('replace swaps every finding of that movement only, and may leave none', withStore(async (s) => {
      const [a, b] = [asMovementId('MOV-T1'), asMovementId('MOV-T2')];
      await s.transit.replace({ movement: a, evaluatedAt: at(100), findings: [deviation, silence] });
      await s.transit.replace({ movement: b, evaluatedAt: at(100), findings: [border] });
      const ended = { ...deviation, end: at(30) };
      await s.transit.replace({ movement: a, evaluatedAt: at(130), findings: [ended] });
      assert.deepEqual(await s.transit.get(a), { movement: a, evaluatedAt: at(130), findings: [ended] });
      assert.deepEqual((await s.transit.get(b))?.findings, [border]);
      await s.transit.replace({ movement: a, evaluatedAt: at(160), findings: [] });
      assert.deepEqual(await s.transit.get(a), { movement: a, evaluatedAt: at(160), findings: [] });
    }));
  });
}
