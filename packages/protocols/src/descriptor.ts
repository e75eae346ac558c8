/**
 * What the server needs to know of a vendor protocol to serve its devices: its name (the `protocol`
 * devices are registered under, and the suffix of its port variable SEALWATCH_PORT_<NAME>), its
 * default port, the transports it is spoken over, and per transport the pure part of serving it:
 * for a TCP stream a session that cuts the bytes into frames and says what each frame asks of the
 * listener (`FrameStep`), for UDP the steps of one datagram, for HTTP the decoder of one request.
 * The listener host (server/src/transports/listener-host.ts) does the I/O: ingest until durable,
 * the quarantine, refusals, replies after the commit, and queued commands.
 * Each protocol's folder exports one descriptor; `registry.ts` lists them.
 */
import type { CommandType, DeviceCommand } from '@sealwatch/core';
import type { DecodeResult, DecodedObservation } from './decoded';
import type { Jt808Header } from './jt808/jt808-message';

/** How a protocol reaches the server: a TCP byte stream (TLS optional), UDP datagrams, or HTTP requests. */
export type ProtocolTransport = 'tcp' | 'udp' | 'http';

/** A frame as a splitter gives it (with the protocol's own fields); `garbage` (bytes that are no frame) ends the stream. */
export type StreamFrame = { kind: string; bytes?: Buffer; detail?: string; [field: string]: unknown };

/** A stateful splitter for one stream (see StreamBuffer): frames from chunks, and the bytes it holds undecoded. */
export interface FrameSplitter<F extends StreamFrame = StreamFrame> {
  push(chunk: Buffer): F[];
  readonly buffered: number;
}

/** What the listener does with one frame. */
export type FrameStep =
  /** Nothing to store or answer (a heartbeat, a keep-alive). */
  | { do: 'skip' }
  /** Bytes that cannot be served: quarantined with `detail`, and the stream closed without an answer (`why` is logged). */
  | { do: 'refuse'; detail: string; why: string }
  /**
   * A frame that names its device and carries nothing to store (login, IMEI handshake, registration,
   * heartbeat). When a device with this identifier is registered for the protocol, `reply` is sent
   * (and the session told, `identified`); otherwise the frame is quarantined (unknown_device, pending,
   * protocol_mismatch), `refusal` is sent if there is one, and the stream ended.
   */
  | { do: 'identify'; identifier: string; reply: Buffer | null; refusal: Buffer | null }
  /**
   * Observations to store, or a frame that does not decode (quarantined as malformed_frame with the
   * detail). `reply` is sent only once every observation is durable (stored or quarantined), and not
   * when the device is not registered for the protocol (the stream is then closed). After a frame that
   * does not decode the stream is kept (`keep`: frames stay delimited) or closed (`close`).
   */
  | { do: 'ingest'; decoded: DecodeResult; reply: Buffer | null; onMalformed: 'keep' | 'close' };

/** The protocol's state on one TCP stream. */
export interface StreamSession<F extends StreamFrame = StreamFrame> {
  readonly splitter: FrameSplitter<F>;
  /** What to do with the next frame; frames are served one at a time, in order. */
  step(frame: F): FrameStep;
  /** The device the host accepted after an `identify` step. */
  identified?(identifier: string): void;
  /**
   * For protocols whose commands are addressed per stream (JT/T 808: the terminal's header and a
   * serial number from the stream's counter): the addressing of the next command to `identifier`.
   */
  commandAddress?(identifier: string): CommandAddress;
}

/** Where a command goes: the device's own identifier, and for JT/T 808 the header fields and serial to use. */
export interface CommandAddress {
  identifier: string;
  jt808?: { to: Pick<Jt808Header, 'version' | 'phoneBytes'>; serial: number };
}

/** The protocol's state on one UDP socket: the steps of each datagram, served in order until one ends it. */
export interface DatagramSession {
  /**
   * The steps of one datagram, each with the bytes it is about (quarantined if it is refused);
   * `remote` is `address:port`, for state kept per sender (e.g. reply serial numbers).
   */
  steps(datagram: Buffer, remote: string): Iterable<{ bytes: Buffer; step: FrameStep }>;
}

