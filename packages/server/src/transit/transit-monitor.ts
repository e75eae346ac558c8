/**
 * Runs the transit detectors (core/transit) over each movement under way and turns what they
 * find into events and alerts: route_deviation, unauthorized_stop, transit_overdue, signal_lost.
 * The detectors are functions of the whole track, so a re-run after late data gives the same
 * answer as if the data had come in order; the episodes of the previous run are kept per
 * movement and only newly opened ones raise events. Runs on a timer (time alone opens
 * signal_lost and transit_overdue).
 */
import {
  asEventId, buildRouteIndex, diffEpisodes, DomainError, findStops, routeDeviations,
  signalLost, toTimestamp, transitOverdue, unauthorizedStops,
  type AlertType, type Device, type DomainEvent, type Movement, type Observation, type RouteIndex, type TransitEpisode,
} from '@sealwatch/core';
import type { Store } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import type { Mutex } from '../processing/mutex';
import { AlertBatch } from '../processing/alert-batch';

const MAX_POINTS_PER_DEVICE = 20_000;
type Episode = TransitEpisode<string, object> & { device?: string };

export interface TransitMonitorDeps {
  store: Store;
  bus: StreamBus;
  alertLock: Mutex;
  now: () => number;
  newId: () => string;
  log: { warn(o: object, m: string): void };
  /** Whether this process should evaluate now (cluster: only one processor does). */
  isLeader?: () => boolean;
}

export class TransitMonitor {
  private readonly routes = new Map<string, RouteIndex>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly deps: TransitMonitorDeps) {}

  /** Evaluates every movement in transit, and arrived ones (late data may still change them). */
  async evaluateAll(): Promise<number> {
    let opened = 0;
    for (const status of ['in_transit', 'arrived'] as const) {
      let cursor: string | null | undefined;
      do {
        const page = await this.deps.store.movements.list({ status }, { limit: 200, cursor });
        for (const m of page.items) opened += await this.evaluate(m);
        cursor = page.nextCursor;
      } while (cursor);
    }
    return opened;
  }

  /** Runs the detectors on one movement; returns how many new episodes raised events. */
  async evaluate(m: Movement): Promise<number> {
    if (!m.startedAt) return 0;
    const now = toTimestamp(this.deps.now());
    const until = m.arrivedAt ?? m.endedAt ?? undefined;
    const devices = (await Promise.all(m.devices.map((d) => this.deps.store.devices.get(d)))).filter((d): d is Device => !!d);
    const tracks = new Map<string, Observation[]>();
    for (const d of devices) tracks.set(d.id, await this.track(d, m.startedAt, until));
    const all = [...tracks.values()].flat();
    const route = this.routeOf(m);
    const offices = (await Promise.all([m.departureOffice, m.destinationOffice].map((c) => this.deps.store.offices.get(c)))).filter((o) => !!o);

    const current: Episode[] = [];
    if (route) current.push(...routeDeviations(route, all, { corridorWidthM: m.corridorWidthM }));
    current.push(...unauthorizedStops(findStops(all), m.authorizedStops, offices));
    if (m.timeLimit) current.push(...transitOverdue(route, all, now, { timeLimit: m.timeLimit, arrivedAt: m.arrivedAt }));
    for (const d of devices) {
      for (const e of signalLost(d, tracks.get(d.id)!, now, { watchFrom: m.startedAt, watchUntil: until ?? null })) current.push({ ...e, device: d.id });
    }

    const key = `transit_episodes:${m.id}`;
    const before = JSON.parse((await this.deps.store.settings.get(key)) ?? '[]') as Episode[];
    const subject = (e: Episode) => e.device ?? String((e.details as { level?: string }).level ?? '');
    const diff = diffEpisodes(before, current, subject);
    if (diff.opened.length) await this.raise(m, diff.opened, now);
    await this.deps.store.settings.set(key, JSON.stringify(current));
    return diff.opened.length;
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

  private async track(d: Device, from: string, to?: string): Promise<Observation[]> {
    const out: Observation[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await this.deps.store.observations.listByDevice(d.id, { from: from as never, to: to as never, order: 'asc' }, { limit: 1000, cursor });
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

  private raise(m: Movement, opened: Episode[], now: ReturnType<typeof toTimestamp>): Promise<void> {
    return this.deps.alertLock.run(async () => {
      for (let attempt = 1; ; attempt++) {
        const events: DomainEvent[] = [];
        const alerts = new AlertBatch(this.deps.store.alerts, this.deps.newId, now);
        for (const e of opened) {
          const event: DomainEvent = {
            id: asEventId(this.deps.newId()), type: e.type as AlertType, movement: m.id, device: (e.device ?? null) as never,
            time: e.start, details: { ...(e.details as Record<string, unknown>), start: e.start, end: e.end }, observation: null, createdAt: now,
          };
          events.push(event);
          await alerts.raise(event as DomainEvent & { type: AlertType });
        }
        try {
          await this.deps.store.processing.record(events, alerts.list());
        } catch (err) {
          if (attempt < 3 && err instanceof DomainError && err.code === 'alert_changed') continue;
          throw err;
        }
        for (const e of events) this.deps.bus.publish({ kind: 'event', data: e });
        for (const a of alerts.list()) this.deps.bus.publish({ kind: 'alert', data: a });
        return;
      }
    });
  }
}
