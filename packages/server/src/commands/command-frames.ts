/**
 * Commands on the wire: whether a queued command's parameters can make a frame in its device's
 * protocol, and how a listener delivers due commands. What the bytes are is each protocol's own
 * (its descriptor's `commands` codec in packages/protocols).
 */
import type { DeviceCommand } from '@sealwatch/core';
import type { CommandAddress, CommandCodec, CommandRequest } from '@sealwatch/protocols';
import { vendorProtocols } from '@sealwatch/protocols/registry';
import type { CommandDelivery } from './command.service';

/** The command codec of a protocol, or undefined for a protocol that carries no commands. */
export const commandCodecOf = (protocol: string): CommandCodec | undefined =>
  (vendorProtocols as readonly { name: string; commands?: CommandCodec }[]).find((p) => p.name === protocol)?.commands;

/** Why the parameters cannot make a frame for this protocol, or null when they can (or it carries no commands: the rules say so). */
export function commandParamsProblem(protocol: string, c: CommandRequest): string | null {
  return commandCodecOf(protocol)?.paramsProblem(c) ?? null;
}

/**
 * Sends a device's due commands on its connection, oldest first: each is claimed (marked sent,
 * audited) before its bytes are written, so two connections of one device never both send it.
 * `address` gives each command's addressing (JT/T 808: a fresh serial per command). Returns the
 * commands sent, with the address they were sent to.
 */
export async function sendDueCommands(
  commands: CommandDelivery,
  codec: CommandCodec,
  protocol: string,
  identifier: string,
  write: (bytes: Buffer) => void,
  address: () => CommandAddress = () => ({ identifier }),
): Promise<{ command: DeviceCommand; to: CommandAddress }[]> {
  const out: { command: DeviceCommand; to: CommandAddress }[] = [];
  for (const c of await commands.due(protocol, identifier)) {
    const to = address();
    const bytes = codec.encode(c, to);
    const sent = await commands.markSent(c, bytes);
    if (!sent) continue;
    write(bytes);
    out.push({ command: sent, to });
  }
  return out;
}
