/**
 * The command side of the vendor TCP streams that carry commands (JT600, eSeal, JT/T 808): after
 * a device's frame is served, the answer it carries (if any) is recorded as the result of the
 * command it answers, then the device's due commands are sent. What counts as an answer:
 * - JT600: a `P45` lock event answers the oldest unlock sent (unlock verification 1: acknowledged);
 * - eSeal: `RC-Unlock ACK` or an `Event-RC-Unlock` report answers the oldest unlock sent, and
 *   `<type> ACK` the oldest custom command of that type;
 * - JT/T 808: 0x0001, 0x0500 or 0x0201 naming the serial number a command was sent with on this
 *   connection (0x0500: acknowledged when the door lock bit shows the state asked for; 0x0001: result 0).
 * A command whose answer never comes (custom JT600 text, a connection lost) expires.
 */
import type { DeviceCommand, DeviceId } from '@sealwatch/core';
import type { DecodedObservation } from '@sealwatch/protocols';
import { jt600UnlockAnswer } from '@sealwatch/protocols/jt600/jt600-commands';
import { readJt808CommandAnswer, type Jt808CommandAnswer } from '@sealwatch/protocols/jt808/jt808-commands';
import type { IngestResult } from '../ingest/ingest.service';
import { sendDueCommands, type CommandTarget } from './command-frames';
import type { CommandDelivery } from './command.service';

/** The registered device a served frame was stored (or quarantined) for, if any. */
const deviceOf = (results: IngestResult[]): DeviceId | null =>
  (results.find((r) => r.device && r.reason !== 'unknown_device' && r.reason !== 'protocol_mismatch')?.device ?? null) as DeviceId | null;

async function answerOldest(
  commands: CommandDelivery,
  device: DeviceId,
  match: (c: DeviceCommand) => boolean,
  ok: boolean,
  detail: string,
  data: Record<string, unknown>,
): Promise<void> {
  const c = (await commands.awaiting(device)).find(match);
  if (c) await commands.answer(c, ok, { detail, data });
}

/** The answers one served frame carries, each to the command it answers (JT600, eSeal: the oldest awaiting one that matches). */
async function recordAnswers(
  protocol: string,
  commands: CommandDelivery,
  device: DeviceId | null,
  observations: DecodedObservation[],
): Promise<void> {
  if (!device) return;
  for (const o of observations) {
    if (protocol === 'jt600') {
      const a = jt600UnlockAnswer(o);
      if (a) await answerOldest(commands, device, (x) => x.type === 'unlock', a.ok, a.detail, a.data);
    } else if (protocol === 'eseal') {
      const type = String(o.attributes?.type ?? '');
      const data = { type, fields: o.attributes?.fields ?? null, time: o.time };
      if (type === 'RC-Unlock ACK' || type === 'Event-RC-Unlock')
        await answerOldest(commands, device, (x) => x.type === 'unlock', true, type, data);
      else if (type.endsWith(' ACK')) {
        const asked = type.slice(0, -' ACK'.length);
        await answerOldest(
          commands,
          device,
          (x) => x.type === 'custom' && String(x.params.text ?? '').split(',')[0] === asked,
          true,
          type,
          data,
        );
      }
    }
  }
}

const generalResults: Record<number, string> = { 0: 'success', 1: 'failure', 2: 'message error', 3: 'not supported' };

function judgeJt808(c: DeviceCommand, a: Jt808CommandAnswer): { ok: boolean; detail: string; data: Record<string, unknown> } {
  const hex = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
  if (a.msgId === 0x0001) {
    const name = generalResults[a.result ?? -1] ?? `result ${a.result}`;
    return {
      ok: a.result === 0,
      detail: `terminal general response: ${name}`,
      data: { msgId: hex(a.msgId), answeredMsgId: hex(a.answeredMsgId ?? 0), result: a.result },
    };
  }
  const position = a.location?.position ?? null;
  const data = { msgId: hex(a.msgId), position, time: a.location?.time ?? null, status: a.location?.attributes?.status ?? null };
  if (a.msgId === 0x0500) {
    const locked = a.location?.attributes?.doorLocked === true;
    const ok = (c.type === 'lock') === locked;
    return { ok, detail: `vehicle control response: door ${locked ? 'locked' : 'unlocked'}`, data: { ...data, doorLocked: locked } };
  }
  return { ok: true, detail: 'position query response', data };
}

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
  commands: CommandDelivery,
  stream: { write(bytes: Buffer): void; readonly closed: boolean },
  address: (identifier: string) => CommandTarget,
) {
  /** JT/T 808: the commands sent on this stream, by the serial number they were sent with. */
  const sentBySerial = new Map<number, DeviceCommand>();
  return {
    /** After a frame of a registered device was served: the answer it carries, if any, then the due commands. */
    async afterFrame(f: ServedFrame): Promise<void> {
      if (protocol === 'jt808') {
        const a = readJt808CommandAnswer(f.bytes);
        const asked = a ? sentBySerial.get(a.answerSerial) : undefined;
        if (a && asked) {
          sentBySerial.delete(a.answerSerial);
          const j = judgeJt808(asked, a);
          await commands.answer(asked, j.ok, { detail: j.detail, data: j.data });
        }
      } else {
        const device = deviceOf(f.results);
        if (!device || !f.observations.length) return;
        await recordAnswers(protocol, commands, device, f.observations);
      }
      if (stream.closed) return;
      const sent = await sendDueCommands(
        commands,
        protocol,
        f.identifier,
        (b) => stream.write(b),
        () => address(f.identifier),
      );
      for (const s of sent) if (s.target.jt808) sentBySerial.set(s.target.jt808.serial, s.command);
    },
  };
}
