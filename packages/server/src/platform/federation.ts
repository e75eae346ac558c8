/**
 * Federation, when SEALWATCH_ADMINISTRATION (with its country and public URL) is set: the signing
 * key (made on first start, sealed like the audit key), partners, the inbox, the relay from the
 * live stream to the outbox, and the outbox's sending every few seconds. In a cluster the relay
 * runs in every process (message ids make a fact seen twice one message) and sending only where
 * the processor role runs; several processors sending claim each message first, so it goes once.
 */
import type { QuarantineBudget } from '../ingest/quarantine-budget';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { toTimestamp, type MovementId } from '@sealwatch/core';
import type { Config } from '../config/config';
import { loadServerKeyRing } from '../audit/server-key';
import type { AuditTrail } from '../audit/audit-trail';
import type { SealedSettings } from '../keys/sealed-settings';
import type { RegistryService } from '../registry/registry.service';
import type { Store } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import { countryAt } from '../transit/country-at';
import { Federation } from '../federation/federation';
import { FederationInbox } from '../federation/inbox';
import { FederationOutbox } from '../federation/outbox';
import { PartnerService } from '../federation/partners';
import { FederationRelay } from '../federation/relay';

/** Seconds between sending rounds of the outbox (each message still waits its own backoff). */
const SEND_EVERY_MS = 3000;

export async function wireFederation(p: {
  config: Readonly<Config>;
  store: Store;
  settings: Store['settings'];
  secrets: SealedSettings;
  audit: AuditTrail;
  bus: StreamBus;
  registry: RegistryService;
  now: () => number;
  newId: () => string;
  log: Logger;
  kickProcessor?: () => void;
  /** Device ingest's quarantine budget: an address pays once for what it makes the quarantine keep, by either door. */
  quarantineBudget: QuarantineBudget | null;
}): Promise<{ federation: Federation | null; stop(): Promise<void> }> {
  // Made on every first start, like the audit key: it is in place (and sealed) before federation is turned on.
  const keyRing = () => loadServerKeyRing(p.settings, p.secrets, 'federation');
  await keyRing();
  const identity = p.config.federation;
  if (!identity) return { federation: null, stop: async () => {} };
  const { store, now, newId, log, audit, bus } = p;
  const partners = new PartnerService({ store, identity, now });
  const outbox = new FederationOutbox({
    store,
    audit,
    administration: identity.administration,
    key: async () => (await keyRing()).current,
    now,
  });
  const relay = new FederationRelay({
    store,
    outbox,
    country: identity.country,
    countryAt,
    log,
    // Ed25519 signatures are deterministic: a hash of our signature over (partner, registration) is a
    // pseudonym only we can make, stable per partner (until the key rotates) and unlinkable across partners.
    pseudonym: async (partner, vehicle) =>
      createHash('sha256')
        .update((await keyRing()).current.sign(`vehicle-pseudonym|${partner}|${vehicle}`))
        .digest('base64url')
        .slice(0, 22),
  });
  const inbox = new FederationInbox({
    store,
    audit,
    bus,
    administration: identity.administration,
    country: identity.country,
    officeMaxRadiusM: p.config.custody.officeMaxRadiusM,
    quarantineBudget: p.quarantineBudget,
    countryAt,
    now,
    newId,
    arrive: async (movement: MovementId, time: string) => {
      await p.registry.changeMovement(movement, 'arrive', toTimestamp(time), null);
    },
    onObservations: p.kickProcessor,
    onUnknownKey: (partner) => {
      partners.checkKeys(partner).catch((e) => log.warn({ err: e, partner }, 'could not fetch the partner federation document'));
    },
  });
  const federation = new Federation(identity, { store, keyRing, now, partners, inbox, outbox, relay });
  const unsubscribe = bus.subscribe((m) => relay.take(m));
  let running = false;
  const timer = p.config.roles.processor
    ? setInterval(() => {
        if (running) return;
        running = true;
        outbox
          .deliver()
          .catch((e) => log.warn({ err: e }, 'federation sending failed'))
          .finally(() => (running = false));
      }, SEND_EVERY_MS)
    : null;
  timer?.unref();
  return {
    federation,
    async stop() {
      if (timer) clearInterval(timer);
      unsubscribe();
      await relay.idle();
    },
  };
}