/** One HTTP request as the listener read it. */
export interface HttpRequest {
  /** The request target (path and query string). */
  query: string;
  contentType?: string;
  body: string;
}

export interface ProtocolDescriptor<N extends string = string> {
  /** The protocol name: devices' `protocol`, `tcp:<name>` transports, SEALWATCH_PORT_<NAME>. */
  readonly name: N;
  /** The protocol's name in log lines, e.g. `JT/T 808`. */
  readonly label: string;
  /** The port it listens on unless configured (Traccar's conventions, so devices set up for Traccar need no change). */
  readonly defaultPort: number;
  /** The transports it is served over, on the same port number. */
  readonly transports: readonly ProtocolTransport[];
  /** TCP: bytes a stream may hold undecoded or waiting for ingest before it is closed. */
  readonly maxBufferBytes?: number;
  /** TCP: a new stream's session; `settings` are the protocol's own options (e.g. eSeal's `startupConfig`). */
  openStream?(settings?: Readonly<Record<string, string>>): StreamSession;
  /** UDP: the socket's session. */
  openDatagrams?(): DatagramSession;
  /** HTTP: the observations of one request. */
  decodeRequest?(request: HttpRequest): DecodeResult;
  /** For a protocol that carries queued device commands (delivered on its TCP streams): how it speaks them. */
  readonly commands?: CommandCodec;
}

/** A queued command as the protocol sees it: its type and its parameters. */
export type CommandRequest = Pick<DeviceCommand, 'type' | 'params'>;

/** What a device's frame says about a command sent to it before. */
export interface CommandAnswer {
  /**
   * The command it answers: the one sent with this serial number on the stream (JT/T 808), or
   * the oldest command still awaiting an answer from the device that `oldest` picks.
   */
  to: { serial: number } | { oldest: (asked: CommandRequest) => boolean };
  /** Whether the device did what was asked, judged against the command it answers. */
  judge(asked: CommandRequest): { ok: boolean; detail: string; data: Record<string, unknown> };
}

/** How a protocol speaks commands: which it carries, their parameters, their bytes, and the answers its frames carry. */
export interface CommandCodec {
  /** The command types it carries (core's `commandCapabilities` repeats them for the console; a test holds the two equal). */
  readonly types: readonly CommandType[];
  /** Why the parameters cannot make a frame, or null when they can (checked when the command is queued). */
  paramsProblem(c: CommandRequest): string | null;
  /** The frame of a command whose parameters passed `paramsProblem`. */
  encode(c: CommandRequest, to: CommandAddress): Buffer;
  /** The answers one served frame carries (none for most frames). */
  answers(frame: { bytes: Buffer; observations: readonly DecodedObservation[] }): CommandAnswer[];
}

/** The environment variable that sets a protocol's port (`off` disables its listener). */
export const portVariable = (p: Pick<ProtocolDescriptor, 'name'>) => `SEALWATCH_PORT_${p.name.toUpperCase()}`;

/** The step for a garbage frame: quarantined with the splitter's detail, stream closed. */
export const refuseGarbage = (f: { detail: string }): FrameStep => ({ do: 'refuse', detail: f.detail, why: `garbage: ${f.detail}` });

/**
 * The step for bytes a resynchronising splitter skipped (`skipped` frames): quarantined with the
 * detail as malformed, never answered, and the stream kept, since the splitter found the next frame.
 */
export const quarantineSkipped = (f: { detail: string }): FrameStep => ({
  do: 'ingest',
  decoded: { ok: false, detail: f.detail },
  reply: null,
  onMalformed: 'keep',
});

/** A decode failure with a reason code, as the quarantine keeps it: the code in front of the human detail. */
export const withReason = (
  r: { ok: true; observations: DecodedObservation[] } | { ok: false; reason: string; detail: string },
): DecodeResult => (r.ok ? r : { ok: false, detail: `${r.reason}: ${r.detail}` });
