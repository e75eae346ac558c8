/**
 * Which processor owns which partition: leases in a NATS KV bucket whose entries expire unless
 * renewed, fenced by the store. Each live member aims at an equal share (ceil(partitions /
 * members)); a member that dies stops renewing and its partitions are taken over after the TTL.
 * Adding a process is enough to spread the load: the others release their surplus on their next tick.
 *
 * The KV bucket coordinates; the store decides. A partition is taken only when the store grants
 * a new epoch too (PartitionOwnerStore.claim: nobody else renewed it within the TTL), every
 * commit carries that epoch and is refused once another member claimed, and each tick renews
 * both. So a KV that forgets a key (seen on NATS 2.9 after a restart: every update then fails
 * with "wrong last sequence") or lets a second member create a key already held cannot put two
 * processors on one partition: the second one's claim is refused while the first renews.
 */
import type { KV } from 'nats';
import type { PartitionOwnerStore } from '../storage/partition-owner-ports';

export interface LeaseEvents {
  /** The partition is this member's under `epoch`: start its work, every commit carrying the epoch. */
  acquired(partition: number, epoch: number): void;
  /** Resolves once the partition's work has stopped: only then is a released lease deleted. */
  lost(partition: number): Promise<void>;
}

export interface LeaseLog {
  warn(o: object, m: string): void;
  info(o: object, m: string): void;
}

/** How long the lease check stays degraded after a partition was lost against this member's will. */
const LOSS_SHOWN_MS = 60_000;

interface Held {
  revision: number;
  epoch: number;
}

export class PartitionLeases {
  private readonly owned = new Map<number, Held>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private storeDown = false;
  private lastLoss: { partition: number; at: number } | null = null;

  constructor(
    private readonly kv: KV,
    private readonly fence: PartitionOwnerStore,
    private readonly member: string,
    private readonly partitions: number,
    private readonly events: LeaseEvents,
    private readonly timing: { renewMs: number; ttlMs: number },
    private readonly log: LeaseLog,
  ) {}

  get ownedPartitions(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  /**
   * The lease check: degraded for a minute after a partition was taken from this member (its
   * lease expired and another member took it, or the store fenced it off); a planned release
   * (rebalance, stop) is not a loss.
   */
  health(now = Date.now()): { status: 'ok' | 'degraded'; detail: string } {
    const loss = this.lastLoss;
    if (loss && now - loss.at < LOSS_SHOWN_MS)
      return {
        status: 'degraded',
        detail: `partition ${loss.partition} lease lost to another processor ${Math.round((now - loss.at) / 1000)} s ago`,
      };
    return { status: 'ok', detail: `${this.owned.size} partition(s) held` };
  }

  /** The epoch this member holds a partition under (undefined when not owned). */
  epochOf(partition: number): number | undefined {
    return this.owned.get(partition)?.epoch;
  }

  async start(): Promise<void> {
    await this.tick().catch((e: Error) => this.log.warn({ err: e.message }, 'partition lease round failed; retrying'));
    this.timer = setInterval(() => {
      if (!this.ticking)
        this.ticking = this.tick()
          .catch((e: Error) => this.log.warn({ err: e.message }, 'partition lease round failed; retrying'))
          .finally(() => (this.ticking = null));
    }, this.timing.renewMs);
  }

  /**
   * Stops every partition's work, then releases the leases so others take over at once (graceful
   * stop). Without NATS (`reachable` false) the leases are left to expire: each delete would
   * wait for a request timeout, and the other members take over after the TTL anyway.
   */
  async stop(reachable = true): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    if (!reachable) {
      const owned = this.ownedPartitions;
      this.owned.clear();
      await Promise.all(owned.map((p) => this.events.lost(p)));
      return;
    }
    for (const p of this.ownedPartitions) await this.release(p);
    await this.kv.delete(`m.${this.member}`).catch(() => undefined);
  }

  /** The partition's commit was refused by the store (fenced): its work stops, the lease is not ours. */
  async fenced(partition: number): Promise<void> {
    if (!this.owned.delete(partition)) return;
    this.lastLoss = { partition, at: Date.now() };
    this.log.warn({ partition }, 'partition fenced off by the store (another processor claimed it); its work stops');
    await this.events.lost(partition);
  }

