/**
 * The processor: reads the committed ingest log in order, keeps per-device state, gathers the
 * facts around each observation and applies core's rules to them (alerts/observation-facts.ts:
 * seal and battery), and commits events, alerts, device states and its
 * log position in one transaction, so a crash replays exactly what was not committed.
 */
import {
  asEventId,
  isInArea,
  isInTransitAt,
  movementArmedAt,
  observationFacts,
  toTimestamp,
  type Arming,
  type LatLon,
  type MovementId,
  type Office,
  type Alert,
  type AlertType,
  type DeviceId,
  type DeviceState,
  type DomainEvent,
  type Movement,
  type Observation,
} from '@sealwatch/core';
import type { Store } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import type { Mutex } from './mutex';
import { AlertBatch, type AlertBatchStore } from './alert-batch';

/** Where a batch ends in its log, and in a cluster the partition epoch its commit must carry (fencing). */
export interface BatchCheckpoint {
  processor: string;
  position: number;
  fence?: { partition: number; epoch: number };
}

export interface ProcessorDeps {
  store: AlertBatchStore & Pick<Store, 'observations' | 'offices' | 'processing' | 'custody'>;
  bus: StreamBus;
  alertLock: Mutex;
  now: () => number;
  newId: () => string;
  /** Called after each committed slice (for metrics). */
  onProcessed?: (observations: number, events: DomainEvent[], alerts: Alert[]) => void;
  /** A slice failed and will be retried (for the log). */
  onError?: (e: Error) => void;
  name?: string;
  batchSize?: number;
}

export class Processor {
  private checkpoint = 0;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly name: string;
  /** Each device's armings (its periods on movements); dropped when a movement of the device changes. */
  private readonly armingCache = new Map<DeviceId, Arming[]>();
  /** Movements by id, for the armings; dropped when the movement changes. */
  private readonly movementCache = new Map<MovementId, Movement | null>();
  /**
   * Destination offices by movement id: an office's area cannot change while a movement not yet
   * ended names it (RegistryService.updateOffice), so it holds for the movement's life; keyed by
   * movement, an office edited or re-created between movements is read afresh.
   */
  private readonly offices = new Map<string, Office | null>();
  /** Bumped on every invalidation, so a lookup that raced with a change is not cached. */
  private movementGeneration = 0;

  constructor(private readonly deps: ProcessorDeps) {
    this.name = deps.name ?? 'main';
    deps.bus.subscribe((m) => {
      if (m.kind !== 'movement') return;
      this.movementGeneration++;
      this.movementCache.delete(m.data.id);
      for (const d of m.data.devices) this.armingCache.delete(d);
    });
  }

  /** Loads the committed log position and processes whatever is behind it. */
  async start(): Promise<void> {
    this.checkpoint = await this.deps.store.processing.checkpoint(this.name);
    this.kick();
  }

  /** The log position processed so far. */
  get position(): number {
    return this.checkpoint;
  }

  /** Tells the processor that new observations were committed. Cheap; coalesces calls. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((e: Error) => {
        // The store failed (or a write lost a race): nothing was committed; try again shortly.
        this.deps.onError?.(e);
        setTimeout(() => this.kick(), 1000).unref();
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves when everything committed so far has been processed. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  private async drain(): Promise<void> {
    const size = this.deps.batchSize ?? 500;
    for (;;) {
      if (this.stopped) return;
      const batch = await this.deps.store.observations.readLog(this.checkpoint, size);
      if (batch.length === 0) return;
      await this.processBatch(batch, { processor: this.name, position: batch[batch.length - 1].id });
      this.checkpoint = batch[batch.length - 1].id;
    }
  }

  /**
   * Applies the rules to a batch of stored observations (in log order) and commits the effects
   * with the given log position, atomically; a position already committed is a replay and
   * changes nothing. The embedded log uses observation ids; a JetStream partition its stream
   * sequence, under its own processor name.
   */
  async processBatch(batch: Observation[], checkpoint: BatchCheckpoint): Promise<void> {
    await this.processSlice(batch, checkpoint, false);
  }

