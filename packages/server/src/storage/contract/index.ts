/**
 * The storage contract: the behaviour every adapter (SQLite, PostgreSQL) must show. An adapter's
 * test file calls `runStoreContract('sqlite', open)`; each test opens a fresh, empty store. One
 * file per store in this folder; their builders and helpers are in fixtures.ts.
 */
import { describe, test } from 'node:test';
import type { Store } from '../ports';
import { buildMovement } from './fixtures';
import { devicesContract } from './devices';
import { officesContract } from './offices';
import { movementsContract } from './movements';
import { observationsContract } from './observations';
import { trackContract } from './track';
import { quarantineContract } from './quarantine';
import { eventsContract } from './events';
import { visibilityContract } from './visibility';
import { alertsContract } from './alerts';
import { processingContract } from './processing';
import { auditContract } from './audit';
import { accessContract } from './access';
import { riskStoreContract } from './risk';
import { transitStoreContract } from './transit';
import { incidentStoreContract } from './incident';
import { deviceKeyStoreContract } from './device-key';
import { commandStoreContract } from './command';
import { webhookStoreContract } from './webhook';
import { custodyStoreContract } from './custody';
import { notificationStoreContract } from './notification';
import { runIntegrationContract } from './integration';
import { settingsContract } from './settings';
import { federationContract } from './federation';
import { partitionOwnersContract } from './partition-owners';
import { captureJobsContract } from './capture-jobs';
import { epcisSubscriptionsContract } from './epcis-subscriptions';
import { epcisQueriesContract } from './epcis-queries';

/** Registers the contract tests for one adapter; `open` must give a fresh, empty store each call. */
export function runStoreContract(label: string, open: () => Promise<Store>): void {
  const withStore = (fn: (store: Store) => Promise<void>) => async () => {
    const store = await open();
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };

  describe(`${label} store contract`, () => {
    test(
      'ping resolves on an open store',
      withStore(async (s) => {
        await s.ping();
      }),
    );

    devicesContract(withStore);
    partitionOwnersContract(withStore);
    officesContract(withStore);
    movementsContract(withStore);
    observationsContract(withStore);
    trackContract(withStore);
    quarantineContract(withStore);
    eventsContract(withStore);
    visibilityContract(withStore);
    alertsContract(withStore);
    processingContract(withStore);
    auditContract(withStore);
    accessContract(withStore);
    riskStoreContract(withStore);
    transitStoreContract(withStore);
    incidentStoreContract(withStore, buildMovement);
    deviceKeyStoreContract(withStore);
    commandStoreContract(withStore);
    webhookStoreContract(withStore);
    custodyStoreContract(withStore);
    notificationStoreContract(withStore);
    runIntegrationContract(withStore);
    settingsContract(withStore);
    federationContract(withStore);
    captureJobsContract(withStore);
    epcisSubscriptionsContract(withStore);
    epcisQueriesContract(withStore);
  });
}
