/** Storage contract, federation: part of the suite every storage engine runs (index.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Timestamp } from '@sealwatch/core';
import { buildDeviceState, buildMovement, buildObservation, dev, mov, type WithStore } from './fixtures';
import type { OutboxMessage, Partner } from '../federation-ports';

const t = (s: number) => new Date(Date.UTC(2026, 11, 6, 10, 0, s)).toISOString() as Timestamp;
const partner: Partner = {
  administration: 'URA',
  name: 'Uganda Revenue Authority',
  country: 'UG',
  url: 'https://ura.example',
  inbox: 'https://ura.example/api/v1/federation/inbox',
  agreement: { fields: ['position'], positionsInside: 'partner_territory', retentionDays: 30 },
  retention: {},
  keys: [{ kid: 'k1', kty: 'OKP', crv: 'Ed25519', x: 'abc' }],
  pendingKeys: null,
  createdAt: t(0),
  updatedAt: t(0),
  endedAt: null,
  lastExchangeAt: null,
};
const message = (id: string, movement: string, s: number): Omit<OutboxMessage, 'seq'> => ({
  id,
  partner: 'URA',
  type: 'position',
  movement,
  jws: `jws-${id}`,
  status: 'pending',
  attempts: 0,
  lastStatus: null,
  lastError: null,
  nextAttemptAt: t(s),
  createdAt: t(s),
  deliveredAt: null,
});

export function federationContract(withStore: WithStore): void {
  describe('federation', () => {
    test(
      'partners are created, replaced and listed with their agreement and keys',
      withStore(async (s) => {
        await s.federation.putPartner(partner);
        assert.deepEqual(await s.federation.getPartner('URA'), partner);
        const changed = {
          ...partner,
          pendingKeys: [{ ...partner.keys[0], kid: 'k2', x: 'def' }],
          retention: { position: 7, trader: 0 },
          updatedAt: t(5),
        };
        await s.federation.putPartner(changed);
        assert.deepEqual(await s.federation.listPartners(), [changed]);
        assert.equal(await s.federation.getPartner('RRA'), null);
      }),
    );

    test(
      'the outbox keeps queueing order, skips a message queued twice, and counts the backlog',
      withStore(async (s) => {
        assert.equal(await s.federation.enqueue([message('a', 'm1', 0), message('b', 'm2', 1), message('c', 'm1', 2)]), 3);
        assert.equal(await s.federation.enqueue([message('a', 'm1', 9)]), 0);
        const pending = await s.federation.pending('URA', 10);
        assert.deepEqual(
          pending.map((m) => m.id),
          ['a', 'b', 'c'],
        );
        await s.federation.saveOutbox({ ...pending[0], status: 'delivered', attempts: 1, lastStatus: 202, deliveredAt: t(3) });
        await s.federation.saveOutbox({ ...pending[1], attempts: 1, lastStatus: null, lastError: 'refused', nextAttemptAt: t(20) });
        assert.deepEqual(
          (await s.federation.pending('URA', 10)).map((m) => [m.id, m.attempts, m.lastError, m.nextAttemptAt]),
          [
            ['b', 1, 'refused', t(20)],
            ['c', 0, null, t(2)],
          ],
        );
        assert.deepEqual(await s.federation.backlog(), { URA: 2 });
        // Two processes read 'c' due at t(2): only the first claim takes it.
        assert.equal(await s.federation.claim(pending[2].seq, t(2), t(40)), true);
        assert.equal(await s.federation.claim(pending[2].seq, t(2), t(41)), false);
        assert.equal((await s.federation.pending('URA', 10))[1].nextAttemptAt, t(40));
        assert.equal(await s.federation.claim(pending[0].seq, t(0), t(40)), false, 'a delivered message is not taken');
        assert.deepEqual(
          (await s.federation.sent('URA', 10)).map((m) => [m.id, m.status]),
          [
            ['c', 'pending'],
            ['b', 'pending'],
            ['a', 'delivered'],
          ],
        );
      }),
    );

    test(
      'a received message id is taken once per partner',
      withStore(async (s) => {
        const r = { partner: 'URA', id: 'x1', type: 'arrived' as const, movement: 'm1', receivedAt: t(0) };
        assert.equal(await s.federation.wasReceived('URA', 'x1'), false);
        assert.equal(await s.federation.receive(r), true);
        assert.equal(await s.federation.wasReceived('URA', 'x1'), true);
        assert.equal(await s.federation.receive({ ...r, receivedAt: t(5) }), false);
        assert.equal(await s.federation.receive({ ...r, partner: 'RRA' }), true);
        assert.deepEqual(await s.federation.received('URA', 10), [r]);
      }),
    );

    test(
      'links tie a movement here to its origin, and keep control results',
      withStore(async (s) => {
        const link = {
          partner: 'KRA',
          direction: 'in' as const,
          originMovement: 'k1',
          localMovement: 'u1',
          controlResults: null,
          createdAt: t(0),
          leftAt: null,
          purgedAt: null,
          purgedClasses: [],
        };
        await s.federation.link(link);
        await s.federation.link({ ...link, localMovement: 'other' });
        assert.deepEqual(await s.federation.getLink('KRA', 'in', 'k1'), link);
        assert.equal(await s.federation.getLink('KRA', 'out', 'k1'), null);
        const results = { result: 'A1' as const, stateOfSeals: 'ok' as const, time: t(9) };
        await s.federation.setControlResults('KRA', 'in', 'k1', results);
        assert.deepEqual(await s.federation.linksOf('u1'), [{ ...link, controlResults: results }]);
        await s.federation.setLeft('KRA', 'in', 'k1', t(20));
        await s.federation.setLeft('KRA', 'in', 'k1', t(30));
        assert.equal((await s.federation.getLink('KRA', 'in', 'k1'))?.leftAt, t(20), 'the first crossing out counts');
        await s.federation.setLeft('KRA', 'out', 'k1', t(25));
        assert.equal((await s.federation.getLink('KRA', 'in', 'k1'))?.leftAt, t(20), 'each direction its own');
        await s.federation.setLeft('KRA', 'in', 'k1', null);
        assert.equal((await s.federation.getLink('KRA', 'in', 'k1'))?.leftAt, null, 'back in: not left');
        await s.federation.setLeft('KRA', 'in', 'k1', t(40));
        assert.equal((await s.federation.getLink('KRA', 'in', 'k1'))?.leftAt, t(40), 'the next crossing out counts');
      }),
    );

    test(
      "purging a copy deletes its feed's observations and state, blanks its optional fields, and leaves others alone",
      withStore(async (s) => {
        const feed = 'federation:KRA:k1';
        await s.movements.create(buildMovement({ id: mov('u1'), devices: [dev(feed)], hsChapter: '09', originCountry: 'KE' }));
        await s.movements.create(buildMovement({ id: mov('u2'), reference: 'OTHER-REF', devices: [dev('SEAL-B')] }));
        await s.observations.append([
          buildObservation({ device: dev(feed), seq: null, trust: 'federated', protocol: 'federation', hash: 'f1' }),
          buildObservation({ device: dev(feed), seq: null, trust: 'federated', protocol: 'federation', hash: 'f2', time: t(50) }),
          buildObservation({ device: dev('SEAL-B'), seq: 1 }),
        ]);
        await s.processing.commit({
          processor: 'p',
          checkpoint: 3,
          events: [],
          alerts: [],
          deviceStates: [buildDeviceState({ device: dev(feed) }), buildDeviceState({ device: dev('SEAL-B') })],
        });
        const link = {
          partner: 'KRA',
          direction: 'in' as const,
          originMovement: 'k1',
          localMovement: 'u1',
          controlResults: null,
          createdAt: t(0),
        };
        await s.federation.link(link);
        await s.federation.link({ ...link, originMovement: 'k2', localMovement: 'u2' });
        assert.deepEqual(
          (await s.federation.copies()).map((l) => l.originMovement),
          ['k1', 'k2'],
        );

        assert.equal(await s.federation.purgeCopy((await s.federation.getLink('KRA', 'in', 'k1'))!, feed, t(60)), 2);
        assert.deepEqual((await s.observations.listByDevice(dev(feed), {}, { limit: 10 })).items, []);
        assert.equal((await s.observations.listByDevice(dev('SEAL-B'), {}, { limit: 10 })).items.length, 1);
        assert.equal(await s.processing.deviceState(dev(feed)), null);
        assert.ok(await s.processing.deviceState(dev('SEAL-B')));
        const copy = (await s.movements.get(mov('u1')))!;
        assert.deepEqual([copy.trader, copy.vehicle, copy.hsChapter, copy.originCountry], [null, null, null, null]);
        assert.equal((await s.movements.get(mov('u2')))?.trader, 'org-acme');
        assert.equal((await s.federation.getLink('KRA', 'in', 'k1'))?.purgedAt, t(60));
        assert.deepEqual(
          (await s.federation.copies()).map((l) => l.originMovement),
          ['k2'],
        );
      }),
    );

    test(
      "dropping a copy's readings from a time deletes its feed's readings made then and later, and its state, and leaves others alone",
      withStore(async (s) => {
        const feed = 'federation:KRA:k1';
        const federated = { device: dev(feed), seq: null, trust: 'federated' as const, protocol: 'federation' };
        await s.observations.append([
          buildObservation({ ...federated, hash: 'f1', time: t(10) }),
          buildObservation({ ...federated, hash: 'f2', time: t(50) }),
          buildObservation({ ...federated, hash: 'f3', time: t(70) }),
          buildObservation({ device: dev('SEAL-B'), seq: 1, time: t(60) }),
        ]);
        await s.processing.commit({
          processor: 'p',
          checkpoint: 4,
          events: [],
          alerts: [],
          deviceStates: [buildDeviceState({ device: dev(feed) }), buildDeviceState({ device: dev('SEAL-B') })],
        });
        assert.equal(await s.federation.dropCopyReadingsFrom(feed, t(50)), 2);
        assert.deepEqual(
          (await s.observations.listByDevice(dev(feed), {}, { limit: 10 })).items.map((o) => o.time),
          [t(10)],
        );
        assert.equal((await s.observations.listByDevice(dev('SEAL-B'), {}, { limit: 10 })).items.length, 1);
        assert.equal(await s.processing.deviceState(dev(feed)), null);
        assert.ok(await s.processing.deviceState(dev('SEAL-B')));
        assert.equal(await s.federation.dropCopyReadingsFrom(feed, t(50)), 0, 'nothing left to drop');
      }),
    );

    test(
      "purging some classes of a copy takes them out of its feed's readings, state and optional fields, deletes readings left empty, and keeps the rest",
      withStore(async (s) => {
        const feed = 'federation:KRA:k1';
        await s.movements.create(buildMovement({ id: mov('u1'), devices: [dev(feed)], hsChapter: '09', originCountry: 'KE' }));
        await s.movements.create(buildMovement({ id: mov('u2'), reference: 'OTHER-REF', devices: [dev('SEAL-B')] }));
        const federated = { device: dev(feed), seq: null, trust: 'federated' as const, protocol: 'federation', door: null, battery: null };
        await s.observations.append([
          buildObservation({ ...federated, hash: 'f1' }),
          buildObservation({ ...federated, hash: 'f2', time: t(50), seal: null, sensors: null }),
          buildObservation({ device: dev('SEAL-B'), seq: 1 }),
        ]);
        await s.processing.commit({
          processor: 'p',
          checkpoint: 3,
          events: [],
          alerts: [],
          deviceStates: [buildDeviceState({ device: dev(feed) }), buildDeviceState({ device: dev('SEAL-B') })],
        });
        await s.federation.link({
          partner: 'KRA',
          direction: 'in',
          originMovement: 'k1',
          localMovement: 'u1',
          controlResults: null,
          createdAt: t(0),
        });
        const readings = async (d: string) => (await s.observations.listByDevice(dev(d), {}, { limit: 10 })).items;

        const link = (await s.federation.getLink('KRA', 'in', 'k1'))!;
        assert.equal(await s.federation.purgeCopyClasses(link, feed, ['position', 'trader']), 1, 'the position-only reading is left empty');
        const [kept, ...more] = await readings(feed);
        assert.equal(more.length, 0);
        assert.deepEqual(
          [kept.position, kept.seal, kept.sensors, kept.raw],
          [null, buildObservation().seal, buildObservation().sensors, ''],
        );
        const state = (await s.processing.deviceState(dev(feed)))!;
        assert.deepEqual([state.position, state.positionTime, state.seal], [null, null, buildDeviceState().seal]);
        let copy = (await s.movements.get(mov('u1')))!;
        assert.deepEqual([copy.trader, copy.vehicle, copy.hsChapter, copy.originCountry], [null, 'KDA 123X', '09', 'KE']);
        const after = (await s.federation.getLink('KRA', 'in', 'k1'))!;
        assert.deepEqual([after.purgedClasses, after.purgedAt], [['position', 'trader'], null]);
        assert.deepEqual(
          (await s.federation.copies()).map((l) => l.purgedClasses),
          [['position', 'trader']],
          'still a copy to purge whole later',
        );

        assert.equal(await s.federation.purgeCopyClasses(after, feed, ['seal', 'sensors', 'driver', 'goods']), 1);
        assert.deepEqual(await readings(feed), []);
        copy = (await s.movements.get(mov('u1')))!;
        assert.deepEqual([copy.trader, copy.vehicle, copy.hsChapter, copy.originCountry], [null, null, null, null]);
        assert.deepEqual((await s.federation.getLink('KRA', 'in', 'k1'))?.purgedClasses, [
          'position',
          'trader',
          'seal',
          'sensors',
          'driver',
          'goods',
        ]);

        const [other] = await readings('SEAL-B');
        assert.deepEqual(
          [other.position, other.raw],
          [buildObservation().position, buildObservation({ device: dev('SEAL-B'), seq: 1 }).raw],
        );
        assert.deepEqual((await s.processing.deviceState(dev('SEAL-B')))?.position, buildDeviceState().position);
        const u2 = (await s.movements.get(mov('u2')))!;
        assert.deepEqual([u2.trader, u2.vehicle], ['org-acme', 'KDA 123X']);
      }),
    );
  });
}