  /**
   * Like processBatch, but exactly once per observation whatever the order of batches (cluster
   * mode: a redelivered batch may come after later ones). Observations already processed are
   * left out; a commit that loses a race with another processor is retried on what is left.
   */
  async processBatchOnce(batch: Observation[], checkpoint: BatchCheckpoint): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const fresh = new Set(await this.deps.store.processing.unprocessed(batch.map((o) => o.id)));
      const todo = batch.filter((o) => fresh.has(o.id));
      if (todo.length === 0 || (await this.processSlice(todo, checkpoint, true))) return;
    }
    throw new Error('processing kept losing races with another processor');
  }

  /** Returns false when the store found the slice already (partly) processed and applied nothing. */
  private async processSlice(batch: Observation[], checkpoint: BatchCheckpoint, byObservation: boolean): Promise<boolean> {
    const { store } = this.deps;
    const now = toTimestamp(this.deps.now());
    const devices = [...new Set(batch.map((o) => o.device))];
    const states = new Map((await store.processing.deviceStates(devices)).map((s) => [s.device, s]));
    const armingsOf = new Map<DeviceId, Arming[]>();
    for (const d of devices) {
      let armings = this.armingCache.get(d);
      if (!armings) {
        const generation = this.movementGeneration;
        armings = await store.custody.armings(d);
        if (this.armingCache.size > 200_000) this.armingCache.clear();
        if (generation === this.movementGeneration) this.armingCache.set(d, armings);
      }
      armingsOf.set(d, armings);
    }

    const events: DomainEvent[] = [];
    const raising: (DomainEvent & { type: AlertType })[] = [];
    for (const o of batch) {
      const prev = states.get(o.device) ?? null;
      const current = !prev?.lastTime || o.time >= prev.lastTime;
      // The movement whose armed period covers the observation's time: periods never overlap,
      // so every engine and every processor decides the same one.
      const armedOn = movementArmedAt(armingsOf.get(o.device) ?? [], o.time);
      const movement = armedOn ? await this.movementById(armedOn) : null;
      if (movement) {
        const inTransit = isInTransitAt(movement, o.time);
        // The office lookup only where the rule needs it: a seal reading after arrival.
        const insideDestination = !!o.seal && !inTransit && !!o.position && (await this.isAtDestination(movement, o.position));
        for (const fact of observationFacts(o, { previous: prev, current, inTransit, insideDestination })) {
          const event: DomainEvent = {
            id: asEventId(this.deps.newId()),
            type: fact.type,
            movement: movement.id,
            device: o.device,
            time: o.time,
            details: { ...fact.details, seq: o.seq, late: o.late, position: o.position },
            observation: o.id,
            createdAt: now,
          };
          events.push(event);
          if (fact.alert) raising.push(event as DomainEvent & { type: AlertType });
        }
      }
      states.set(o.device, nextState(prev, o, current));
    }

    // Alerts are read and written under the alert lock (one open alert per movement and type,
    // shared with operators and the other rules). A batch that raises none (nearly all of them)
    // commits without it, so a cluster process's partitions, device-disjoint, commit concurrently.
    const touched = new Set(batch.map((o) => o.device));
    const commit = async () => {
      const alerts = new AlertBatch(store, this.deps.newId, now);
      for (const e of raising) await alerts.raise(e);
      const { alerts: changed, incidents } = raising.length ? await alerts.finish() : { alerts: [], incidents: [] };
      const applied = await store.processing.commit({
        processor: checkpoint.processor,
        checkpoint: checkpoint.position,
        ...(byObservation ? { observationIds: batch.map((o) => o.id) } : {}),
        events,
        alerts: changed,
        incidents,
        deviceStates: [...touched].map((d) => states.get(d)!),
        // A cluster partition's commit carries its epoch: refused once another processor owns the
        // partition, and its audit entries go to the partition's chain.
        ...(checkpoint.fence ? { fence: checkpoint.fence } : {}),
      });
      return { applied, changedAlerts: changed, incidents };
    };
    const { applied, changedAlerts, incidents } = raising.length ? await this.deps.alertLock.run(commit) : await commit();
    if (!applied) return false;
    for (const o of batch) this.deps.bus.publish({ kind: 'observation', data: o });
    for (const e of events) this.deps.bus.publish({ kind: 'event', data: e });
    for (const a of changedAlerts) this.deps.bus.publish({ kind: 'alert', data: a });
    for (const i of incidents) this.deps.bus.publish({ kind: 'incident', data: i });
    this.deps.onProcessed?.(batch.length, events, changedAlerts);
    return true;
  }

  private async movementById(id: MovementId): Promise<Movement | null> {
    let m = this.movementCache.get(id);
    if (m === undefined) {
      const generation = this.movementGeneration;
      m = await this.deps.store.movements.get(id);
      if (this.movementCache.size > 200_000) this.movementCache.clear();
      if (generation === this.movementGeneration) this.movementCache.set(id, m);
    }
    return m;
  }

  private async isAtDestination(m: Movement, p: LatLon): Promise<boolean> {
    let office = this.offices.get(m.id);
    if (office === undefined) {
      office = await this.deps.store.offices.get(m.destinationOffice);
      if (this.offices.size > 200_000) this.offices.clear();
      this.offices.set(m.id, office);
    }
    return !!office && isInArea(p, office.area);
  }
}

/** The device's state after an observation; a late one only fills what is unknown. */
function nextState(prev: DeviceState | null, o: Observation, current: boolean): DeviceState {
  const base: DeviceState = prev ?? {
    device: o.device,
    lastTime: null,
    lastReceivedAt: null,
    lastSeq: null,
    position: null,
    positionTime: null,
    seal: null,
    battery: null,
  };
  const lastSeq = o.seq !== null && (base.lastSeq === null || o.seq > base.lastSeq) ? o.seq : base.lastSeq;
  if (!current) return { ...base, lastSeq, lastReceivedAt: o.receivedAt };
  return {
    device: o.device,
    lastTime: o.time,
    lastReceivedAt: o.receivedAt,
    lastSeq,
    position: o.position ?? base.position,
    positionTime: o.position ? o.time : base.positionTime,
    seal: o.seal ? { ...(base.seal ?? {}), ...o.seal } : base.seal,
    battery: o.battery ?? base.battery,
  };
}
