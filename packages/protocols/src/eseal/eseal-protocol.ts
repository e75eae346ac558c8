/** eSeal text e-seals: `##S,eSeal,…,E##` lines over TCP. */
import type { ProtocolDescriptor } from '../descriptor';

export const esealProtocol: ProtocolDescriptor<'eseal'> = { name: 'eseal', label: 'eSeal', defaultPort: 5169, transports: ['tcp'] };
