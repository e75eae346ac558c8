/**
 * The gateway side of an external MQTT broker (cluster mode: Mosquitto, EMQX). Devices publish
 * one JWS per message to `sealwatch/v1/devices/<id>/messages` (DESIGN §5), or one COSE message to
 * `…/<id>/cose` (docs/native-protocol.md); every gateway process
 * connects as a client to the same shared subscription `$share/<group>/…`, so the broker splits
 * the messages between them. Each QoS 1 delivery is acknowledged (PUBACK) only after ingest has
 * made it durable or quarantined it; its result is then published to `…/<id>/results` (QoS 0).
 *
 * Why it is built this way (measured against Mosquitto 2.0.11 and mqtt.js 5.16):
 * - MQTT 5 is required: mqtt.js honours `customHandleAcks` only when `protocolVersion` is 5 and
 *   otherwise sends the PUBACK at once. Mosquitto accepts shared subscriptions over MQTT 5.
 * - `clean: false` alone keeps nothing in MQTT 5: the session (the subscription and every
 *   unacknowledged or queued delivery) survives a disconnect only for `sessionExpiryInterval`.
 *   With it, a gateway that dies mid-ingest gets its unacknowledged deliveries again (DUP) when it
 *   reconnects with the same client id. Ingest is idempotent, so a redelivery is a `duplicate`.
 * - mqtt.js handles inbound packets one at a time: the next packet is parsed only once the current
 *   delivery has been acknowledged, and meanwhile the socket is not read (stream backpressure).
 *   So at most one delivery is in ingest per connection, and the broker holds at most
 *   `maxInFlight` more (MQTT 5 Receive Maximum) in our socket buffers; everything else waits
 *   at the broker. Batching deliveries into one ingest call is therefore impossible with mqtt.js'
 *   public API; the group committer still batches concurrent gateways into one commit.
 * - An ack belongs to one connection: after a reconnect the broker redelivers with the same packet
 *   ids, so a late ack from the old connection could acknowledge another message. Acks of a
 *   connection that has closed are dropped, and the redelivery is ingested again instead.
 * - The broker must not drop what it queues for a session. Mosquitto round-robins a share group
 *   over offline members too, and past `max_queued_messages` (default 1000) it silently drops QoS 1
 *   messages for a slow or absent gateway (measured: 1965 of a 3000-message burst to one gateway).
 *   Run it with `max_queued_messages 0`; EMQX's equivalent is `mqtt.max_mqueue_len`.
 * - A device over its rate limit (SEALWATCH_RATE_DEVICE_PER_MIN) cannot be held back without
 *   holding every other device behind it: its delivery is acknowledged without ingest and a
 *   `rate_limited` result (with retryAfterS) is published on its results topic.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { IngestOverloadedError } from '../ingest/group-commit';
import type { IngestResult, IngestService } from '../ingest/ingest.service';
import { rateLimitedResult, type DeviceRateLimit } from '../ingest/device-rate-limit';
import { deviceTopic, messageOf, resultsTopic, sharedCoseFilter, sharedMessagesFilter } from './mqtt-topics';

export interface ExternalMqttOptions {
  /** Broker URL, e.g. `mqtt://user:pass@broker:1883` or `mqtts://…`; the password is never logged. */
  url: string;
  /** Share group: every gateway of one platform uses the same group and splits the messages. */
  group: string;
  /** Stable per gateway process (e.g. the host name): it names the persistent session. */
  clientId: string;
  ingest: Pick<IngestService, 'ingest'>;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Most unacknowledged deliveries the broker may send ahead (MQTT 5 Receive Maximum). Default 20. */
  maxInFlight?: number;
  /** How long the broker keeps the session while the gateway is away, seconds. Default 7 days. */
  sessionExpiryS?: number;
  /** Overload retry backoff, ms: doubles from `initialMs` up to `maxMs`. Default 100 → 5000. */
  retry?: { initialMs: number; maxMs: number };
  /** Give up starting when no connection is made within this time, ms. Default 30 s. */
  startTimeoutMs?: number;
  /** Delay between reconnection attempts, ms. Default 1000. */
  reconnectPeriodMs?: number;
  /** SEALWATCH_RATE_DEVICE_PER_MIN per topic device; absent or null: no limit. */
  rateLimit?: DeviceRateLimit | null;
}

