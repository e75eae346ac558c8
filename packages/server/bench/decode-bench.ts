/**
 * Frames decoded per second per vendor protocol: the golden frames of each protocol (Traccar's test
 * frames among them) cut by the protocol's splitter and stepped by its session, as the listener does,
 * with no storage; beside it the raw loopback TCP rate of the same bytes, in that protocol's frames/s.
 */
import { createServer, connect, type AddressInfo } from 'node:net';
import { vendorProtocols } from '@sealwatch/protocols';
import { jt808GoldenBytes, jt808TraccarBytes } from '@sealwatch/protocols/jt808/golden-frames';
import { gt06GoldenBytes, gt06TraccarBytes } from '@sealwatch/protocols/gt06/golden-frames';
import { goldenBytes as teltonikaBytes, teltonikaTraccarBytes } from '@sealwatch/protocols/teltonika/golden-frames';
import { jt600GoldenBytes, jt600TraccarBytes } from '@sealwatch/protocols/jt600/golden-frames';
import { teltonikaTraccarCases } from '@sealwatch/protocols/teltonika/traccar-cases';
import { traccarCaseBytes } from '@sealwatch/protocols/testing/traccar-case';

/**
 * A device's stream per bench line: its identification first, then data frames repeated; `protocol`
 * names the descriptor when the line is not named after it (Codec 7 is Teltonika's listener).
 */
export const decodeStreams: Record<string, { protocol?: string; head: Buffer; frames: Buffer[] }> = {
  teltonika: {
    head: teltonikaBytes('imei'),
    frames: [teltonikaBytes('codec8ThreeRecords'), teltonikaBytes('codec8eTwoRecords'), teltonikaTraccarBytes('codec16L82')],
  },
  // Codec 7 (GH3000 personal trackers): Traccar's TeltonikaProtocolDecoderTest L112 and L130.
  'teltonika-codec7': {
    protocol: 'teltonika',
    head: teltonikaBytes('imei'),
    frames: [traccarCaseBytes(teltonikaTraccarCases, 112), traccarCaseBytes(teltonikaTraccarCases, 130)],
  },
  jt808: { head: Buffer.alloc(0), frames: [jt808GoldenBytes('padlocks'), jt808GoldenBytes('tamper'), jt808TraccarBytes('batch0210L197')] },
  gt06: {
    head: gt06GoldenBytes('login'),
    frames: [gt06GoldenBytes('location'), gt06GoldenBytes('tamper'), gt06TraccarBytes('fenceTamperA4L25')],
  },
  jt600: { head: Buffer.alloc(0), frames: [jt600GoldenBytes('jt701'), jt600TraccarBytes('shortV2L61'), jt600TraccarBytes('shortV3L58')] },
};

/** Frames per second through one session of the bench line's protocol (splitter + step), and observations per second. */
export function decodeRate(line: string, ms = 1000): { frames: number; observations: number } {
  const { protocol = line, head, frames } = decodeStreams[line];
  const d = vendorProtocols.find((p) => p.name === protocol)!;
  const chunk = Buffer.concat(Array.from({ length: 50 }, () => frames).flat());
  const s = d.openStream!();
  for (const f of s.splitter.push(head)) {
    const st = s.step(f);
    if (st.do === 'identify') s.identified?.(st.identifier);
  }
  let n = 0;
  let obs = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (const f of s.splitter.push(chunk)) {
      const st = s.step(f);
      n++;
      if (st.do === 'ingest' && st.decoded.ok) obs += st.decoded.observations.length;
    }
  }
  const s2 = (performance.now() - start) / 1000;
  return { frames: n / s2, observations: obs / s2 };
}

/** Loopback TCP throughput in bytes/s (one connection, 64 KiB writes, drained by the server). */
export async function rawSocketBytesPerSecond(ms = 1000): Promise<number> {
  let received = 0;
  const server = createServer((sock) => sock.on('data', (b) => (received += b.length)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const c = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise<void>((r) => c.once('connect', r));
  const block = Buffer.alloc(64 * 1024, 0x5a);
  const start = performance.now();
  while (performance.now() - start < ms) if (!c.write(block)) await new Promise<void>((r) => c.once('drain', r));
  const s = (performance.now() - start) / 1000;
  c.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  return received / s;
}

/** The average frame length of a protocol's bench stream, to turn socket bytes/s into frames/s. */
export const meanFrameBytes = (protocol: string) => {
  const f = decodeStreams[protocol].frames;
  return f.reduce((n, b) => n + b.length, 0) / f.length;
};
