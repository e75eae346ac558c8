/**
 * The EPCIS events of movements, read from the store (core's movementEpcisEvents over each
 * movement's events, seal numbers and breach positions): what `GET /epcis/events` answers and what
 * the standing queries (epcis-subscriptions.ts) report, over the same data scope.
 */
import { movementEpcisEvents, type DomainEvent, type EpcisEvent, type LatLon, type Movement, type Principal } from '@sealwatch/core';
import type { Scopes } from '../access/scope';
import type { Store } from '../storage/ports';

const MAX_EVENTS_PER_MOVEMENT = 10_000;

export type EpcisEventSource = Pick<Store, 'events' | 'devices' | 'incidents'>;

/** One movement's EPCIS events; `only` keeps the domain events given (a new event on the stream) instead of reading them all. */
export async function movementEvents(
  store: EpcisEventSource,
  base: string,
  movement: Movement,
  only?: DomainEvent[],
): Promise<EpcisEvent[]> {
  const events: DomainEvent[] = only ? [...only] : [];
  let cursor: string | null = null;
  if (!only)
    do {
      const page = await store.events.list({ movement: movement.id }, { limit: 1000, cursor });
      events.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && events.length < MAX_EVENTS_PER_MOVEMENT);
  const sealOfDevice: Record<string, string> = {};
  for (const id of movement.devices) {
    const seal = (await store.devices.get(id))?.identifiers.sealNumber;
    if (seal) sealOfDevice[id] = seal;
  }
  const breachPosition: Record<string, LatLon> = {};
  for (const i of (await store.incidents.list({ movement: movement.id }, { limit: 500 })).items)
    if (i.code === 'seal_broken' && i.position) for (const d of i.devices) breachPosition[d] ??= i.position;
  return movementEpcisEvents(base, { movement, events, sealOfDevice, breachPosition });
}

/** The EPCIS events of every movement in the principal's scope, by eventTime then eventID. */
export async function epcisEventsInScope(
  store: EpcisEventSource,
  scopes: Pick<Scopes, 'movementsInScope'>,
  principal: Principal,
  base: string,
): Promise<EpcisEvent[]> {
  const out: EpcisEvent[] = [];
  for (const movement of await scopes.movementsInScope(principal)) out.push(...(await movementEvents(store, base, movement)));
  return out.sort((a, b) => a.eventTime.localeCompare(b.eventTime) || a.eventID.localeCompare(b.eventID));
}