export interface ExternalMqttStats {
  connected: boolean;
  /** Deliveries received from the broker, redeliveries included. */
  delivered: number;
  /** Deliveries marked DUP by the broker: sent before and never acknowledged. */
  redelivered: number;
  /** PUBACKs sent, each after ingest resolved. */
  acked: number;
  /** Ingest attempts that threw (overloaded or failed) and were retried later. */
  retries: number;
  /** Deliveries left unacknowledged because their connection closed; the broker redelivers them. */
  abandoned: number;
  /** Deliveries being ingested now. */
  inFlight: number;
  /** Deliveries of devices over their rate limit: acknowledged, not ingested, the device told on its results topic. */
  rateLimited: number;
}

export interface ExternalMqttGateway {
  /** Disconnects. Deliveries still in ingest are not acknowledged: the session gets them again. */
  close(): Promise<void>;
  stats(): ExternalMqttStats;
}

type Ack = (code: number) => void;

/** Connects, subscribes to the shared messages filter, and resolves once the subscription is granted. */
export async function startExternalMqttGateway(options: ExternalMqttOptions): Promise<ExternalMqttGateway> {
  const { ingest, log, group, clientId } = options;
  if (!/^[^/+#]+$/.test(group)) throw new Error(`MQTT share group must be non-empty without / + #: ${JSON.stringify(group)}`);
  if (!clientId) throw new Error('MQTT client id must not be empty');
  const broker = redactUrl(options.url);
  const retry = options.retry ?? { initialMs: 100, maxMs: 5000 };
  const stats: ExternalMqttStats = {
    connected: false,
    delivered: 0,
    redelivered: 0,
    acked: 0,
    retries: 0,
    abandoned: 0,
    inFlight: 0,
    rateLimited: 0,
  };
  // Bumped on every CONNACK and every close: an ack may only go out on the connection that delivered.
  let connection = 0;
  let closing = false;
  let overloaded = false;
  let lastError = '';
  const wakers = new Set<() => void>();

  const client: MqttClient = mqtt.connect(options.url, {
    clientId,
    protocolVersion: 5,
    clean: false,
    properties: { sessionExpiryInterval: options.sessionExpiryS ?? 7 * 24 * 3600, receiveMaximum: options.maxInFlight ?? 20 },
    reconnectPeriod: options.reconnectPeriodMs ?? 1000,
    connectTimeout: 10_000,
    // Results are QoS 0 and only useful now: never queue them in memory while disconnected.
    queueQoSZero: false,
    customHandleAcks: (topic, message, packet, done) => {
      handleDelivery(topic, message, Boolean(packet.dup), done).catch((e: unknown) =>
        log.error({ err: e, broker }, 'MQTT delivery failed; left unacknowledged'),
      );
    },
  });

  async function handleDelivery(topic: string, message: Buffer, dup: boolean, ack: Ack): Promise<void> {
    const delivery = connection;
    const live = () => !closing && delivery === connection;
    stats.delivered++;
    if (dup) stats.redelivered++;
    stats.inFlight++;
    try {
      const target = deviceTopic(topic);
      // Over its limit: holding the ack would stall every device behind it (mqtt.js takes one
      // delivery at a time), so it is acknowledged unread and the device told to send it again.
      const wait = target && options.rateLimit ? await options.rateLimit.admit(target.device) : 0;
      if (wait > 0 && live()) {
        ack(0);
        stats.acked++;
        stats.rateLimited++;
        client.publish(resultsTopic(target!.device), JSON.stringify(rateLimitedResult(target!.device, wait)), { qos: 0 }, () => undefined);
        return;
      }
      const result = await ingestUntilDurable(messageOf(target?.form ?? 'jws', message), target?.device, live);
      if (result) options.rateLimit?.charge([result]);
      // Without a live connection the ack is not sent: the session redelivers and ingest dedupes.
      if (!result || !live()) {
        stats.abandoned++;
        return;
      }
      ack(0);
      stats.acked++;
      const device = target?.device;
      if (device) client.publish(resultsTopic(device), JSON.stringify(result), { qos: 0 }, () => undefined);
    } finally {
      stats.inFlight--;
    }
  }

  /** Ingests one message, retrying while ingest throws; null when the connection went away first. */
  async function ingestUntilDurable(raw: string | Buffer, device: string | undefined, live: () => boolean): Promise<IngestResult | null> {
    for (let attempt = 0; live(); attempt++) {
      try {
        const [result] = await ingest.ingest([raw], { transport: 'mqtt', remote: null, device });
        if (overloaded) {
          overloaded = false;
          log.info({ broker }, 'ingest keeps up again; MQTT deliveries flow');
        }
        return result;
      } catch (e) {
        stats.retries++;
        if (!(e instanceof IngestOverloadedError))
          log.error({ err: e, broker }, 'ingest failed; the MQTT delivery stays unacknowledged and is retried');
        else if (!overloaded) {
          overloaded = true;
          log.warn({ broker }, 'ingest overloaded; holding MQTT acks and retrying (the broker keeps the backlog)');
        }
        const ceiling = Math.min(retry.maxMs, retry.initialMs * 2 ** Math.min(attempt, 20));
        await sleep(ceiling / 2 + Math.random() * (ceiling / 2));
      }
    }
    return null;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });
  }

  // 'packetreceive' runs in packet order, before any delivery of the new connection is handled;
  // 'connect' fires later, after mqtt.js has replayed its own outgoing store.
  client.on('packetreceive', (packet) => {
    if (packet.cmd === 'connack') connection++;
  });
  client.on('connect', (connack) => {
    stats.connected = true;
    lastError = '';
    log.info({ broker, clientId, group, sessionPresent: connack.sessionPresent }, 'connected to MQTT broker');
  });
  client.on('close', () => {
    connection++;
    for (const wake of [...wakers]) wake();
    if (stats.connected && !closing) log.warn({ broker, clientId }, 'disconnected from MQTT broker; reconnecting');
    stats.connected = false;
  });
  client.on('disconnect', (packet) => {
    // 0x8E: another client connected with our id; two gateways must never share a client id.
    log.warn(
      { broker, clientId, reasonCode: packet.reasonCode },
      packet.reasonCode === 0x8e
        ? 'MQTT session taken over by another client with the same client id'
        : 'MQTT broker closed the connection',
    );
  });
  client.on('error', (e: Error & { code?: string | number }) => {
    // Reconnection attempts repeat the same error every period: log each cause once.
    if (e.message === lastError) return;
    lastError = e.message;
    log.warn({ broker, clientId, code: e.code, err: e.message }, 'MQTT connection error');
  });

  const close = async () => {
    if (closing) return;
    closing = true;
    for (const wake of [...wakers]) wake();
    const ended = client.endAsync(); // DISCONNECT after the acks already written, then FIN
    // A delivery left unacknowledged holds mqtt.js' packet pump, and a socket that is not read
    // never sees the broker's FIN. Deliveries after DISCONNECT are never acknowledged anyway, so
    // drain them unread. Destroying the socket instead would reset it (RST) with unread data, and
    // the broker would lose the acks still in its receive buffer: needless redeliveries.
    client.stream?.unpipe();
    client.stream?.resume();
    const stuck = setTimeout(() => client.stream?.destroy(), 2000);
    try {
      await ended;
    } finally {
      clearTimeout(stuck);
    }
  };

  try {
    await waitForConnection(client, broker, options.startTimeoutMs ?? 30_000, () => lastError);
    const filters = [sharedMessagesFilter(group), sharedCoseFilter(group)];
    const granted = await client.subscribeAsync(filters, { qos: 1 });
    const refused = filters.find((_, i) => granted[i]?.qos !== 1);
    if (refused) throw new Error(`MQTT broker ${broker} granted ${refused} with code ${granted[filters.indexOf(refused)]?.qos}, not QoS 1`);
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
  log.info({ broker, clientId, group, filter: sharedMessagesFilter(group) }, 'MQTT gateway subscribed');
  return { close, stats: () => ({ ...stats }) };
}

function waitForConnection(client: MqttClient, broker: string, timeoutMs: number, lastError: () => string): Promise<void> {
  if (client.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('connect', done);
      reject(new Error(`MQTT broker ${broker} not reachable within ${timeoutMs} ms${lastError() ? `: ${lastError()}` : ''}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('connect', done);
  });
}

/** The URL with its password replaced, fit for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid MQTT URL>';
  }
}
