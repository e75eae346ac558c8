/**
 * GS1 EPCIS 2.0 (JSON-LD) for movements and seals (DESIGN §8, docs/exchange.md): a movement's
 * events as ObjectEvents, the standard query parameters applied to them, and paging. CBV 2.0 has
 * no sealing step, so a seal applied is `staging_outbound` + `container_closed` and a seal broken
 * `sensor_reporting` + `container_open` with an ALARM_CONDITION sensor report. EPCIS has no EPC
 * scheme for ISO 6346 containers or customs seals: they are URIs of the installation.
 */
import type { DomainEvent, LatLon, Movement } from '../model';

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** The installation's identifiers under `<base>/epcis/id/…` (base: its public URL). */
export const epcisIds = (base: string) => {
  const root = `${base}/epcis/id`;
  return {
    container: (n: string) => `${root}/container/${encodeURIComponent(n)}`,
    seal: (n: string) => `${root}/seal/${encodeURIComponent(n)}`,
    office: (c: string) => `${root}/office/${encodeURIComponent(c)}`,
    device: (d: string) => `${root}/device/${encodeURIComponent(d)}`,
    movement: (m: string) => `${root}/movement/${encodeURIComponent(m)}`,
    event: (e: string) => `${root}/event/${encodeURIComponent(e)}`,
    /** The measurement type of a seal's integrity (no GS1 type exists): boolean, false when broken. */
    sealIntegrity: `${root}/vocab/SealIntegrity`,
  };
};

/** A `geo:` URI (RFC 5870) with 6 decimals. */
export const geoUri = (p: LatLon) => `geo:${p.lat.toFixed(6)},${p.lon.toFixed(6)}`;

export type EpcisEvent = Record<string, unknown> & { type: 'ObjectEvent'; eventTime: string; eventID: string };

export interface EpcisMovementInput {
  movement: Pick<Movement, 'id' | 'reference' | 'container' | 'vehicle' | 'seals' | 'departureOffice' | 'destinationOffice'>;
  events: Pick<DomainEvent, 'id' | 'type' | 'device' | 'time' | 'createdAt'>[];
  /** The seal number of each seal device of the movement (its registered `sealNumber`). */
  sealOfDevice: Record<string, string>;
  /** Where a seal device's breach was seen (its incident's position), by device id. */
  breachPosition: Record<string, LatLon>;
}

const BREACH = new Set(['seal_opened', 'seal_tampered', 'rope_cut']);

/** The EPCIS events of one movement, in the order of its events. Events with no EPCIS meaning are left out. */
export function movementEpcisEvents(base: string, input: EpcisMovementInput): EpcisEvent[] {
  const id = epcisIds(base);
  const { movement: m } = input;
  const cargo = m.container ? [id.container(m.container)] : [];
  const sealsOf = (device: string | null) => {
    const own = device ? input.sealOfDevice[device] : undefined;
    return (own ? [own] : m.seals).map(id.seal);
  };
  const out: EpcisEvent[] = [];
  for (const e of input.events) {
    const common = {
      type: 'ObjectEvent' as const,
      eventTime: e.time,
      eventTimeZoneOffset: '+00:00',
      recordTime: e.createdAt,
      eventID: id.event(e.id),
      action: 'OBSERVE',
      // The movement as the business transaction the event belongs to (no CBV type fits a customs movement).
      bizTransactionList: [{ bizTransaction: id.movement(m.id) }],
    };
    if (e.type === 'movement_started')
      out.push({
        ...common,
        epcList: [...cargo, ...m.seals.map(id.seal)],
        bizStep: 'departing',
        disposition: 'in_transit',
        readPoint: { id: id.office(m.departureOffice) },
      });
    else if (e.type === 'movement_arrived')
      out.push({
        ...common,
        epcList: [...cargo, ...m.seals.map(id.seal)],
        bizStep: 'arriving',
        readPoint: { id: id.office(m.destinationOffice) },
      });
    else if (e.type === 'seal_closed')
      out.push({ ...common, epcList: [...cargo, ...sealsOf(e.device)], bizStep: 'staging_outbound', disposition: 'container_closed' });
    else if (BREACH.has(e.type)) {
      const at = e.device ? input.breachPosition[e.device] : undefined;
      out.push({
        ...common,
        epcList: [...cargo, ...sealsOf(e.device)],
        bizStep: 'sensor_reporting',
        disposition: 'container_open',
        ...(at ? { readPoint: { id: geoUri(at) } } : {}),
        sensorElementList: [
          {
            sensorReport: [
              {
                type: id.sealIntegrity,
                exception: 'ALARM_CONDITION',
                booleanValue: false,
                time: e.time,
                ...(e.device ? { deviceID: id.device(e.device) } : {}),
                [`${base}/epcis/id/vocab/sealEvent`]: e.type,
              },
            ],
          },
        ],
      });
    }
  }
  return out;
}

