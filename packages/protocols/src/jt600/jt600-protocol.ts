/** Jointech JT600 (JT701/JT709 e-locks, GL600, JT600 trackers): binary `$…` and text `(…)` frames over TCP. */
import type { ProtocolDescriptor } from '../descriptor';

export const jt600Protocol: ProtocolDescriptor<'jt600'> = { name: 'jt600', label: 'JT600', defaultPort: 5014, transports: ['tcp'] };
