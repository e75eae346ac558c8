/**
 * Which processor owns which partition: leases in a NATS KV bucket whose entries expire unless
 * renewed. Each live member aims at an equal share (ceil(partitions / members)); a member that
 * dies stops renewing and its partitions are taken over after the TTL. Adding a process is
 * enough to spread the load: the others release their surplus on their next tick.
 */
import type { KV } from 'nats';

export interface LeaseEvents {
  acquired(partition: number): void;
  /** Resolves once the partition's work has stopped: only then is a released lease deleted. */
  lost(partition: number): Promise<void>;
}

export class PartitionLeases {
  private readonly owned = new Map<number, number>(); // partition → KV revision
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;

  constructor(
    private readonly kv: KV,
    private readonly member: string,
    private readonly partitions: number,
    private readonly events: LeaseEvents,
    private readonly renewMs: number,
  ) {}

  get ownedPartitions(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => {
      if (!this.ticking)
        this.ticking = this.tick()
          .catch(() => undefined)
          .finally(() => (this.ticking = null));
    }, this.renewMs);
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

  private async tick(): Promise<void> {
    await this.kv.put(`m.${this.member}`, String(Date.now()));
    for (const [p, rev] of this.owned) {
      try {
        this.owned.set(p, await this.kv.update(`p.${p}`, this.member, rev));
      } catch {
        // Expired (we stalled) or taken: stop at once; the new owner may already be working.
        this.owned.delete(p);
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
      try {
        this.owned.set(p, await this.kv.create(`p.${p}`, this.member));
        this.events.acquired(p);
      } catch {
        // held by another member
      }
    }
  }

  /** Hands a partition over: its worker finishes and stops BEFORE the lease is deleted, so two processors never work on one partition in a rebalance. */
  private async release(p: number): Promise<void> {
    const rev = this.owned.get(p);
    this.owned.delete(p);
    await this.events.lost(p);
    if (rev !== undefined) await this.kv.delete(`p.${p}`, { previousSeq: rev }).catch(() => undefined);
  }
}
