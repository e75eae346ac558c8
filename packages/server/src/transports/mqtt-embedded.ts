/**
 * The embedded MQTT broker of embedded mode (aedes). A device publishes one JWS per message to
 * `sealwatch/v1/devices/<id>/messages`, or one COSE message to `…/<id>/cose`, with QoS 1; the PUBACK is held back until the message is
 * durable (accepted, duplicate, or quarantined when rejected), and the result is published to
 * `sealwatch/v1/devices/<id>/results`. When ingest is overloaded the client is disconnected
 * without a PUBACK, so the device keeps the message and retries: MQTT 3.1.1 has no negative ack.
 * A device over its rate limit (SEALWATCH_RATE_DEVICE_PER_MIN) gets a `rate_limited` result and is
 * disconnected the same way.
 */
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import type { Logger } from 'pino';
import type { IngestService } from '../ingest/ingest.service';
import { rateLimitedResult, type DeviceRateLimit } from '../ingest/device-rate-limit';
import { deviceTopic, messageOf, resultsTopic } from './mqtt-topics';

export interface EmbeddedMqtt {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the broker. Resolves null (and logs why) when the port is taken, so a busy 1883/1884
 * never stops the platform from starting.
 */
export async function startEmbeddedMqtt(options: {
  port: number;
  host: string;
  ingest: IngestService;
  log: Pick<Logger, 'info' | 'warn'>;
  /** SEALWATCH_RATE_DEVICE_PER_MIN per topic device; absent or null: no limit. */
  rateLimit?: DeviceRateLimit | null;
}): Promise<EmbeddedMqtt | null> {
  const { ingest, log, rateLimit } = options;
  const publishResult = (device: string, result: object, then: () => void = () => undefined) =>
    broker.publish(
      { cmd: 'publish', topic: resultsTopic(device), payload: Buffer.from(JSON.stringify(result)), qos: 0, retain: false, dup: false },
      then,
    );
  const remoteOf = (client: { conn?: unknown } | null) =>
    client?.conn && typeof client.conn === 'object' && 'remoteAddress' in client.conn ? String(client.conn.remoteAddress) : null;
  const broker = await Aedes.createBroker({
    maxClientsIdLength: 128,
    // MQTT lets a new connection with a client id take the session of that id over, and devices
    // are not authenticated by their connection (each message carries its signature): anyone could
    // keep a device off the broker by connecting under its id. A live session is therefore taken
    // over only from the same address (a device reconnecting through its own link); from another
    // address the newcomer is refused (CONNACK 2, identifier rejected) until the old session ends,
    // at the latest 1.5 keep-alive periods after the device went silent.
    authenticate(client, _username, _password, callback) {
      // Aedes keeps its live sessions in `clients` (not in its typings).
      const sessions = (broker as unknown as { clients: Record<string, { closed?: boolean; conn?: unknown } | undefined> }).clients;
      const current = sessions[client.id];
      if (current && !current.closed && remoteOf(current) !== remoteOf(client)) {
        const error = Object.assign(new Error(`client id ${client.id} is connected from another address`), { returnCode: 2 });
        return callback(error as never, false);
      }
      callback(null, true);
    },
    authorizePublish(client, packet, callback) {
      if (!client) return callback(null);
      const target = deviceTopic(packet.topic);
      if (!target) return callback(new Error(`publishing to ${packet.topic} is not allowed`));
      const { device } = target;
      // Over its limit: told why on its results topic and disconnected without a PUBACK, so the
      // device keeps the message and sends it again (MQTT 3.1.1 has no negative ack; HTTP says 429).
      const raw = messageOf(target.form, Buffer.from(packet.payload));
      const remote = remoteOf(client);
      (rateLimit ? rateLimit.admit(device) : Promise.resolve(0))
        .then((wait) => {
          if (wait > 0) {
            // The disconnect waits for the result to be written, or the device would never see why.
            return publishResult(device, rateLimitedResult(device, wait), () =>
              setTimeout(() => callback(new Error(`device ${device} is over its rate limit; retry after ${wait} s`)), 20),
            );
          }
          return ingest.ingest([raw], { transport: 'mqtt', remote, device }).then(([result]) => {
            rateLimit?.charge([result]);
            publishResult(device, result);
            callback(null);
          });
        })
        .catch((e: Error) => callback(e));
    },
    authorizeSubscribe(client, sub, callback) {
      // A device may follow only its own results.
      if (sub.topic === resultsTopic(client.id)) return callback(null, sub);
      callback(null, null); // refused: SUBACK 0x80, the connection stays up
    },
    // Nothing published by devices is forwarded to other clients: messages go to ingest only.
    authorizeForward(_client, packet) {
      return deviceTopic(packet.topic) ? null : packet;
    },
  });
  const server: Server = createServer(broker.handle as never);
  const bound = await new Promise<number | null>((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      log.warn(
        { port: options.port, code: e.code },
        `embedded MQTT broker not started: port ${options.port} is busy (set SEALWATCH_MQTT_PORT to another port, or off)`,
      );
      resolve(null);
    });
    server.listen(options.port, options.host, () => resolve((server.address() as { port: number }).port));
  });
  if (bound === null) {
    await new Promise<void>((r) => broker.close(() => r()));
    return null;
  }
  log.info({ port: bound }, 'embedded MQTT broker listening');
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        broker.close(() => server.close(() => resolve()));
      }),
  };
}
