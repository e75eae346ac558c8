/**
 * The services behind the API: registry (devices, offices, movements), alerts, incidents, risk, the device
 * command queue, HTTP device integrations, and the policy's data scopes. Arrival of a movement
 * proposes its lane (a risk assessment).
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import { Scopes } from '../access/scope';
import { AlertService } from '../alerts/alert.service';
import { CommandService } from '../commands/command.service';
import { IncidentService } from '../incidents/incident.service';
import type { DeviceDirectory } from '../ingest/device-directory';
import type { VendorIngestService } from '../ingest/vendor-ingest';
import { DeviceIntegrations } from '../integrations/device-integrations';
import { IntegrationTokens } from '../integrations/integration-tokens';
import { PendingDevices } from '../integrations/pending-devices';
import type { DeviceKeyService } from '../keys/device-keys.service';
import type { Mutex } from '../processing/mutex';
import { RegistryService } from '../registry/registry.service';
import { CustodyService } from '../custody/custody.service';
import { makeKeyChangeGuard, type KeyChangeGuard } from '../custody/key-change-alert';
import { countryAt } from '../transit/country-at';
import { RiskService } from '../risk/risk.service';
import type { StreamBus } from '../stream/stream-bus';
import type { OpenedStore } from './store';

export interface ServiceParts {
  registry: RegistryService;
  alerts: AlertService;
  incidents: IncidentService;
  risk: RiskService;
  commands: CommandService;
  /** Device custody (grants, one movement per device, office bounds) and key changes during a movement. */
  custody: CustodyService;
  keyChanges: KeyChangeGuard;
  scopes: Scopes;
  integrations: { tokens: IntegrationTokens; devices: DeviceIntegrations; pending: PendingDevices };
}

export async function wireServices(p: {
  config: Readonly<Config>;
  opened: OpenedStore;
  bus: StreamBus;
  alertLock: Mutex;
  now: () => number;
  newId: () => string;
  log: Logger;
  devices: DeviceDirectory;
  deviceChanged: (id: string) => void;
  deviceKeys: DeviceKeyService;
  vendorIngest: VendorIngestService;
}): Promise<ServiceParts> {
  const {
    config,
    opened: { store, audit, master },
    bus,
    now,
    newId,
    log,
    devices,
  } = p;
  const risk = new RiskService({ store, audit, now, newId });
  await risk.start();
  const custody = new CustodyService({ store, now, newId, bounds: config.custody, countryAt });
  const scopes = new Scopes(store);
  const keyChanges = makeKeyChangeGuard({ store, bus, alertLock: p.alertLock, now, newId });
  const registry = new RegistryService({
    store,
    bus,
    now,
    newId,
    onDeviceChanged: p.deviceChanged,
    keys: p.deviceKeys,
    custody,
    scopes,
    // Arrival proposes the lane. The arrival itself is already stored: a failed assessment is logged, and can be asked for again.
    onMovementChanged: async (m, action) => {
      if (action !== 'arrive') return;
      await risk
        .assess(m.id, 'arrival')
        .catch((e: Error) => log.warn({ err: e.message, movement: m.id }, 'risk assessment on arrival failed'));
    },
  });
  const alerts = new AlertService({ alerts: store.alerts, bus, alertLock: p.alertLock, now });
  const incidents = new IncidentService({ store, bus, alertLock: p.alertLock, now });
  const integrations = {
    tokens: new IntegrationTokens({ store: store.integrations, now, newId }),
    devices: new DeviceIntegrations({ ingest: p.vendorIngest, devices, lorawanProfiles: config.lorawanProfiles }),
    pending: new PendingDevices({ store: store.pendingDevices, registry }),
  };
  // The device command queue: queued through the API, delivered by the vendor listeners.
  const commands = new CommandService({
    store,
    scopes,
    audit: (entries) => audit.record(entries),
    deviceByIdentifier: (id) => devices.getByIdentifier(id),
    now,
    newId,
    ttlMs: config.commandTtlS * 1000,
    box: master.box,
    custody,
    unlockPositionMaxAgeMs: config.custody.unlockPositionMaxAgeMs,
  });
  return { registry, alerts, incidents, risk, commands, custody, keyChanges, scopes, integrations };
}
