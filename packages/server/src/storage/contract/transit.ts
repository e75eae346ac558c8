/**
 * The storage contract of the TransitStore (part of `runStoreContract`): a movement's findings
 * come back whole and in order, a replace swaps them all at once, movements do not mix.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asDeviceId, asMovementId, toTimestamp, type NewObservation, type Timestamp } from '@sealwatch/core';
import type { Store } from '../ports';
import type { StoredTransitFinding } from '../transit-ports';

const t0 = Date.UTC(2026, 10, 26, 3, 0, 0);
const at = (minutes: number): Timestamp => toTimestamp(t0 + minutes * 60_000);

const deviation: StoredTransitFinding = {
  kind: 'episode',
  type: 'route_deviation',
  subject: '',
  device: null,
  start: at(10),
  end: null,
  details: { maxDistanceM: 5123.5, confirmedAt: at(15), points: [{ lat: -3.9, lon: 39.45 }] },
};
const silence: StoredTransitFinding = {
  kind: 'episode',
  type: 'signal_lost',
  subject: 'SEAL-A',
  device: 'SEAL-A',
  start: at(20),
  end: at(95),
  details: { gapS: 4500 },
};
const border: StoredTransitFinding = {
  kind: 'fact',
  type: 'border_crossed',
  subject: '',
  device: null,
  start: at(60),
  end: null,
  details: { from: 'KE', to: 'UG' },
};

/** Registers the transit store tests; `withStore` gives each a fresh store. */
export function transitStoreContract(withStore: (fn: (s: Store) => Promise<void>) => () => Promise<void>): void {
  describe('transit findings', () => {
    test(
      'a movement never evaluated has none; a saved evaluation comes back whole, in order',
      withStore(async (s) => {
        const m = asMovementId('MOV-T1');
        assert.equal(await s.transit.get(m), null);
        await s.transit.replace({ movement: m, evaluatedAt: at(100), findings: [deviation, silence, border] });
        assert.deepEqual(await s.transit.get(m), { movement: m, evaluatedAt: at(100), findings: [deviation, silence, border] });
      }),
    );

    test(
      'replace swaps every finding of that movement only, and may leave none',
      withStore(async (s) => {
        const [a, b] = [asMovementId('MOV-T1'), asMovementId('MOV-T2')];
        await s.transit.replace({ movement: a, evaluatedAt: at(100), findings: [deviation, silence] });
        await s.transit.replace({ movement: b, evaluatedAt: at(100), findings: [border] });
        const ended = { ...deviation, end: at(30) };
        await s.transit.replace({ movement: a, evaluatedAt: at(130), findings: [ended] });
        assert.deepEqual(await s.transit.get(a), { movement: a, evaluatedAt: at(130), findings: [ended] });
        assert.deepEqual((await s.transit.get(b))?.findings, [border]);
        await s.transit.replace({ movement: a, evaluatedAt: at(160), findings: [] });
        assert.deepEqual(await s.transit.get(a), { movement: a, evaluatedAt: at(160), findings: [] });
      }),
    );

    test(
      "listTagReads finds the reader reports naming an EPC (any case) in the window, by time; not other devices' reads",
      withStore(async (s) => {
        const device = (id: string, kind: 'reader' | 'e_lock') => ({
          id: asDeviceId(id),
          class: 'active' as const,
          kind,
          protocol: 'native',
          identifiers: {},
          reportIntervalS: null,
          key: null,
          owner: null,
          createdAt: at(0),
        });
        await s.devices.create(device('RDR-1', 'reader'));
        await s.devices.create(device('RDR-2', 'reader'));
        await s.devices.create(device('LOCK-1', 'e_lock'));
        const obs = (dev: string, seq: number, minutes: number, epcs: string[]): NewObservation => ({
          device: asDeviceId(dev),
          seq,
          time: at(minutes),
          receivedAt: at(minutes),
          late: false,
          position: { lat: -4, lon: 39.6, source: 'reader' },
          seal: null,
          door: null,
          sensors: null,
          battery: null,
          reads: epcs.length ? epcs.map((epc) => ({ epc, time: at(minutes) })) : null,
          attributes: null,
          trust: 'signed',
          protocol: 'native',
          hash: `h${dev}${seq}`,
          raw: 'r',
        });
        await s.observations.append([
          obs('RDR-2', 1, 30, ['3074257BF7194E4000001A85']),
          obs('RDR-1', 1, 10, ['3074257bf7194e4000001a85', 'aaaa0000']),
          obs('RDR-1', 2, 20, ['bbbb0000']),
          obs('RDR-1', 3, 90, ['3074257bf7194e4000001a85']),
          obs('LOCK-1', 1, 15, ['3074257bf7194e4000001a85']),
          obs('RDR-2', 2, 40, []),
        ]);
        const found = await s.observations.listTagReads(['3074257bf7194e4000001A85'], { from: at(0), to: at(60) }, 100);
        assert.deepEqual(
          found.map((o) => [o.device, o.seq]),
          [
            ['RDR-1', 1],
            ['RDR-2', 1],
          ],
        );
        assert.deepEqual(await s.observations.listTagReads([], { from: at(0), to: at(60) }, 100), []);
      }),
    );
  });
}
