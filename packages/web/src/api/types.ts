/** Names for the API's item types, taken from the generated document types. */
import type { Response } from './client';

type ItemOf<T> = T extends { items: (infer I)[] } ? I : never;

export type Movement = ItemOf<Response<'/api/v1/movements', 'get'>>;
export type Alert = ItemOf<Response<'/api/v1/alerts', 'get'>>;
export type Incident = ItemOf<Response<'/api/v1/incidents', 'get'>>;
export type MovementMute = ItemOf<Response<'/api/v1/mutes', 'get'>>;
export type Office = ItemOf<Response<'/api/v1/offices', 'get'>>;
export type Device = ItemOf<Response<'/api/v1/devices', 'get'>>;
export type Observation = ItemOf<Response<'/api/v1/devices/{id}/observations', 'get'>>;
export type DomainEvent = ItemOf<Response<'/api/v1/movements/{id}/events', 'get'>>;
export type NewMovement = NonNullable<Parameters<typeof import('./client').post<'/api/v1/movements'>>[1]>['body'];
export type Area = Office['area'];
export type Severity = Alert['severity'];
export type AlertStatus = Alert['status'];
export type MovementStatus = Movement['status'];
export type Seal = NonNullable<Observation['seal']>;

/** The movement's risk assessment once risk scoring is served (DESIGN §6); absent before. */
export interface RiskAssessment {
  score: number;
  lane: 'red' | 'yellow' | 'blue' | 'green';
  indicators: { code?: string; name?: string; label?: string; weight?: number; contribution?: number; value?: unknown; reason?: string }[];
  profileVersion?: string | number;
}

/** NCTS control results recorded at the office of destination (federation). */
export interface ControlResults {
  result: 'A1' | 'A2' | 'A3' | 'A4' | 'A5' | 'B1';
  stateOfSeals: 'ok' | 'not_ok';
  comment?: string;
  time: string;
}

/** What federation adds to a movement (docs/federation.md): `origin` on a partner's copy, `sharedWith` on ours. */
export interface MovementFederation {
  /** `leftAt`: when it left this country (a border crossing out, as the partner said). */
  origin?: { partner: string; movement: string; leftAt?: string };
  controlResults?: ControlResults;
  sharedWith?: { partner: string; controlResults: ControlResults | null }[];
}

/** A movement as the console keeps it: the API item, plus risk when the server sends it, plus its federation. */
export type MovementWithRisk = Movement & { risk?: RiskAssessment | null } & MovementFederation;
