/**
 * Which administration records which step of a movement. Each step is the act of the customs
 * office where it happens, so it belongs to that office's administration:
 *
 * - `start` (release for transit) — the administration of the office of departure;
 * - `arrive` and `end` (arrival, end of control) — the administration of the office of destination.
 *
 * Offices of transit see the movement but record none of these steps. The platform organisation
 * and a customs administration without a country (a whole-installation scope) record any step;
 * declaring is checked where movements are declared (custody, outside_jurisdiction). Pure: the
 * caller gives the countries of the movement's offices.
 */
import { DomainError } from '../errors';
import type { Principal } from '../access/policy';
import type { MovementAction } from './movement-lifecycle';

/** The countries (ISO 3166 alpha-2) of a movement's offices of departure and destination. */
export interface MovementCountries {
  departure: string | null;
  destination: string | null;
}

/**
 * Throws unless the principal's organisation may record `action` on a movement between these
 * countries: 403 `not_departure_administration` (start) or `not_destination_administration`
 * (arrive, end).
 */
export function assertMayRecordStep(p: Principal, action: MovementAction, countries: MovementCountries): void {
  const { kind, country, id } = p.organisation;
  if (kind === 'platform' || (kind === 'customs' && !country)) return;
  const office = action === 'start' ? 'departure' : 'destination';
  if (kind === 'customs' && country === countries[office]) return;
  const code = office === 'departure' ? 'not_departure_administration' : 'not_destination_administration';
  throw new DomainError(
    code,
    `${action === 'start' ? 'a departure' : action === 'arrive' ? 'an arrival' : 'the end of control'} is recorded by the customs administration of the office of ${office}${countries[office] ? ` (${countries[office]})` : ''}, not by ${id}`,
    { action, office, country: countries[office] },
  );
}
