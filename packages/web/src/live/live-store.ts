/**
 * What the console knows: movements with their live state, unresolved alerts, offices, the
 * selection and its track. REST snapshots and stream messages merge here in any order: a change
 * older than what is already known never overwrites it. Mutable on purpose (10,000 devices move
 * several times a second); listeners are told which part changed.
 */
import type { Alert, DomainEvent, Incident, Movement, MovementMute, Observation, Office, Seal } from '../api/types';
import type { ConnectionState } from './stream';
import { confirmedSealBreak, isUnresolved, worstSeal } from './movement-state';

export type Topic = 'movements' | 'alerts' | 'incidents' | 'offices' | 'selection' | 'track' | 'events' | 'connection';

export interface TrackPoint {
  position: [number, number];
  time: string | null;
  seal: Seal | null;
  speed: number | null;
}

type DeviceReading = { seal: Seal | null; battery: { level?: number } | null; time: string | null };
interface LiveExtra {
  baseline: DeviceReading | null;
  devices: Record<string, DeviceReading>;
}
export type LiveMovement = Movement & { liveExtra: LiveExtra };

const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) : -Infinity);
const statusPreference: Record<string, number> = { in_transit: 0, held: 1, declared: 2, arrived: 3, ended: 4 };

export class LiveStore {
  movements = new Map<string, LiveMovement>();
  /** device id → movement id (the device's movement under way, else its newest) */
  deviceMovement = new Map<string, string>();
  alerts = new Map<string, Alert>();
  /** alert id → updatedAt of its resolution, so a stale copy cannot bring it back */
  private resolved = new Map<string, number>();
  alertsComplete = true;
  /** Open incidents, the operator's queue; their alerts are in `alerts` (closing one resolves them). */
  incidents = new Map<string, Incident>();
  /** incident id → updatedAt of its closing, so a stale copy cannot bring it back */
  private closed = new Map<string, number>();
  /** Movements with a seal break an operator confirmed: their badge stays "seal broken" (movement-state.ts). */
  confirmedBreaks = new Set<string>();
  /** Movements whose notifications are muted now, by movement id. */
  mutes = new Map<string, MovementMute>();
  offices = new Map<string, Office>();
  selectedId: string | null = null;
  track: TrackPoint[] = [];
  events: DomainEvent[] = [];
  connection: ConnectionState = 'connecting';
  /** One more on every change; React reads it as the snapshot. */
  version = 0;
  private listeners = new Set<(topic: Topic) => void>();

