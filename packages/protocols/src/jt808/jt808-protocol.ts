/** JT/T 808 (2013 and 2019 headers): `0x7e` frames over TCP, and over UDP on the same port. */
import type { ProtocolDescriptor } from '../descriptor';

export const jt808Protocol: ProtocolDescriptor<'jt808'> = { name: 'jt808', label: 'JT/T 808', defaultPort: 5015, transports: ['tcp', 'udp'] };
