/**
 * The work that runs on timers. In a cluster, what must run once runs on the processor that owns
 * partition 0: the transit rules, escalation of alerts nobody acknowledged in time, webhook
 * sending, expiry of unanswered commands. Retention and audit checkpoints run where the API runs
 * (idempotent if several API processes run them).
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import { AlertEscalator } from '../alerts/alert-escalation';
import type { AuditTrail } from '../audit/audit-trail';
import type { ClusterRuntime } from '../cluster/cluster-runtime';
import type { CommandService } from '../commands/command.service';
import type { AccessService } from '../access/access.service';
import type { Scopes } from '../access/scope';
import type { MovementId, Principal } from '@sealwatch/core';
import { WebhookDispatcher } from '../notify/webhook-dispatcher';
import { EpcisSubscriptionFeed } from '../exchange/epcis-subscriptions';
import { EmailDispatcher } from '../notify/email-dispatcher';
import { smtpSender } from '../notify/smtp';
import type { Mutex } from '../processing/mutex';
import { RetentionService } from '../retention/retention.service';
import type { Store } from '../storage/ports';
import type { StreamBus } from '../stream/stream-bus';
import { TransitMonitor } from '../transit/transit-monitor';
import { outboundRefusal } from '../notify/outbound-address';
import { webhookOwner } from '../notify/webhook-owner';

export interface Schedules {
  transit: TransitMonitor;
  escalation: AlertEscalator;
  webhooks: WebhookDispatcher;
  /** EPCIS standing queries: what they report is queued as their webhooks' deliveries. */
  epcisSubscriptions: EpcisSubscriptionFeed;
  /** Incident e-mails; null when no SMTP server is configured. */
  emails: EmailDispatcher | null;
  stop(): Promise<void>;
}

export function startSchedules(p: {
  config: Readonly<Config>;
  store: Store;
  audit: AuditTrail;
  bus: StreamBus;
  alertLock: Mutex;
  now: () => number;
  newId: () => string;
  log: Logger;
  cluster: ClusterRuntime | null;
  commands: CommandService;
  access: Pick<AccessService, 'principalOf'>;
  scopes: Pick<Scopes, 'canSee' | 'movementsInScope'>;
}): Schedules {
  const { config, store, bus, alertLock, now, newId, log, cluster } = p;
  const ownsPartition0 = () => !cluster || cluster.ownedPartitions().includes(0);
  const leader = () => config.roles.processor && ownsPartition0();

  // Transit rules run where observations are processed; in a cluster only on the owner of partition 0.
  const transit = new TransitMonitor({ store, bus, alertLock, now, newId, log, isLeader: ownsPartition0 });
  if (config.roles.processor && config.transitEvalMs > 0) transit.schedule(config.transitEvalMs);
  // Escalation and webhook sending run on the same one process; every process sees alerts on the bus.
  const escalation = new AlertEscalator({
    alerts: store.alerts,
    bus,
    alertLock,
    now,
    afterS: config.alertEscalateS,
    log,
    isLeader: leader,
  });
  const canSeeMovement = async (principal: Principal, id: string) => {
    const m = await store.movements.get(id as MovementId);
    return !!m && (await p.scopes.canSee(principal, m));
  };
  const ownerOf = webhookOwner({ users: store.access, access: p.access });
  const webhooks = new WebhookDispatcher({
    store: store.webhooks,
    mutes: store.incidents,
    ownerOf,
    canSeeMovement,
    bus,
    now,
    newId,
    log,
    isLeader: leader,
    refusal: config.webhookAllowPrivate ? undefined : (url) => outboundRefusal(url),
  });
  const epcisSubscriptions = new EpcisSubscriptionFeed({
    store,
    scopes: p.scopes,
    ownerOf,
    audit: p.audit,
    bus,
    now,
    newId,
    log,
    isLeader: leader,
  });
  const smtp = config.smtp ? smtpSender(config.smtp.url) : null;
  const emails = smtp
    ? new EmailDispatcher({
        store: store.notifications,
        incidents: store.incidents,
        users: {
          get: (id) => store.access.getUser(id),
          getByUsername: (u) => store.access.getUserByUsername(u),
          principalOf: (u) => p.access.principalOf(u),
        },
        canSeeMovement,
        bus,
        send: smtp.send,
        from: config.smtp!.from,
        consoleUrl: config.federation?.publicUrl ?? null,
        now,
        newId,
        log,
        isLeader: leader,
      })
    : null;
  if (config.roles.processor) {
    escalation.schedule(Math.min(30_000, Math.max(1000, config.alertEscalateS * 250)));
    webhooks.schedule(2000);
    epcisSubscriptions.schedule(1000);
    emails?.schedule(2000);
  }

  const expireCommands = setInterval(
    () => {
      if (!leader()) return;
      p.commands.expireDue().catch((e: Error) => log.warn({ err: e.message }, 'command expiry failed; retrying at the next interval'));
    },
    Math.min(30_000, Math.max(1000, config.commandTtlS * 250)),
  );
  expireCommands.unref();

  const retention = new RetentionService({ store, policy: config.retention, now, log, audit: p.audit });
  if (config.roles.api) retention.schedule(3_600_000);
  const stopCheckpoints =
    config.roles.api && config.auditCheckpointMs > 0
      ? p.audit.startCheckpoints(config.auditCheckpointMs, (e) =>
          log.warn({ err: e.message }, 'audit checkpoint failed; retrying at the next interval'),
        )
      : () => {};

  return {
    transit,
    escalation,
    webhooks,
    epcisSubscriptions,
    emails,
    async stop() {
      retention.stop();
      clearInterval(expireCommands);
      stopCheckpoints();
      await transit.stop();
      await escalation.stop();
      await epcisSubscriptions.stop();
      await webhooks.stop();
      await emails?.stop();
      smtp?.close();
    },
  };
}
