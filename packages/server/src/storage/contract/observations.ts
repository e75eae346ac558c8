/** Storage contract, observations: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Timestamp } from '@sealwatch/core';
import { at, dev, buildObservation, allPages, ids, type WithStore } from './fixtures';

export function observationsContract(withStore: WithStore): void {
  describe('observations', () => {
    test(
      'appends an observation and reads every field back by id',
      withStore(async (s) => {
        const obs = buildObservation({
          late: true,
          trust: 'hmac',
          door: 'open',
          reads: [{ epc: '3074257bf7194e4000001a85', tid: 'e2801160200074cf0e4a0a06', rssi: -61, time: at(1) }],
          attributes: { vendor: { fw: '2.1.0', flags: [1, 0] }, note: 'ünïcode ✓' },
        });
        const [outcome] = await s.observations.append([obs]);
        assert.equal(outcome.status, 'inserted');
        const id = (outcome as { id: number }).id;
        assert.deepEqual(await s.observations.get(id), { id, ...obs });
        assert.equal(await s.observations.get(id + 1000), null);
      }),
    );

    test(
      'keeps absent members of an observation as null',
      withStore(async (s) => {
        const obs = buildObservation({
          position: null,
          seal: null,
          door: null,
          sensors: null,
          battery: null,
          trust: 'unverified',
          protocol: 'gt06',
        });
        const [outcome] = await s.observations.append([obs]);
        assert.deepEqual(await s.observations.get((outcome as { id: number }).id), { id: (outcome as { id: number }).id, ...obs });
      }),
    );

    test(
      'gives strictly increasing ids within a batch and across batches',
      withStore(async (s) => {
        const first = await s.observations.append([1, 2, 3].map((seq) => buildObservation({ seq })));
        const second = await s.observations.append([buildObservation({ seq: 4 }), buildObservation({ seq: null })]);
        const all = [...first, ...second].map((o) => {
          assert.equal(o.status, 'inserted');
          return (o as { id: number }).id;
        });
        for (let i = 1; i < all.length; i++) assert.ok(all[i] > all[i - 1], `id ${all[i]} after ${all[i - 1]}`);
      }),
    );

    test(
      'answers duplicate with the existing id for the same device, seq and hash, and stores it once',
      withStore(async (s) => {
        const [first] = await s.observations.append([buildObservation({ seq: 7 })]);
        const [again] = await s.observations.append([buildObservation({ seq: 7, receivedAt: at(9) })]);
        assert.deepEqual(again, { status: 'duplicate', id: (first as { id: number }).id });
        assert.equal(await s.observations.lastId(), (first as { id: number }).id);
        const page = await s.observations.listByDevice(dev('SEAL-A'), {}, { limit: 10 });
        assert.equal(page.items.length, 1);
        assert.equal(page.items[0].receivedAt, at(2));
      }),
    );

    test(
      'answers conflict with the stored hash for the same device and seq with another hash, and stores nothing',
      withStore(async (s) => {
        const original = buildObservation({ seq: 7, hash: 'hash-original' });
        const [first] = await s.observations.append([original]);
        const [clash] = await s.observations.append([buildObservation({ seq: 7, hash: 'hash-forged', raw: 'forged' })]);
        assert.deepEqual(clash, { status: 'conflict', existingHash: 'hash-original' });
        assert.equal(await s.observations.lastId(), (first as { id: number }).id);
        assert.equal((await s.observations.get((first as { id: number }).id))?.raw, original.raw);
      }),
    );

    test(
      'applies insert, duplicate and conflict within one batch, in input order',
      withStore(async (s) => {
        const outcomes = await s.observations.append([
          buildObservation({ seq: 1, hash: 'h1' }),
          buildObservation({ seq: 1, hash: 'h1' }),
          buildObservation({ seq: 1, hash: 'h2' }),
          buildObservation({ seq: 2, hash: 'h3' }),
        ]);
        assert.equal(outcomes[0].status, 'inserted');
        const id = (outcomes[0] as { id: number }).id;
        assert.deepEqual(outcomes.slice(1, 3), [
          { status: 'duplicate', id },
          { status: 'conflict', existingHash: 'h1' },
        ]);
        assert.equal(outcomes[3].status, 'inserted');
        assert.ok((outcomes[3] as { id: number }).id > id);
        assert.equal((await s.observations.readLog(0, 100)).length, 2);
      }),
    );

    test(
      'identifies an observation without seq by device, time and hash: a resend is a duplicate of the stored row, in a batch or later',
      withStore(async (s) => {
        const obs = buildObservation({ seq: null, hash: 'content-1', protocol: 'teltonika', trust: 'unverified' });
        const outcomes = await s.observations.append([obs, { ...obs, receivedAt: at(3), raw: 'resent' }]);
        const [again] = await s.observations.append([{ ...obs, receivedAt: at(9) }]);
        const id = (outcomes[0] as { id: number }).id;
        assert.equal(outcomes[0].status, 'inserted');
        assert.deepEqual(
          [outcomes[1], again],
          [
            { status: 'duplicate', id },
            { status: 'duplicate', id },
          ],
        );
        assert.deepEqual(await s.observations.get(id), { id, ...obs });
        assert.equal((await s.observations.readLog(0, 100)).length, 1);
      }),
    );

    test(
      'stores observations without seq that differ in device, time or hash, and never confuses them with seq rows',
      withStore(async (s) => {
        const obs = buildObservation({ seq: null, hash: 'content-1', protocol: 'teltonika', trust: 'unverified' });
        const outcomes = await s.observations.append([
          obs,
          { ...obs, device: dev('SEAL-B') },
          { ...obs, time: at(5) },
          { ...obs, hash: 'content-2' },
          buildObservation({ seq: 1, hash: 'content-1' }),
        ]);
        assert.deepEqual(
          outcomes.map((o) => o.status),
          ['inserted', 'inserted', 'inserted', 'inserted', 'inserted'],
        );
        const [seqLess] = await s.observations.append([obs]);
        assert.deepEqual(seqLess, { status: 'duplicate', id: (outcomes[0] as { id: number }).id });
      }),
    );

    test(
      'treats the same seq from another device as another message',
      withStore(async (s) => {
        const outcomes = await s.observations.append([
          buildObservation({ device: dev('SEAL-A'), seq: 5, hash: 'x' }),
          buildObservation({ device: dev('SEAL-B'), seq: 5, hash: 'y' }),
        ]);
        assert.deepEqual(
          outcomes.map((o) => o.status),
          ['inserted', 'inserted'],
        );
      }),
    );

    test(
      "lists a device's observations by time then id, descending by default or ascending, in pages of 2",
      withStore(async (s) => {
        // Arrival order differs from time order (store-and-forward); seq 4 and 5 share a time.
        const minutes = [30, 10, 40, 20, 20];
        const outcomes = await s.observations.append(minutes.map((m, i) => buildObservation({ seq: i + 1, time: at(m) })));
        await s.observations.append([buildObservation({ device: dev('SEAL-B'), seq: 1, time: at(25) })]);
        const idOf = (seq: number) => (outcomes[seq - 1] as { id: number }).id;
        const asc = [idOf(2), idOf(4), idOf(5), idOf(1), idOf(3)];
        const desc = [...asc].reverse();
        const list = (order?: 'asc' | 'desc') =>
          allPages((cursor) => s.observations.listByDevice(dev('SEAL-A'), order ? { order } : {}, { limit: 2, cursor }));
        assert.deepEqual(ids(await list()), [desc.slice(0, 2), desc.slice(2, 4), desc.slice(4)]);
        assert.deepEqual(ids(await list('desc')), [desc.slice(0, 2), desc.slice(2, 4), desc.slice(4)]);
        assert.deepEqual(ids(await list('asc')), [asc.slice(0, 2), asc.slice(2, 4), asc.slice(4)]);
      }),
    );

    test(
      'limits a device listing to the from..to window, both ends inclusive',
      withStore(async (s) => {
        await s.observations.append([10, 20, 30, 40, 50].map((m, i) => buildObservation({ seq: i + 1, time: at(m) })));
        const page = await s.observations.listByDevice(dev('SEAL-A'), { from: at(20), to: at(40), order: 'asc' }, { limit: 10 });
        assert.deepEqual(
          page.items.map((o) => o.time),
          [at(20), at(30), at(40)],
        );
        assert.equal(page.nextCursor, null);
        const later = await s.observations.listByDevice(dev('SEAL-A'), { from: at(45) }, { limit: 10 });
        assert.deepEqual(
          later.items.map((o) => o.seq),
          [5],
        );
      }),
    );

    test(
      "reads a device's track page by page: positions only, by time then id, inside the window, with only the drawn fields",
      withStore(async (s) => {
        // seq 4 and 5 share a time; seq 6 has no position; seq 7 is outside the window; SEAL-B is another device.
        const minutes = [30, 10, 40, 20, 20, 35, 90];
        const outcomes = await s.observations.append(
          minutes.map((m, i) =>
            buildObservation({
              seq: i + 1,
              time: at(m),
              ...(i === 5 && { position: null }),
              ...(i === 2 && { seal: { state: 'open', rope: 'cut' }, position: { lat: 1.5, lon: 32.25 } }),
            }),
          ),
        );
        await s.observations.append([buildObservation({ device: dev('SEAL-B'), seq: 1, time: at(25) })]);
        const idOf = (seq: number) => (outcomes[seq - 1] as { id: number }).id;
        for (const read of [s.observations.trackPage, s.observations.trackLinePage]) {
          const pages: number[][] = [];
          let after: { time: Timestamp; id: number } | null = null;
          for (;;) {
            const page: [number, Timestamp, ...unknown[]][] = await read(dev('SEAL-A'), { from: at(5), to: at(60) }, after, 2);
            if (page.length === 0) break;
            pages.push(page.map((r) => r[0]));
            const last = page[page.length - 1];
            after = { time: last[1], id: last[0] };
          }
          assert.deepEqual(pages, [[idOf(2), idOf(4)], [idOf(5), idOf(1)], [idOf(3)]]);
        }
        const [first] = await s.observations.trackPage(dev('SEAL-A'), { from: at(5), to: at(60) }, null, 10);
        assert.deepEqual(
          [...first.slice(0, 4), JSON.parse(first[4]!), ...first.slice(5)],
          [idOf(2), at(10), 36.8219, -1.2921, { state: 'closed', rope: 'inserted', lock: 'locked' }, 54, 'signed'],
        );
        const [opened] = await s.observations.trackPage(dev('SEAL-A'), { from: at(40), to: at(40) }, null, 10);
        assert.deepEqual(
          [...opened.slice(0, 4), JSON.parse(opened[4]!), ...opened.slice(5)],
          [idOf(3), at(40), 32.25, 1.5, { state: 'open', rope: 'cut' }, null, 'signed'],
        );
        assert.deepEqual(await s.observations.trackLinePage(dev('SEAL-A'), { from: at(40), to: at(40) }, null, 10), [
          [idOf(3), at(40), 32.25, 1.5, 'open'],
        ]);
        const details = await s.observations.trackDetails([idOf(3), idOf(2), 999_999]);
        assert.deepEqual(
          details.sort((x, y) => x[0] - y[0]).map((d) => [d[0], d[1], JSON.parse(d[2]!), d[3], d[4]]),
          [
            [idOf(2), dev('SEAL-A'), { state: 'closed', rope: 'inserted', lock: 'locked' }, 54, 'signed'],
            [idOf(3), dev('SEAL-A'), { state: 'open', rope: 'cut' }, null, 'signed'],
          ].sort((x, y) => (x[0] as number) - (y[0] as number)),
        );
        assert.deepEqual(await s.observations.trackDetails([]), []);
      }),
    );

    test(
      'clamps a page size above 1000 to 1000',
      withStore(async (s) => {
        await s.observations.append(Array.from({ length: 1001 }, (_, i) => buildObservation({ seq: i + 1, time: at(i) })));
        const page = await s.observations.listByDevice(dev('SEAL-A'), {}, { limit: 5000 });
        assert.equal(page.items.length, 1000);
        assert.notEqual(page.nextCursor, null);
      }),
    );

    test(
      'reads the log after an id, in id order across devices, up to the limit',
      withStore(async (s) => {
        const outcomes = await s.observations.append([
          buildObservation({ device: dev('SEAL-A'), seq: 1, time: at(50) }),
          buildObservation({ device: dev('SEAL-B'), seq: 1, time: at(10) }),
          buildObservation({ device: dev('SEAL-A'), seq: 2, time: at(5) }),
          buildObservation({ device: dev('SEAL-C'), seq: null }),
        ]);
        const all = outcomes.map((o) => (o as { id: number }).id);
        assert.deepEqual(
          (await s.observations.readLog(0, 100)).map((o) => o.id),
          all,
        );
        assert.deepEqual(
          (await s.observations.readLog(all[0], 2)).map((o) => o.id),
          [all[1], all[2]],
        );
        assert.deepEqual(await s.observations.readLog(all[3], 100), []);
        const [first] = await s.observations.readLog(0, 1);
        assert.deepEqual(first, { id: all[0], ...buildObservation({ device: dev('SEAL-A'), seq: 1, time: at(50) }) });
      }),
    );

    test(
      'lastId is 0 on an empty log, then the highest id',
      withStore(async (s) => {
        assert.equal(await s.observations.lastId(), 0);
        const outcomes = await s.observations.append([buildObservation({ seq: 1 }), buildObservation({ seq: 2 })]);
        assert.equal(await s.observations.lastId(), (outcomes[1] as { id: number }).id);
      }),
    );

    test(
      'findKeys returns the stored (device, seq) keys with their hash and id, and nothing for unknown ones',
      withStore(async (s) => {
        const [a, b] = await s.observations.append([
          buildObservation({ seq: 1, hash: 'h1' }),
          buildObservation({ device: dev('SEAL-B'), seq: 1, hash: 'h2' }),
        ]);
        const found = await s.observations.findKeys([
          { device: dev('SEAL-A'), seq: 1 },
          { device: dev('SEAL-B'), seq: 1 },
          { device: dev('SEAL-A'), seq: 2 },
          { device: dev('NOBODY'), seq: 1 },
        ]);
        const sorted = [...found].sort((x, y) => x.device.localeCompare(y.device));
        assert.deepEqual(sorted, [
          { device: 'SEAL-A', seq: 1, hash: 'h1', id: (a as { id: number }).id },
          { device: 'SEAL-B', seq: 1, hash: 'h2', id: (b as { id: number }).id },
        ]);
        assert.deepEqual(await s.observations.findKeys([]), []);
      }),
    );

    test(
      "lastSeq is the device's highest seq, whatever the arrival order, and null when it has none",
      withStore(async (s) => {
        assert.equal(await s.observations.lastSeq(dev('SEAL-A')), null);
        await s.observations.append([9, 12, 3].map((seq) => buildObservation({ seq })));
        await s.observations.append([buildObservation({ seq: null }), buildObservation({ device: dev('SEAL-B'), seq: 99 })]);
        assert.equal(await s.observations.lastSeq(dev('SEAL-A')), 12);
        assert.equal(await s.observations.lastSeq(dev('SEAL-B')), 99);
        await s.observations.append([buildObservation({ device: dev('SEAL-C'), seq: null })]);
        assert.equal(await s.observations.lastSeq(dev('SEAL-C')), null);
      }),
    );

    // Retention. The times span several calendar months, so an engine that keeps months apart
    // (PostgreSQL partitions) removes some whole months and part of another.
    const days = (d: number) => at(d * 24 * 60);

    test(
      'purgeBefore removes the observations made before the time, says how many, and keeps the rest',
      withStore(async (s) => {
        const outcomes = await s.observations.append([
          buildObservation({ seq: 1, time: days(-70) }),
          buildObservation({ seq: 2, time: days(-40) }),
          buildObservation({ seq: 3, time: days(-1) }),
          buildObservation({ seq: 4, time: at(0) }),
          buildObservation({ seq: 5, time: days(10) }),
          buildObservation({ device: dev('SEAL-B'), seq: 1, time: days(-40) }),
          buildObservation({ device: dev('SEAL-C'), seq: null, time: days(-70) }),
        ]);
        const id = outcomes.map((o) => (o as { id: number }).id);
        assert.equal(await s.observations.purgeBefore(at(0)), 5);
        const kept = await s.observations.listByDevice(dev('SEAL-A'), { order: 'asc' }, { limit: 10 });
        assert.deepEqual(
          kept.items.map((o) => o.seq),
          [4, 5],
        );
        assert.deepEqual(
          (await s.observations.readLog(0, 100)).map((o) => o.id),
          [id[3], id[4]],
        );
        for (const i of [0, 1, 2, 5, 6]) assert.equal(await s.observations.get(id[i]), null);
        assert.deepEqual(await s.observations.get(id[3]), { id: id[3], ...buildObservation({ seq: 4, time: at(0) }) });
        assert.equal(await s.observations.lastId(), id[4]);
        assert.equal(await s.observations.lastSeq(dev('SEAL-A')), 5);
        assert.equal(await s.observations.lastSeq(dev('SEAL-B')), null);
        assert.deepEqual((await s.observations.listByDevice(dev('SEAL-C'), {}, { limit: 10 })).items, []);
        assert.equal(await s.observations.purgeBefore(at(0)), 0);
        assert.equal((await s.observations.readLog(0, 100)).length, 2);
      }),
    );

    test(
      'after purgeBefore a removed (device, seq) is a new message again, with an id never used before',
      withStore(async (s) => {
        const [old] = await s.observations.append([buildObservation({ seq: 1, time: days(-40), hash: 'h-old' })]);
        const [kept] = await s.observations.append([buildObservation({ seq: 2, time: at(1), hash: 'h-kept' })]);
        assert.equal(await s.observations.purgeBefore(at(0)), 1);
        const [again, dup, clash] = await s.observations.append([
          buildObservation({ seq: 1, time: days(-40), hash: 'h-new' }),
          buildObservation({ seq: 2, time: at(1), hash: 'h-kept' }),
          buildObservation({ seq: 2, time: at(1), hash: 'h-forged' }),
        ]);
        assert.equal(again.status, 'inserted');
        assert.ok((again as { id: number }).id > (kept as { id: number }).id);
        assert.notEqual((again as { id: number }).id, (old as { id: number }).id);
        assert.deepEqual(dup, { status: 'duplicate', id: (kept as { id: number }).id });
        assert.deepEqual(clash, { status: 'conflict', existingHash: 'h-kept' });
        assert.equal((await s.observations.get((again as { id: number }).id))?.hash, 'h-new');
        assert.equal(await s.observations.lastSeq(dev('SEAL-A')), 2);
      }),
    );

    test(
      'purgeBefore removes nothing from an empty store or when everything is newer',
      withStore(async (s) => {
        assert.equal(await s.observations.purgeBefore(at(0)), 0);
        await s.observations.append([buildObservation({ seq: 1, time: at(0) }), buildObservation({ seq: 2, time: days(40) })]);
        assert.equal(await s.observations.purgeBefore(at(0)), 0);
        assert.equal((await s.observations.readLog(0, 100)).length, 2);
      }),
    );
  });
}