/** The standard query parameters Sealwatch answers (EPCIS 2.0 §8.2.7.1, REST binding names). */
export interface EpcisQuery {
  eventType?: string[];
  GE_eventTime?: string;
  LT_eventTime?: string;
  GE_recordTime?: string;
  LT_recordTime?: string;
  MATCH_epc?: string[];
  MATCH_anyEPC?: string[];
  EQ_bizStep?: string[];
  EQ_disposition?: string[];
  EQ_readPoint?: string[];
}

/** The CBV short name of a full CBV URI (`https://ref.gs1.org/cbv/BizStep-departing` → `departing`). */
const shortCbv = (v: string) => v.replace(/^(urn:epcglobal:cbv:(bizstep|disp):|https?:\/\/ref\.gs1\.org\/cbv\/(BizStep|Disp)-)/, '');
/** MATCH_ values may end with `*` (a prefix, EPCIS §8.2.7.1). */
const matches = (patterns: string[], values: string[]) =>
  patterns.some((p) => values.some((v) => (p.endsWith('*') ? v.startsWith(p.slice(0, -1)) : v === p)));

/** Keeps the events that satisfy every given parameter; an absent parameter does not restrict. */
export function filterEpcisEvents(events: EpcisEvent[], q: EpcisQuery): EpcisEvent[] {
  const t = (s: string) => Date.parse(s);
  return events.filter((e) => {
    const epcs = (e.epcList as string[] | undefined) ?? [];
    if (q.eventType && !q.eventType.includes(e.type)) return false;
    if (q.GE_eventTime && t(e.eventTime) < t(q.GE_eventTime)) return false;
    if (q.LT_eventTime && t(e.eventTime) >= t(q.LT_eventTime)) return false;
    if (q.GE_recordTime && t(e.recordTime as string) < t(q.GE_recordTime)) return false;
    if (q.LT_recordTime && t(e.recordTime as string) >= t(q.LT_recordTime)) return false;
    if (q.MATCH_epc && !matches(q.MATCH_epc, epcs)) return false;
    if (q.MATCH_anyEPC && !matches(q.MATCH_anyEPC, epcs)) return false;
    if (q.EQ_bizStep && !q.EQ_bizStep.map(shortCbv).includes(e.bizStep as string)) return false;
    if (q.EQ_disposition && !q.EQ_disposition.map(shortCbv).includes(e.disposition as string)) return false;
    if (q.EQ_readPoint && !q.EQ_readPoint.includes((e.readPoint as { id?: string } | undefined)?.id ?? '')) return false;
    return true;
  });
}

/** An EPCISQueryDocument over one page of events (with the subscription's id when it is a standing query's report). */
export function epcisQueryDocument(events: EpcisEvent[], createdAt: string, queryName = 'SimpleEventQuery', subscriptionID?: string) {
  return {
    '@context': [EPCIS_CONTEXT],
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: createdAt,
    epcisBody: { queryResults: { queryName, ...(subscriptionID ? { subscriptionID } : {}), resultsBody: { eventList: events } } },
  };
}
