/** Teltonika Codec 8 / 8 Extended: an IMEI handshake then AVL packets over TCP; datagrams over UDP. */
import type { ProtocolDescriptor } from '../descriptor';

export const teltonikaProtocol: ProtocolDescriptor<'teltonika'> = { name: 'teltonika', label: 'Teltonika', defaultPort: 5027, transports: ['tcp', 'udp'] };
