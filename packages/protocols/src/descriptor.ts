/**
 * What the server needs to know of a vendor protocol to serve its devices: its name (the `protocol`
 * devices are registered under, and the suffix of its port variable SEALWATCH_PORT_<NAME>), its
 * default port, the transports it is spoken over, and for stream protocols the session that cuts
 * the byte stream into frames and says what each frame asks of the listener. Each protocol's folder
 * exports one descriptor; `registry.ts` lists them, and the server's listener host serves that list.
 */

/** How a protocol reaches the server: a TCP byte stream (TLS optional), UDP datagrams, or HTTP requests. */
export type ProtocolTransport = 'tcp' | 'udp' | 'http';

export interface ProtocolDescriptor<N extends string = string> {
  /** The protocol name: devices' `protocol`, `tcp:<name>` transports, SEALWATCH_PORT_<NAME>. */
  readonly name: N;
  /** The protocol's name in log lines and the start banner, e.g. `JT/T 808`. */
  readonly label: string;
  /** The port it listens on unless configured (Traccar's conventions, so devices set up for Traccar need no change). */
  readonly defaultPort: number;
  /** The transports it is served over, on the same port number. */
  readonly transports: readonly ProtocolTransport[];
}

/** The environment variable that sets a protocol's port (`off` disables its listener). */
export const portVariable = (p: Pick<ProtocolDescriptor, 'name'>) => `SEALWATCH_PORT_${p.name.toUpperCase()}`;
