/**
 * Runs the transit detectors (core/transit/transit-findings.ts) over each movement under way and turns what
 * changed since the previous run into events and alerts. The detectors are functions of the
 * whole track, so a re-run after late data gives the same answer as if the data had come in
 * order; what the previous run found is kept per movement, and only findings new to this run
 * raise events (stamped with when they occurred and when they were detected). Runs on a timer
 * (time alone opens signal_lost, transit_overdue and overdue checkpoints).
 */
import {
  buildRouteIndex,
  findTransit,
  subjectOf,
  toTimestamp,
  transitChanges,
  type FoundEpisode,
  type TransitFindings,
  type Device,
  type Movement,
  type Observation,
  type Office,
  type RouteIndex,
  type Timestamp,
} from '@sealwatch/core';
import type { Store } from '../storage/ports';
import type { StoredTransitFinding } from '../storage/transit-ports';
import type { StreamBus } from '../stream/stream-bus';
import type { Mutex } from '../processing/mutex';
import { countryAt } from './country-at';
import { TransitRecorder } from './transit-recorder';

const MAX_POINTS_PER_DEVICE = 20_000;

export interface TransitMonitorDeps {
  store: Pick<Store, 'alerts' | 'devices' | 'incidents' | 'movements' | 'observations' | 'offices' | 'processing' | 'settings' | 'transit'>;
  bus: StreamBus;
  alertLock: Mutex;
  now: () => number;
  newId: () => string;
  log: { warn(o: object, m: string): void };
  /** Whether this process should evaluate now (cluster: only one processor does). */
  isLeader?: () => boolean;
}

/** What an evaluation stores for the next one to diff against. */
export interface TransitState extends TransitFindings {
  evaluatedAt: Timestamp | null;
}

export class TransitMonitor {
  private readonly routes = new Map<string, RouteIndex>();
  private readonly recorder: TransitRecorder;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly deps: TransitMonitorDeps) {
    this.recorder = new TransitRecorder(deps);
  }

  /** Evaluates every movement in transit, and arrived ones (late data may still change them). */
  async evaluateAll(): Promise<number> {
    const offices = await this.offices();
    let opened = 0;
    for (const status of ['in_transit', 'arrived'] as const) {
      let cursor: string | null | undefined;
      do {
        const page = await this.deps.store.movements.list({ status }, { limit: 200, cursor });
        for (const m of page.items) opened += await this.evaluate(m, offices);
        cursor = page.nextCursor;
      } while (cursor);
    }
    return opened;
  }

  /** Runs the detectors on one movement; returns how many new findings raised events. */
  async evaluate(m: Movement, offices?: Office[]): Promise<number> {
    if (!m.startedAt) return 0;
    const now = toTimestamp(this.deps.now());
    const until = m.arrivedAt ?? m.endedAt ?? undefined;
    const devices = (await Promise.all(m.devices.map((d) => this.deps.store.devices.get(d)))).filter((d): d is Device => !!d);
    const tracks = new Map<string, Observation[]>();
    for (const d of devices) tracks.set(d.id, await this.track(d, m.startedAt, until));
    const tags = devices.filter((d) => d.kind === 'rfid_seal' && d.identifiers.epc).map((d) => d.identifiers.epc!.toLowerCase());
    const tagReads = await this.deps.store.observations.listTagReads(tags, { from: m.startedAt, to: until ?? now }, 1000);
    const current = findTransit({
      movement: m,
      devices,
      tracks,
      tagReads,
      tags,
      route: this.routeOf(m),
      offices: offices ?? (await this.offices()),
      countryAt,
      now,
    });

    const before = await this.loadState(m);
    const { opened, clears, backdates } = transitChanges(before, current, before.evaluatedAt, now);
    if (opened.length || clears.length || backdates.length) await this.recorder.record(m, opened, clears, now, backdates);
    await this.saveState(m, { ...current, evaluatedAt: now });
    return opened.length;
  }

  schedule(everyMs: number): void {
    const tick = () => {
      if (this.running || (this.deps.isLeader && !this.deps.isLeader())) return;
      this.running = this.evaluateAll()
        .catch((e: Error) => this.deps.log.warn({ err: e.message }, 'transit evaluation failed; retrying at the next turn'))
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async loadState(m: Movement): Promise<TransitState> {
    const stored = await this.deps.store.transit.get(m.id);
    if (stored) {
      const state: TransitState = { episodes: [], facts: [], evaluatedAt: stored.evaluatedAt };
      for (const f of stored.findings) {
        const device = f.device ?? undefined;
        if (f.kind === 'episode') state.episodes.push({ type: f.type, start: f.start, end: f.end, details: f.details, device });
        else state.facts.push({ type: f.type, time: f.start, details: f.details, device });
      }
      return state;
    }
    // Movements evaluated before the transit table (migration step 10) kept their episodes in the
    // settings KV: read them once, so an upgrade does not raise their episodes a second time.
    const legacy = JSON.parse((await this.deps.store.settings.get(`transit_episodes:${m.id}`)) ?? 'null') as FoundEpisode[] | null;
    return { episodes: legacy ?? [], facts: [], evaluatedAt: null };
  }

  private async saveState(m: Movement, state: TransitState): Promise<void> {
    const findings: StoredTransitFinding[] = [
      ...state.episodes.map((e) => ({
        kind: 'episode' as const,
        type: e.type,
        subject: subjectOf(e),
        device: e.device ?? null,
        start: e.start,
        end: e.end,
        details: e.details as Record<string, unknown>,
      })),
      ...state.facts.map((f) => ({
        kind: 'fact' as const,
        type: f.type,
        subject: subjectOf(f),
        device: f.device ?? null,
        start: f.time,
        end: null,
        details: f.details as Record<string, unknown>,
      })),
    ];
    await this.deps.store.transit.replace({ movement: m.id, evaluatedAt: state.evaluatedAt ?? toTimestamp(this.deps.now()), findings });
  }

  private async offices(): Promise<Office[]> {
    const out: Office[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await this.deps.store.offices.list({ limit: 1000, cursor });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  private async track(d: Device, from: string, to?: string): Promise<Observation[]> {
    const out: Observation[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await this.deps.store.observations.listByDevice(
        d.id,
        { from: from as never, to: to as never, order: 'asc' },
        { limit: 1000, cursor },
      );
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && out.length < MAX_POINTS_PER_DEVICE);
    return out;
  }

  private routeOf(m: Movement): RouteIndex | null {
    if (!m.route) return null;
    let index = this.routes.get(m.id);
    if (!index) {
      if (this.routes.size > 10_000) this.routes.clear();
      index = buildRouteIndex(m.route.coordinates as never);
      this.routes.set(m.id, index);
    }
    return index;
  }
}
