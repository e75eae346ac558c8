/**
 * What an agreement between two administrations lets a federation message carry (DESIGN §8).
 * Always shared: the movement's reference, container, seal numbers, offices, status, route, and
 * incidents with their position. `fields` adds more; `positionsInside` limits every shared
 * position and the route to the partner's territory (its country on the sender's own map) or not.
 * The sender builds each body through these functions only, so a message can never carry more
 * than the agreement; the receiver checks the same rules with `exceedsAgreement`.
 */
import type { Area, LatLon, LineString, Movement, Office, Position, SealReading } from '../model';
import type { Incident } from '../incidents/incident';

/** The optional data classes an agreement may add to what is always shared. */
export const sharedFields = ['position', 'seal', 'sensors', 'trader', 'goods', 'driver'] as const;
export type SharedField = (typeof sharedFields)[number];

export interface Agreement {
  fields: SharedField[];
  positionsInside: 'partner_territory' | 'whole_route';
  /** Days the partner keeps its copy after the movement ends there. */
  retentionDays: number;
}

/** Is a point inside the partner's territory (the partner's country on this installation's map)? */
export type InTerritory = (p: LatLon) => boolean;

/** An office as shared: enough for the partner to draw it and place arrivals. */
export interface SharedOffice {
  code: string;
  name: string;
  country: string;
  area: Area;
}

export interface AnticipatedArrivalBody {
  reference: string;
  container: string | null;
  seals: string[];
  status: Movement['status'];
  departureOffice: SharedOffice;
  destinationOffice: SharedOffice;
  transitOffices: SharedOffice[];
  /** The route, or the parts of it inside the partner's territory; null when none is left. */
  route: LineString | null;
  corridorWidthM: number;
  startedAt: string | null;
  timeLimit: string | null;
  trader?: string | null;
  goods?: { hsChapter: string | null; originCountry: string | null };
  /** The vehicle's registration: the driver and vehicle data the movement holds. */
  driver?: { vehicle: string | null };
  /**
   * Without `driver` agreed: a pseudonym of the vehicle, the same for every movement of that
   * vehicle sent to this partner and different for each partner, so the partner can tell a
   * vehicle's movements apart without learning its registration.
   */
  vehiclePseudonym?: string;
}

export interface BorderCrossedBody {
  time: string;
  from: string;
  to: string;
  position?: LatLon;
}

export interface PositionBody {
  time: string;
  position?: Position;
  seal?: SealReading;
  sensors?: Record<string, number>;
}

export interface IncidentBody {
  id: string;
  code: Incident['code'];
  status: Incident['status'];
  severity: Incident['severity'];
  openedAt: string;
  position?: LatLon;
  container: string | null;
  seals: string[];
}

const has = (a: Agreement, f: SharedField) => a.fields.includes(f);

/** A position as the agreement lets it go: absent outside the partner's territory when limited. */
export function sharedPosition<P extends LatLon>(p: P | null, a: Agreement, inTerritory: InTerritory): P | undefined {
  if (!p) return undefined;
  if (a.positionsInside === 'partner_territory' && !inTerritory(p)) return undefined;
  return p;
}

/**
 * The route as the agreement lets it go: whole, or its parts inside the partner's territory, each
 * segment that crosses the border cut where it crosses (found by bisection with `inTerritory`, to
 * about a metre), so nothing outside is shared. Null when less than a segment is left; where the
 * route leaves and re-enters, the parts are joined (a LineString has one part).
 */
export function sharedRoute(route: LineString | null, a: Agreement, inTerritory: InTerritory): LineString | null {
  if (!route || a.positionsInside === 'whole_route') return route;
  const at = (c: number[]) => ({ lon: c[0], lat: c[1] });
  const kept: number[][] = [];
  const cs = route.coordinates;
  for (let i = 0; i < cs.length; i++) {
    const inside = inTerritory(at(cs[i]));
    if (i > 0 && inside !== inTerritory(at(cs[i - 1]))) kept.push(borderPoint(cs[i - 1], cs[i], inTerritory));
    if (inside) kept.push(cs[i]);
  }
  return kept.length >= 2 ? { type: 'LineString', coordinates: kept } : null;
}

/** The point of segment a→b where `inTerritory` changes, on the inside: 30 halvings of at most a few hundred km. */
function borderPoint(a: number[], b: number[], inTerritory: InTerritory): number[] {
  const aInside = inTerritory({ lon: a[0], lat: a[1] });
  let lo = 0,
    hi = 1;
  const point = (t: number) => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
  for (let k = 0; k < 30; k++) {
    const mid = (lo + hi) / 2;
    const p = point(mid);
    if (inTerritory({ lon: p[0], lat: p[1] }) === aInside) lo = mid;
    else hi = mid;
  }
  return point(aInside ? lo : hi);
}

const shareOffice = (o: Office): SharedOffice => ({ code: o.code, name: o.name, country: o.country, area: o.area });

/**
 * The announcement of a movement to a partner whose country holds its destination or a transit
 * office. `vehiclePseudonym` is the sender's keyed pseudonym of the registration for this partner,
 * sent instead of the registration when the agreement leaves `driver` out.
 */
