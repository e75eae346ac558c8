/**
 * The condition of each seal of a movement, as exchange documents report it (IFTSTA's 4517 seal
 * condition, EPCIS dispositions): intact, broken, or a faulty electronic seal. One rule for every
 * format, from the incidents (the operator's verdict) and the seal devices' last readings.
 */
import { isSealBroken } from '../seals/seal-transitions';
import type { Incident } from '../incidents/incident';
import type { Device, DeviceState, Movement } from '../model';

export type SealCondition = 'intact' | 'broken' | 'faulty';

export interface SealStatus {
  seal: string;
  condition: SealCondition;
  /** The device that is this seal (its registered `sealNumber`), if any: an electronic seal. */
  device: Device['id'] | null;
}

/**
 * A seal is broken when a `seal_broken` incident names it (unless closed as a false alarm), or
 * when its device reads broken while the movement is declared or in transit (after arrival the
 * officer opens it: that is no breach). It is faulty when its device has an open `device_fault`
 * incident. Otherwise it is intact ("in right condition").
 */
export function sealConditions(
  movement: Pick<Movement, 'seals' | 'status'>,
  devices: Pick<Device, 'id' | 'identifiers'>[],
  states: Pick<DeviceState, 'device' | 'seal'>[],
  incidents: Pick<Incident, 'code' | 'status' | 'outcome' | 'seals' | 'devices'>[],
): SealStatus[] {
  const guarding = movement.status === 'declared' || movement.status === 'in_transit';
  return movement.seals.map((seal) => {
    const device = devices.find((d) => d.identifiers.sealNumber === seal)?.id ?? null;
    const state = device ? states.find((s) => s.device === device) : undefined;
    const broken =
      incidents.some((i) => i.code === 'seal_broken' && i.outcome !== 'false_alarm' && i.seals.includes(seal)) ||
      (guarding && isSealBroken(state?.seal));
    const faulty = !!device && incidents.some((i) => i.code === 'device_fault' && i.status === 'open' && i.devices.includes(device));
    return { seal, device, condition: broken ? 'broken' : faulty ? 'faulty' : 'intact' };
  });
}
