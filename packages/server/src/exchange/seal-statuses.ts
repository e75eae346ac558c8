/** Loads what core's sealConditions needs for one movement: its seal devices, their states, its incidents. */
import { sealConditions, type Device, type Movement, type SealStatus } from '@sealwatch/core';
import type { Store } from '../storage/ports';

export async function loadSealStatuses(store: Pick<Store, 'devices' | 'processing' | 'incidents'>, m: Movement): Promise<SealStatus[]> {
  const devices = (await Promise.all(m.devices.map((id) => store.devices.get(id)))).filter((d): d is Device => !!d);
  const states = await store.processing.deviceStates(m.devices);
  const incidents = (await store.incidents.list({ movement: m.id }, { limit: 500 })).items;
  return sealConditions(m, devices, states, incidents);
}
