/** The Teltonika descriptor runs the protocol contract over a handshake, golden AVL packets and a ping, and a golden datagram. */
import { runProtocolContract } from '../testing/protocol-contract';
import { goldenBytes } from './golden-frames';
import { teltonikaProtocol } from './teltonika-protocol';

const ping = Buffer.from([0xff]);

runProtocolContract(teltonikaProtocol, {
  stream: [goldenBytes('imei'), goldenBytes('codec8'), ping, goldenBytes('codec8ThreeRecords'), goldenBytes('codec8eVin')],
  frames: [
    { kind: 'imei', imei: '123456789012345', bytes: goldenBytes('imei') },
    { kind: 'avl', bytes: goldenBytes('codec8') },
    { kind: 'ping' },
    { kind: 'avl', bytes: goldenBytes('codec8ThreeRecords') },
    { kind: 'avl', bytes: goldenBytes('codec8eVin') },
  ],
  steps: ['identify', 'ingest', 'skip', 'ingest', 'ingest'],
  datagrams: [{ bytes: goldenBytes('udpCodec8'), steps: ['ingest'] }],
  seed: 5027,
  maxChunk: 90,
});
