/** TeraTrack JSON e-locks with sub-locks: one JSON object per report over TCP. */
import type { ProtocolDescriptor } from '../descriptor';

export const teraTrackProtocol: ProtocolDescriptor<'teratrack'> = { name: 'teratrack', label: 'TeraTrack', defaultPort: 5239, transports: ['tcp'] };
