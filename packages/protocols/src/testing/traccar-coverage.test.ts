/**
 * Positions against Traccar's: every frame of Traccar's decoder tests for GT06, Teltonika, JT600 and
 * JT/T 808 (`<protocol>/traccar-cases.ts`) served through our session, counting the cases where
 * Traccar reads a position with a location and we store one. Prints the table (docs/devices.md quotes
 * it). The cases still without a position are listed by line, each with why, so the count can only
 * move on purpose: a case newly decoded or newly lost fails the test until the list says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProtocolDescriptor } from '../descriptor';
import { gt06Protocol } from '../gt06/gt06-protocol';
import { teltonikaProtocol } from '../teltonika/teltonika-protocol';
import { jt600Protocol } from '../jt600/jt600-protocol';
import { jt808Protocol } from '../jt808/jt808-protocol';
import { gt06TraccarCases } from '../gt06/traccar-cases';
import { teltonikaTraccarCases } from '../teltonika/traccar-cases';
import { jt600TraccarCases } from '../jt600/traccar-cases';
import { jt808TraccarCases } from '../jt808/traccar-cases';
import { gt06GoldenBytes } from '../gt06/golden-frames';
import { goldenBytes as teltonikaGoldenBytes } from '../teltonika/golden-frames';
import { serveTraccarCase, traccarReadsPosition, type TraccarCase } from './traccar-case';

interface Coverage {
  protocol: ProtocolDescriptor;
  cases: readonly TraccarCase[];
  /** The device's handshake before each case (GT06 login, Teltonika IMEI). */
  head: Buffer;
  /** Lines where Traccar reads a position and we store none, with why (a checksum mismatch is not counted against us). */
  missing: Record<number, string>;
}

const coverage: Coverage[] = [
  {
    protocol: gt06Protocol,
    cases: gt06TraccarCases,
    head: gt06GoldenBytes('login'),
    missing: {
      155: 'length field one short and no CRC (a GPS-only fragment); skipped to the 0x0d0a (Traccar reads it unchecked)',
      376: 'length field one short and no CRC (a GPS-only fragment); skipped to the 0x0d0a (Traccar reads it unchecked)',
      497: 'CRC-ITU mismatch: the packet carries 0x8081, its bytes give 0x7377',
    },
  },
  {
    protocol: teltonikaProtocol,
    cases: teltonikaTraccarCases,
    head: teltonikaGoldenBytes('imei'),
    missing: {
      79: 'CRC-16 mismatch: the packet carries 0x09a5, the data field gives 0xa6de',
      85: 'CRC-16 mismatch: the packet carries 0x3fca, the data field gives 0x4837',
      103: "data field length 0 with records after it: cut as an empty 12-byte packet, as Traccar's frame decoder does",
      118: "data field length says 2 bytes more than the frame holds (Traccar's frame decoder waits for them too)",
      127: "data field length says 1 byte more than the frame holds (Traccar's frame decoder waits for it too)",
      139: "data field length says 133 bytes more than the frame holds (Traccar's frame decoder waits for them too)",
    },
  },
  {
    protocol: jt600Protocol,
    cases: jt600TraccarCases,
    head: Buffer.alloc(0),
    missing: {
      40: '0,0 without a fix: Traccar keeps it as a position, we store the observation without one (no fix is no position)',
      55: '0,0 without a fix: Traccar keeps it as a position, we store the observation without one (no fix is no position)',
      94: '0,0 without a fix: Traccar keeps it as a position, we store the observation without one (no fix is no position)',
      126: '0,0 without a fix: Traccar keeps it as a position, we store the observation without one (no fix is no position)',
      132: '0,0 without a fix: Traccar keeps it as a position, we store the observation without one (no fix is no position)',
      138: '0,0 without a fix: Traccar keeps it as a position, we store the observation without one (no fix is no position)',
    },
  },
  {
    protocol: jt808Protocol,
    cases: jt808TraccarCases,
    head: Buffer.alloc(0),
    missing: {
      143: 'check code mismatch: the frame carries 0x1b, its bytes give 0x86',
      329: 'check code mismatch: the frame carries 0xd0, its bytes give 0xf0',
      362: 'check code mismatch: the frame carries 0xb5, its bytes give 0xee',
    },
  },
];

/** Traccar does not check the CRC of every protocol; a frame whose own checksum fails is refused here on purpose. */
const isChecksumMismatch = (why: string) => /(CRC|check code).* mismatch/.test(why);
/**
 * Frames whose length field disagrees with their bytes: Traccar's unit tests hand them to the
 * decoder directly, but its own frame decoder would not pass them whole from a stream either.
 */
const isNotWhole = (why: string) => /frame decoder/.test(why);
/** Coordinates 0,0 with the fix flag off: Traccar stores them as a position, Sealwatch as none. */
const isNoFix = (why: string) => why.startsWith('0,0 without a fix');

test('positions where Traccar reads one, per protocol (the table; the cases left are the listed ones)', () => {
  const left: [string, number[], number[]][] = [];
  const rows: string[] = [
    '| protocol | Traccar cases | Traccar positions | ours | failing their checksum | not whole frames | 0,0 without a fix | left |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const c of coverage) {
    const wanted = c.cases.filter(traccarReadsPosition);
    const missing: Record<number, string> = {};
    for (const k of wanted) {
      const served = serveTraccarCase(c.protocol, k, c.head);
      if (!served.observations.some((o) => o.position)) missing[k.line] = served.failures[0] ?? 'no position';
    }
    const ours = wanted.length - Object.keys(missing).length;
    // Classified by the reason the list gives (a case not listed fails the test below anyway).
    const reasons = Object.entries(missing).map(([line, why]) => [line, c.missing[Number(line)] ?? why] as const);
    const badSum = reasons.filter(([, why]) => isChecksumMismatch(why)).length;
    const notWhole = reasons.filter(([, why]) => isNotWhole(why)).length;
    const noFix = reasons.filter(([, why]) => isNoFix(why)).length;
    const rest = reasons.filter(([, why]) => !isChecksumMismatch(why) && !isNotWhole(why) && !isNoFix(why));
    rows.push(
      `| ${c.protocol.label} | ${c.cases.length} | ${wanted.length} | ${ours} | ${badSum} | ${notWhole} | ${noFix} | ${rest.map(([l]) => l).join(', ') || '–'} |`,
    );
    for (const [line, why] of Object.entries(missing)) console.log(`${c.protocol.name} L${line}: ${why}`);
    left.push([c.protocol.label, Object.keys(missing).map(Number), Object.keys(c.missing).map(Number)]);
  }
  console.log(rows.join('\n'));
  for (const [label, actual, listed] of left) assert.deepEqual(actual, listed, `${label}: cases without a position`);
});
