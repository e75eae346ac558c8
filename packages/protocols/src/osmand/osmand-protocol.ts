/** OsmAnd / Traccar Client: one position per HTTP request (query string, form or JSON body), answered 200 once durable. */
import type { ProtocolDescriptor } from '../descriptor';
import { decodeOsmAnd } from './osmand';

export const osmandProtocol: ProtocolDescriptor<'osmand'> = {
  name: 'osmand',
  label: 'OsmAnd',
  defaultPort: 5055,
  transports: ['http'],
  decodeRequest: decodeOsmAnd,
};
