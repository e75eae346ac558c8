/**
 * Real eSeal frames (reference §12.2, Traccar EsealProtocolDecoderTest) and a builder of report
 * frames for the message types no public test frame shows.
 */
import { encodeEsealReport, type EsealReport } from './eseal-encoder';

export const esealGolden = {
  /** E1: Normal report, index 34, 2017-08-31 08:14:40, 25.708828 N 100.372870 W, door Close, 3.8 V, -73 dBm. */
  normal: '##S,eSeal,1000821,256,3.0.6,Normal,34,2017-08-31,08:14:40,15,A,25.708828N 100.372870W,10,0,Close,0.71,0:0:3:0,3.8,-73,E##',
  /** E2: Startup without a fix (V, 0,0), index 1; wants a Startup ACK with the configuration. */
  startup: '##S,eSeal,1000821,256,3.0.6,Startup,1,2017-08-31,02:01:19,3,V,0.000000N 0.000000E,0,0,Close,3.25,0:0:5:0,3.8,-93,E##',
  /** E3: the device echoes the configuration it took. */
  startupOk: '##S,eSeal,1000821,256,3.0.6,Startup OK,1,180,30,30,16,1,E##',
  /** E4: the device acknowledges an NFC-delete command. */
  commandAck: '##S,eSeal,1000898,256,3.0.6,RC-NFC DEL ACK,,E##',
} as const;

/** A golden frame as the device puts it on the wire (CR LF ended) or, with `bare`, as the splitter gives it. */
export const esealGoldenBytes = (name: keyof typeof esealGolden, bare = false): Buffer =>
  Buffer.from(esealGolden[name] + (bare ? '' : '\r\n'), 'latin1');

/** A report of device 1000821 like E1, with `overrides`; the line without its CR LF. */
export function buildEsealReport(overrides: Partial<EsealReport> = {}): Buffer {
  const line = encodeEsealReport({
    deviceId: '1000821',
    type: 'Normal',
    index: 35,
    time: '2017-08-31T09:00:00Z',
    fix: true,
    lat: 25.708828,
    lon: -100.37287,
    course: 10,
    speed: 0,
    door: 'Close',
    acceleration: 0.71,
    nfc: '0:0:3:0',
    battery: 3.8,
    rssi: -73,
    ...overrides,
  });
  return line.subarray(0, line.length - 2);
}
