/** OsmAnd / Traccar Client: one position per HTTP request (query string or JSON body). */
import type { ProtocolDescriptor } from '../descriptor';

export const osmandProtocol: ProtocolDescriptor<'osmand'> = { name: 'osmand', label: 'OsmAnd', defaultPort: 5055, transports: ['http'] };
