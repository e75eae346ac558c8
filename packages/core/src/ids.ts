/** Branded identifiers and units (DESIGN §4): a DeviceId can't be passed where a MovementId is expected. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type DeviceId = Brand<string, 'DeviceId'>;
export type MovementId = Brand<string, 'MovementId'>;
export type OfficeCode = Brand<string, 'OfficeCode'>;
export type AlertId = Brand<string, 'AlertId'>;
export type EventId = Brand<string, 'EventId'>;

/** Distance in metres. */
export type Meters = Brand<number, 'Meters'>;
/** Duration in milliseconds. */
export type Millis = Brand<number, 'Millis'>;
/** UTC timestamp as an ISO 8601 string with milliseconds, e.g. 2026-11-26T03:22:52.120Z. */
export type Timestamp = Brand<string, 'Timestamp'>;

export const asDeviceId = (s: string) => s as DeviceId;
export const asMovementId = (s: string) => s as MovementId;
export const asOfficeCode = (s: string) => s as OfficeCode;
export const asAlertId = (s: string) => s as AlertId;
export const asEventId = (s: string) => s as EventId;
export const meters = (n: number) => n as Meters;
export const millis = (n: number) => n as Millis;

/** Normalises any Date or parseable time to the canonical Timestamp form. */
export function toTimestamp(t: Date | string | number): Timestamp {
  return new Date(t).toISOString() as Timestamp;
}
