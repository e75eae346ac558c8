/** The OsmAnd descriptor runs the protocol contract over golden requests (query string, form and JSON). */
import { runProtocolContract } from '../testing/protocol-contract';
import { osmandProtocol } from './osmand-protocol';

runProtocolContract(osmandProtocol, {
  requests: [
    { query: '/?id=356307042441013&lat=-1.2921&lon=36.8219&timestamp=1700000000&speed=20&batt=77' },
    { query: '/', contentType: 'application/x-www-form-urlencoded', body: 'id=TRUCK-7&lat=52.5&lon=13.4&timestamp=2024-01-02T03:04:05Z' },
    {
      query: '/',
      contentType: 'application/json',
      body: '{"device_id":"TRUCK-7","location":{"timestamp":"2024-01-02T03:04:05Z","coords":{"latitude":52.5,"longitude":13.4}}}',
    },
  ],
  seed: 5055,
  alphabet: Buffer.from('=&.-0123456789{}":,'),
});