  subscribe(fn: (topic: Topic) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  private notify(topic: Topic) {
    this.version++;
    for (const fn of this.listeners) fn(topic);
  }

  private indexDevices() {
    const best = new Map<string, LiveMovement>();
    for (const m of this.movements.values()) {
      for (const d of m.devices ?? []) {
        const cur = best.get(d);
        const p = statusPreference[m.status] ?? 9;
        const q = cur ? (statusPreference[cur.status] ?? 9) : 99;
        if (!cur || p < q || (p === q && time(m.createdAt) > time(cur.createdAt))) best.set(d, m);
      }
    }
    this.deviceMovement = new Map([...best].map(([d, m]) => [d, m.id]));
  }

  private withLive(m: Movement, prev: LiveMovement | undefined): LiveMovement {
    const live = m.live ?? prev?.live ?? { position: null, positionTime: null, seal: null, battery: null, lastSeenAt: null, openAlerts: 0 };
    return {
      ...m,
      live: { ...live },
      // What the server reported (worst seal, lowest battery over the devices), and what each
      // device reported on the stream since.
      liveExtra: m.live
        ? { baseline: { seal: live.seal ?? null, battery: live.battery ?? null, time: live.positionTime ?? null }, devices: {} }
        : (prev?.liveExtra ?? { baseline: null, devices: {} }),
    };
  }

  /** The worst seal and the lowest battery over the movement's devices. */
  private summarise(m: LiveMovement) {
    const { baseline, devices } = m.liveExtra;
    const heard = Object.values(devices);
    const seals = heard.map((d) => d.seal).filter((s): s is Seal => !!s);
    const batteries = heard.map((d) => d.battery).filter((b): b is { level?: number } => !!b);
    if (!(m.devices ?? []).every((d) => devices[d]?.seal) && baseline?.seal) seals.push(baseline.seal);
    if (!(m.devices ?? []).every((d) => devices[d]?.battery) && baseline?.battery) batteries.push(baseline.battery);
    m.live!.seal = worstSeal(seals);
    m.live!.battery = batteries.reduce<{ level?: number } | null>(
      (low, b) => (low && (low.level ?? Infinity) <= (b.level ?? Infinity) ? low : b),
      null,
    );
  }

  setMovements(items: Movement[]) {
    this.movements = new Map(items.map((m) => [m.id, this.withLive(m, this.movements.get(m.id))]));
    this.indexDevices();
    this.notify('movements');
  }

  upsertMovement(m: Movement) {
    const prev = this.movements.get(m.id);
    if (prev && m.updatedAt && prev.updatedAt && time(m.updatedAt) < time(prev.updatedAt)) return;
    this.movements.set(m.id, this.withLive(m, prev));
    this.indexDevices();
    this.notify('movements');
  }

  /** An observation: moves the marker, updates seal and battery, extends the selected track. */
  applyObservation(obs: Pick<Observation, 'device' | 'time' | 'position' | 'seal' | 'battery'>) {
    const id = this.deviceMovement.get(obs.device);
    const m = id ? this.movements.get(id) : undefined;
    if (!m?.live) return;
    const t = time(obs.time);
    if (obs.position && t >= time(m.live.positionTime)) {
      m.live.position = obs.position;
      m.live.positionTime = obs.time;
    }
    if (obs.seal || obs.battery) {
      const known = m.liveExtra.devices[obs.device] ?? { seal: null, battery: null, time: m.liveExtra.baseline?.time ?? null };
      // a late (store-and-forward) reading never replaces a newer one of the same device
      if (t >= time(known.time)) {
        m.liveExtra.devices[obs.device] = {
          seal: obs.seal ? { ...(known.seal ?? {}), ...obs.seal } : known.seal,
          battery: obs.battery ?? known.battery,
          time: obs.time,
        };
        this.summarise(m);
      }
    }
    this.notify('movements');
    if (id === this.selectedId && obs.position) {
      this.addTrackPoint({
        position: [obs.position.lon, obs.position.lat],
        time: obs.time,
        seal: obs.seal,
        speed: obs.position.speed ?? null,
      });
    }
  }

  private addTrackPoint(p: TrackPoint) {
    if (this.track.some((q) => q.time === p.time && q.position[0] === p.position[0] && q.position[1] === p.position[1])) return;
    let i = this.track.length;
    while (i > 0 && time(this.track[i - 1].time) > time(p.time)) i--;
    this.track = [...this.track.slice(0, i), p, ...this.track.slice(i)];
    this.notify('track');
  }

  /** Replaces the unresolved alerts; returns those the console did not know (to announce). */
  setAlerts(items: Alert[], complete: boolean): Alert[] {
    const before = this.alerts;
    this.alerts = new Map(items.filter(isUnresolved).map((a) => [a.id, a]));
    this.alertsComplete = complete;
    this.alertCounts = null;
    this.notify('alerts');
    return [...this.alerts.values()].filter((a) => !before.has(a.id));
  }

  /** An alert from the stream or an action's answer; true when new to the console and unresolved. */
  upsertAlert(a: Alert): boolean {
    const prev = this.alerts.get(a.id);
    if (prev && time(a.updatedAt) < time(prev.updatedAt)) return false;
    const resolvedAt = this.resolved.get(a.id);
    if (resolvedAt !== undefined && time(a.updatedAt) <= resolvedAt) return false;
    if (isUnresolved(a)) this.alerts.set(a.id, a);
    else {
      this.alerts.delete(a.id);
      this.resolved.set(a.id, time(a.updatedAt));
      if (a.movement && confirmedSealBreak([a]) && !this.confirmedBreaks.has(a.movement)) {
        this.confirmedBreaks = new Set(this.confirmedBreaks).add(a.movement);
        this.notify('movements');
      }
    }
    this.alerts = new Map(this.alerts);
    this.alertCounts = null;
    this.notify('alerts');
    return !prev && isUnresolved(a);
  }

  /** Replaces the open incidents (and the mutes); returns those the console did not know (to announce). */
  setIncidents(items: Incident[], mutes: MovementMute[] = []): Incident[] {
    const before = this.incidents;
    for (const i of items) this.noteConfirmed(i);
    this.incidents = new Map(items.filter((i) => i.status === 'open').map((i) => [i.id, i]));
    this.mutes = new Map(mutes.map((m) => [m.movement, m]));
    this.notify('incidents');
    return [...this.incidents.values()].filter((i) => !before.has(i.id));
  }

  /** An incident from the stream or an action's answer; true when new to the console and open. */
  upsertIncident(i: Incident): boolean {
    const prev = this.incidents.get(i.id);
    if (prev && (time(i.updatedAt) < time(prev.updatedAt) || i.revision < prev.revision)) return false;
    const closedAt = this.closed.get(i.id);
    if (closedAt !== undefined && time(i.updatedAt) <= closedAt) return false;
    if (i.status === 'open') this.incidents.set(i.id, i);
    else {
      this.incidents.delete(i.id);
      this.closed.set(i.id, time(i.updatedAt));
      this.noteConfirmed(i);
    }
    this.incidents = new Map(this.incidents);
    this.notify('incidents');
    return !prev && i.status === 'open';
  }

  private noteConfirmed(i: Incident) {
    if (confirmedSealBreak([i]) && !this.confirmedBreaks.has(i.movement)) {
      this.confirmedBreaks = new Set(this.confirmedBreaks).add(i.movement);
      this.notify('movements');
    }
  }

  /** A movement's mute set or ended (null) from this console. */
  setMute(movement: string, mute: MovementMute | null) {
    if (mute) this.mutes.set(movement, mute);
    else this.mutes.delete(movement);
    this.mutes = new Map(this.mutes);
    this.notify('incidents');
  }

  private alertCounts: Map<string, number> | null = null;

  /** Unresolved alerts of a movement; the server's count where the queue was cut short. */
  openAlertCount(m: Movement): number {
    if (!this.alertCounts) {
      // counted once per change of the queue, not once per movement (10,000 movements × the queue)
      this.alertCounts = new Map();
      for (const a of this.alerts.values()) if (a.movement) this.alertCounts.set(a.movement, (this.alertCounts.get(a.movement) ?? 0) + 1);
    }
    const n = this.alertCounts.get(m.id) ?? 0;
    return this.alertsComplete ? n : Math.max(n, m.live?.openAlerts ?? 0);
  }

  setOffices(items: Office[]) {
    this.offices = new Map(items.map((o) => [o.code, o]));
    this.notify('offices');
  }

  select(id: string | null) {
    if (this.selectedId === id) return;
    this.selectedId = id;
    this.track = [];
    this.events = [];
    this.notify('selection');
  }

  /** The GeoJSON answer of GET /movements/{id}/track. */
  setTrack(id: string, collection: { features: Record<string, unknown>[] }) {
    if (id !== this.selectedId) return;
    this.track = trackFromGeoJson(collection);
    this.notify('track');
  }

  setEvents(id: string, items: DomainEvent[]) {
    if (id !== this.selectedId) return;
    this.events = items;
    this.notify('events');
  }

  applyEvent(e: DomainEvent) {
    if (!e.movement || e.movement !== this.selectedId || this.events.some((x) => x.id === e.id)) return;
    this.events = [...this.events, e].sort((a, b) => time(a.time) - time(b.time));
    this.notify('events');
  }

  setConnection(c: ConnectionState) {
    this.connection = c;
    this.notify('connection');
  }
}

/** Track points from the track endpoint's FeatureCollection (Point features, by time). */
export function trackFromGeoJson(collection: { features: Record<string, unknown>[] }): TrackPoint[] {
  type F = { geometry?: { type?: string; coordinates?: unknown }; properties?: Record<string, unknown> };
  const features = (collection?.features ?? []) as F[];
  const points = features
    .filter((f) => f.geometry?.type === 'Point')
    .map((f) => ({
      position: f.geometry!.coordinates as [number, number],
      time: (f.properties?.time as string) ?? null,
      seal: (f.properties?.seal as Seal) ?? null,
      speed: (f.properties?.speed as number) ?? null,
    }));
  if (points.length) return points.sort((a, b) => time(a.time) - time(b.time));
  const line = features.find((f) => f.geometry?.type === 'LineString');
  return ((line?.geometry?.coordinates as [number, number][]) ?? []).map((position) => ({ position, time: null, seal: null, speed: null }));
}
