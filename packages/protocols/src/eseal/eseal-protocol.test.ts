/** The eSeal descriptor runs the protocol contract over golden lines (CR LF and bare LF ended). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runProtocolContract } from '../testing/protocol-contract';
import { buildEsealReport, esealGoldenBytes } from './golden-frames';
import { esealProtocol } from './eseal-protocol';

const lock = Buffer.concat([buildEsealReport({ type: 'Event-Lock', index: 36 }), Buffer.from('\n')]); // a bare LF ends a line too
const stream = [
  esealGoldenBytes('startup'),
  esealGoldenBytes('startupOk'),
  esealGoldenBytes('normal'),
  lock,
  esealGoldenBytes('commandAck'),
];

runProtocolContract(esealProtocol, {
  stream,
  frames: stream.map((p) => {
    const bytes = Buffer.from(p.toString('latin1').replace(/\r?\n$/, ''), 'latin1');
    return { kind: 'line', text: bytes.toString('latin1'), bytes };
  }),
  steps: ['ingest', 'ingest', 'ingest', 'ingest', 'ingest'],
  seed: 5169,
  maxChunk: 40,
  alphabet: Buffer.from(',0123456789.-:NSEWAV #'),
});

test('a line comes out of the stream without its CR LF, exactly as the device wrote it', () => {
  const frames = esealProtocol.openStream!().splitter.push(Buffer.concat(stream));
  assert.equal(
    frames[2].kind === 'line' && frames[2].text,
    '##S,eSeal,1000821,256,3.0.6,Normal,34,2017-08-31,08:14:40,15,A,25.708828N 100.372870W,10,0,Close,0.71,0:0:3:0,3.8,-73,E##',
  );
});
