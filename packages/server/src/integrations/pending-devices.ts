/**
 * Unknown vendor devices waiting for an operator (SEALWATCH_PENDING_DEVICES). Vendor
 * ingest lists each unknown identifier (IMEI, DevEUI, reader id) with its protocol while still
 * quarantining what it sent; approving registers the device under that identifier, so its next
 * frame is accepted. Nothing quarantined before the approval is replayed: it stays evidence.
 *
 * An identifier reported through an organisation's integration is that organisation's: it alone
 * (and the platform) lists and approves it. One that came through a listener, the platform's
 * integrations or several organisations is the platform's alone; to anyone else it does not exist.
 */
import { asDeviceId, DomainError, type Device, type DeviceClass, type DeviceKind, type Principal } from '@sealwatch/core';
import type { RegistryService } from '../registry/registry.service';
import type { Page, PageRequest, PendingDevice, PendingDeviceStore } from '../storage/ports';

export interface Approval {
  class: DeviceClass;
  kind: DeviceKind;
  reportIntervalS?: number | null;
  owner?: string | null;
}

export class PendingDevices {
  constructor(private readonly deps: { store: PendingDeviceStore; registry: RegistryService }) {}

  /** The pending devices the principal may see: the platform all, others their organisation's. */
  list(p: Principal, page: PageRequest): Promise<Page<PendingDevice>> {
    return this.deps.store.list(page, p.organisation.kind === 'platform' ? undefined : { organisation: p.organisation.id });
  }

  /**
   * Registers the pending identifier as a device of its latest protocol (id = identifier; a
   * 15-digit identifier is also kept as the IMEI) and removes it from the list.
   * Throws unknown_pending_device (also for another organisation's), or device_exists if it was
   * registered meanwhile.
   */
  async approve(p: Principal, identifier: string, approval: Approval): Promise<Device> {
    const pending = await this.deps.store.get(identifier);
    if (!pending || (p.organisation.kind !== 'platform' && pending.organisation !== p.organisation.id)) {
      throw new DomainError('unknown_pending_device', `no pending device ${identifier}`);
    }
    const device = await this.deps.registry.createDevice({
      id: asDeviceId(identifier),
      class: approval.class,
      kind: approval.kind,
      protocol: pending.protocol,
      identifiers: /^\d{15}$/.test(identifier) ? { imei: identifier } : {},
      reportIntervalS: approval.reportIntervalS ?? null,
      key: null,
      owner: approval.owner ?? null,
    });
    await this.deps.store.remove(identifier);
    return device;
  }
}