export function anticipatedArrivalBody(
  m: Movement,
  offices: { departure: Office; destination: Office; transit: Office[] },
  a: Agreement,
  inTerritory: InTerritory,
  vehiclePseudonym: string | null = null,
): AnticipatedArrivalBody {
  return {
    reference: m.reference,
    container: m.container,
    seals: m.seals,
    status: m.status,
    departureOffice: shareOffice(offices.departure),
    destinationOffice: shareOffice(offices.destination),
    transitOffices: offices.transit.map(shareOffice),
    route: sharedRoute(m.route, a, inTerritory),
    corridorWidthM: m.corridorWidthM,
    startedAt: m.startedAt,
    timeLimit: m.timeLimit,
    ...(has(a, 'trader') ? { trader: m.trader } : {}),
    ...(has(a, 'goods') ? { goods: { hsChapter: m.hsChapter ?? null, originCountry: m.originCountry ?? null } } : {}),
    ...(has(a, 'driver') ? { driver: { vehicle: m.vehicle } } : {}),
    ...(!has(a, 'driver') && m.vehicle && vehiclePseudonym ? { vehiclePseudonym } : {}),
  };
}

/** A border crossing; its position only where positions may go. */
export function borderCrossedBody(
  c: { time: string; from: string; to: string; position: LatLon | null },
  a: Agreement,
  inTerritory: InTerritory,
): BorderCrossedBody {
  const position = sharedPosition(c.position, a, inTerritory);
  return { time: c.time, from: c.from, to: c.to, ...(position ? { position } : {}) };
}

/**
 * One observation as a `position` message, or null when the agreement lets none of it go (no
 * position, seal or sensors agreed, or the fix lies outside the partner's territory when limited).
 */
export function positionBody(
  o: { time: string; position: Position | null; seal: SealReading | null; sensors: Record<string, number> | null },
  a: Agreement,
  inTerritory: InTerritory,
): PositionBody | null {
  // A reading made outside the territory is outside too, whatever it carries.
  if (a.positionsInside === 'partner_territory' && (!o.position || !inTerritory(o.position))) return null;
  const body: PositionBody = { time: o.time };
  if (has(a, 'position') && o.position) body.position = o.position;
  if (has(a, 'seal') && o.seal) body.seal = o.seal;
  if (has(a, 'sensors') && o.sensors) body.sensors = o.sensors;
  return Object.keys(body).length > 1 ? body : null;
}

/** An incident: always shared, its position only where positions may go. */
export function incidentBody(i: Incident, a: Agreement, inTerritory: InTerritory): IncidentBody {
  const position = sharedPosition(i.position, a, inTerritory);
  return {
    id: i.id,
    code: i.code,
    status: i.status,
    severity: i.severity,
    openedAt: i.openedAt,
    ...(position ? { position } : {}),
    container: i.container,
    seals: i.seals,
  };
}

/** The optional fields a body of a type carries, and the positions in it. */
function carried(type: string, body: Record<string, unknown>): { fields: SharedField[]; positions: LatLon[] } {
  const fields: SharedField[] = [];
  const positions: LatLon[] = [];
  const at = (p: unknown) => {
    if (p && typeof p === 'object' && 'lat' in p && 'lon' in p) positions.push(p as LatLon);
  };
  if (type === 'anticipated_arrival') {
    for (const f of ['trader', 'goods', 'driver'] as const) if (f in body) fields.push(f);
    const route = body.route as LineString | null | undefined;
    for (const c of route?.coordinates ?? []) at({ lon: c[0], lat: c[1] });
  }
  if (type === 'position') {
    for (const f of ['position', 'seal', 'sensors'] as const) if (f in body) fields.push(f);
  }
  at(body.position);
  return { fields, positions };
}

/**
 * Why a received body goes beyond the receiver's own agreement with its sender, or null when it
 * does not: an optional field the agreement leaves out, or a position outside the receiver's
 * territory when its agreement limits positions to it. The receiver stores no more than that.
 */
export function exceedsAgreement(type: string, body: Record<string, unknown>, a: Agreement, inTerritory: InTerritory): string | null {
  const { fields, positions } = carried(type, body);
  const extra = fields.filter((f) => !has(a, f));
  if (extra.length) return `the agreement does not share ${extra.join(', ')}`;
  if (a.positionsInside === 'partner_territory' && positions.some((p) => !inTerritory(p)))
    return 'the agreement shares positions only inside this territory';
  return null;
}

/**
 * What a border crossing does to a movement's scope at a partner: `left` its country (towards
 * another), `entered` it, or null (a crossing elsewhere). A movement is in the partner's scope
 * from its announcement until it leaves the partner's country, and again once it comes back.
 */
export function crossingScope(partnerCountry: string, c: { from: string; to: string }): 'left' | 'entered' | null {
  if (c.from === partnerCountry && c.to !== partnerCountry) return 'left';
  if (c.to === partnerCountry && c.from !== partnerCountry) return 'entered';
  return null;
}

/**
 * Whether a fact made at `time` lies outside the partner's scope: at or after the movement left
 * its country (`leftAt`: the last crossing out not followed by one back in). Such a reading or a
 * new incident goes beyond the agreement, whatever `positionsInside` says; a reading made before
 * and forwarded late is still within it.
 */
export function afterLeaving(time: string, leftAt: string | null): boolean {
  return leftAt !== null && Date.parse(time) >= Date.parse(leftAt);
}
