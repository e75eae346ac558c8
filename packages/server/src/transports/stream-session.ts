/**
 * What the listener does with each step a protocol's stream session gives (FrameStep, in
 * packages/protocols/src/descriptor.ts), the same for every TCP protocol: refuse and quarantine,
 * identify the device (asked once per connection), ingest until durable, answer only then, close
 * when the device is not registered for the protocol, and deliver queued commands after a served frame.
 */
import type { Logger } from 'pino';
import { assertUnreachable } from '@sealwatch/core';
import { emptyObservation, type FrameStep, type ProtocolDescriptor, type StreamFrame } from '@sealwatch/protocols';
import type { CommandDelivery } from '../commands/command.service';
import { openCommandSession } from '../commands/listener-commands';
import type { TcpConnection, TcpSession } from './tcp-listener';
import { refusedDevice } from './vendor-listener';

export interface StreamServing {
  /** Whether a device with this identifier is registered for the protocol. */
  knows: (identifier: string) => Promise<boolean>;
  /** The command queue; absent, or a protocol without commands: none are delivered. */
  commands?: CommandDelivery;
  log: Pick<Logger, 'info' | 'warn'>;
  /** The protocol's own settings (e.g. eSeal's `startupConfig`). */
  settings?: Readonly<Record<string, string>>;
}

/** The TCP session of one connection of protocol `p`. */
export function openStreamSession(p: ProtocolDescriptor, c: TcpConnection, o: StreamServing): TcpSession<StreamFrame> {
  const session = p.openStream!(o.settings);
  /** Identifiers found registered on this connection: asked once. */
  const known = new Set<string>();
  let device: string | null = null;
  const commands =
    o.commands && p.commands
      ? openCommandSession(
          p.name,
          p.commands,
          o.commands,
          {
            write: (b) => c.socket.write(b),
            get closed() {
              return c.closed;
            },
          },
          (id) => session.commandAddress?.(id) ?? { identifier: id },
        )
      : null;

  const identify = async (bytes: Buffer, s: Extract<FrameStep, { do: 'identify' }>): Promise<void> => {
    device = s.identifier;
    if (!known.has(s.identifier)) {
      const registered = await o.knows(s.identifier);
      if (c.closed) return;
      if (!registered) {
        // Quarantined under the reason ingest gives (unknown_device, listed as pending when
        // SEALWATCH_PENDING_DEVICES is on, or protocol_mismatch), with the frame's bytes.
        const results = await c.ingestDurably(bytes, { ok: true, observations: [emptyObservation(s.identifier)] });
        if (results === null || c.closed) return;
        if (s.refusal) c.socket.write(s.refusal);
        o.log.info(
          { remote: c.remote, device: s.identifier },
          `${p.label} device refused: none registered for ${p.name} with this identifier`,
        );
        return c.end();
      }
      known.add(s.identifier);
    }
    session.identified?.(s.identifier);
    if (s.reply) c.socket.write(s.reply);
    await commands?.afterFrame({ bytes, results: [], observations: [], identifier: s.identifier });
  };

  const ingest = async (bytes: Buffer, s: Extract<FrameStep, { do: 'ingest' }>): Promise<void> => {
    const results = await c.ingestDurably(bytes, s.decoded);
    if (results === null || c.closed) return;
    if (!s.decoded.ok) {
      // Quarantined with its reason; with `keep` the next frame is still in step.
      if (s.onMalformed === 'close') c.close(`malformed frame quarantined: ${s.decoded.detail}`, 'warn');
      return;
    }
    if (results.some(refusedDevice)) return c.close(`device not registered for ${p.name}`, 'warn');
    const identifier = s.decoded.observations[0]?.identifier;
    if (identifier) {
      device = identifier;
      known.add(identifier);
    }
    // Every observation is now durable: stored, or quarantined with its reason (e.g. clock_skew).
    if (s.reply) c.socket.write(s.reply);
    if (identifier) await commands?.afterFrame({ bytes, results, observations: s.decoded.observations, identifier });
  };

  const handle = async (f: StreamFrame): Promise<void> => {
    const bytes = f.bytes ?? Buffer.alloc(0);
    const s = session.step(f);
    switch (s.do) {
      case 'skip':
        return;
      case 'refuse':
        return c.refuse(bytes, s.detail, s.why);
      case 'identify':
        return identify(bytes, s);
      case 'ingest':
        return ingest(bytes, s);
      default:
        assertUnreachable(s);
    }
  };
  return { splitter: session.splitter, frameSize: (f) => f.bytes?.length ?? 1, handle, logFields: () => ({ device }) };
}
