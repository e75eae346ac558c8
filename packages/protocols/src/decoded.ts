/**
 * What a vendor protocol decoder produces: observations named by the device's own identifier
 * (IMEI, unique id), not yet tied to a registered device, and the bytes to answer the device.
 * Decoders are pure: bytes in, these out; no clock, no I/O.
 */
import type { NewObservation } from '@sealwatch/core';

export type DecodedObservation = Pick<NewObservation, 'position' | 'seal' | 'door' | 'sensors' | 'battery' | 'reads' | 'attributes'> & {
  /** The identifier the device sent (OsmAnd `id`, an IMEI, …). */
  identifier: string;
  /** When the observation was made (ISO 8601 UTC); null when the device sent no usable time. */
  time: string | null;
};

/**
 * What a decoder made of its input. A failure says why, and names the device (`identifier`) when the
 * input did so before it failed, so the quarantine row is found under that device.
 */
export type DecodeResult = { ok: true; observations: DecodedObservation[] } | { ok: false; detail: string; identifier?: string };

export function emptyObservation(identifier: string): DecodedObservation {
  return { identifier, time: null, position: null, seal: null, door: null, sensors: null, battery: null, reads: null, attributes: null };
}
