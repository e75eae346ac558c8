/**
 * The command side of the vendor TCP streams that carry commands: after a device's frame is
 * served, each answer it carries (the protocol's codec reads them) is recorded as the result of the
 * command it answers, then the device's due commands are sent. An answer names its command by the
 * serial number it was sent with on this stream (JT/T 808), or picks the oldest command still
 * awaiting an answer from the device (JT600, eSeal). A command whose answer never comes (a text
 * command, a connection lost) expires.
 */
import type { DeviceCommand, DeviceId } from '@sealwatch/core';
import type { CommandAddress, CommandCodec, DecodedObservation } from '@sealwatch/protocols';
import type { IngestResult } from '../ingest/ingest.service';
import { sendDueCommands } from './command-frames';
import type { CommandDelivery } from './command.service';

/** The registered device a served frame was stored (or quarantined) for, if any. */
const deviceOf = (results: IngestResult[]): DeviceId | null =>
  (results.find((r) => r.device && r.reason !== 'unknown_device' && r.reason !== 'protocol_mismatch')?.device ?? null) as DeviceId | null;

/** One served frame of a registered device, as the command session sees it. */
export interface ServedFrame {
  bytes: Buffer;
  /** What ingest answered for its observations (none for a frame that only identified the device). */
  results: IngestResult[];
  observations: DecodedObservation[];
  /** The device's own identifier in the protocol. */
  identifier: string;
}

/**
 * The command side of one TCP stream of a protocol that carries commands. `write` sends bytes on
 * the stream, `closed` says whether it is closed, `address` gives the addressing of the next
 * command (JT/T 808: the terminal's header and the stream's next serial number).
 */
export function openCommandSession(
  protocol: string,
  codec: CommandCodec,
  commands: CommandDelivery,
  stream: { write(bytes: Buffer): void; readonly closed: boolean },
  address: (identifier: string) => CommandAddress,
) {
  /** The commands sent on this stream, by the serial number they were sent with (protocols that number them). */
  const sentBySerial = new Map<number, DeviceCommand>();
  return {
    /** After a frame of a registered device was served: the answers it carries, then the due commands. */
    async afterFrame(f: ServedFrame): Promise<void> {
      for (const a of codec.answers(f)) {
        if ('serial' in a.to) {
          const asked = sentBySerial.get(a.to.serial);
          if (!asked) continue;
          sentBySerial.delete(a.to.serial);
          const j = a.judge(asked);
          await commands.answer(asked, j.ok, { detail: j.detail, data: j.data });
        } else {
          const device = deviceOf(f.results);
          const pick = a.to.oldest;
          const asked = device ? (await commands.awaiting(device)).find((c) => pick(c)) : undefined;
          if (!asked) continue;
          const j = a.judge(asked);
          await commands.answer(asked, j.ok, { detail: j.detail, data: j.data });
        }
      }
      if (stream.closed) return;
      const sent = await sendDueCommands(
        commands,
        codec,
        protocol,
        f.identifier,
        (b) => stream.write(b),
        () => address(f.identifier),
      );
      for (const s of sent) if (s.to.jt808) sentBySerial.set(s.to.jt808.serial, s.command);
    },
  };
}