  /** One round: renew what is held, give up the surplus, take a fair share. The timer calls it. */
  async tick(): Promise<void> {
    await this.kv.put(`m.${this.member}`, String(Date.now()));
    for (const [p, held] of [...this.owned]) {
      if (!(await this.renew(p, held))) {
        this.owned.delete(p);
        this.lastLoss = { partition: p, at: Date.now() };
        await this.events.lost(p);
      }
    }
    const members: string[] = [];
    for await (const k of await this.kv.keys('m.*')) members.push(k);
    const target = Math.ceil(this.partitions / Math.max(1, members.length));
    while (this.owned.size > target) await this.release(this.ownedPartitions[this.owned.size - 1]);
    // Start the search at a member-specific offset so members do not all race for partition 0.
    const offset = members.sort().indexOf(`m.${this.member}`) * target;
    for (let i = 0; i < this.partitions && this.owned.size < target; i++) {
      const p = (Math.max(0, offset) + i) % this.partitions;
      if (this.owned.has(p)) continue;
      let revision: number;
      try {
        revision = await this.kv.create(`p.${p}`, this.member);
      } catch {
        continue; // held by another member
      }
      let epoch: number | null;
      try {
        epoch = await this.fence.claim(p, this.member, this.timing.ttlMs);
      } catch (e) {
        // No store, no commits: taking the partition now would only hold it from a member that can work.
        if (!this.storeDown) {
          this.storeDown = true;
          this.log.warn({ err: (e as Error).message }, 'partition leases cannot reach the store; taking no partition until it answers');
        }
        await this.kv.delete(`p.${p}`, { previousSeq: revision }).catch(() => undefined);
        continue;
      }
      if (epoch === null) {
        // The KV let us create a key the store says another member still renews (a KV that lost
        // its state): hand the key back so that member's next renewal can re-create it.
        this.log.warn({ partition: p }, 'partition lease created in NATS KV while the store says another processor holds it; not taken');
        await this.kv.delete(`p.${p}`, { previousSeq: revision }).catch(() => undefined);
        continue;
      }
      this.owned.set(p, { revision, epoch });
      this.events.acquired(p, epoch);
    }
  }

  /**
   * Renews a held partition in the KV and in the store. A failed KV update is not taken as a loss
   * at once: the entry is read again and decides (ours under another revision: adopt it; gone, as
   * after a NATS restart that lost the key: create it again; another member's: lost). The store
   * decides last: a refused renewal means another member claimed (fenced); an unreachable store
   * keeps the partition (nobody can commit without it, and its claim waits for the TTL).
   */
  private async renew(p: number, held: Held): Promise<boolean> {
    const key = `p.${p}`;
    try {
      held.revision = await this.kv.update(key, this.member, held.revision);
    } catch (e) {
      const entry = await this.kv.get(key).catch(() => null);
      const holder = entry && entry.operation === 'PUT' ? entry.string() : null;
      if (holder === this.member) {
        held.revision = entry!.revision;
        this.log.warn(
          { partition: p, err: (e as Error).message },
          'partition lease renewal failed but the lease is still ours; renewed on its current revision',
        );
      } else if (holder === null) {
        try {
          held.revision = await this.kv.create(key, this.member);
          this.log.warn(
            { partition: p, err: (e as Error).message },
            'partition lease key was lost by NATS; created again (the store epoch still holds)',
          );
        } catch {
          this.log.warn({ partition: p }, 'partition lease key was lost by NATS and taken by another member meanwhile; partition released');
          return false;
        }
      } else {
        this.log.warn({ partition: p, holder }, 'partition lease expired and was taken by another member; partition released');
        return false;
      }
    }
    try {
      const still = await this.fence.renew(p, this.member, held.epoch);
      if (this.storeDown) {
        this.storeDown = false;
        this.log.info({}, 'partition lease renewal reaches the store again');
      }
      if (!still)
        this.log.warn(
          { partition: p, epoch: held.epoch },
          'partition claimed by another processor in the store (fenced); partition released',
        );
      return still;
    } catch (e) {
      if (!this.storeDown) {
        this.storeDown = true;
        this.log.warn(
          { err: (e as Error).message },
          'partition lease renewal cannot reach the store; keeping the partitions (no commit can pass without it)',
        );
      }
      return true;
    }
  }

  /** Hands a partition over: its worker finishes and stops BEFORE the lease is deleted, so two processors never work on one partition in a rebalance. */
  private async release(p: number): Promise<void> {
    const held = this.owned.get(p);
    this.owned.delete(p);
    await this.events.lost(p);
    if (!held) return;
    await this.fence.release(p, this.member, held.epoch).catch(() => undefined);
    await this.kv.delete(`p.${p}`, { previousSeq: held.revision }).catch(() => undefined);
  }
}
