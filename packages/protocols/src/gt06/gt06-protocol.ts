/** GT06 / Concox: `0x7878` / `0x7979` packets over TCP, after a login packet. */
import type { ProtocolDescriptor } from '../descriptor';

export const gt06Protocol: ProtocolDescriptor<'gt06'> = { name: 'gt06', label: 'GT06', defaultPort: 5023, transports: ['tcp'] };
