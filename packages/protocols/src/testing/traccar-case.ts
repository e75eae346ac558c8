/**
 * One frame of a Traccar decoder test, as test data (`<protocol>/traccar-cases.ts`), and how to serve
 * it through a protocol's session the way the listener does: a fresh stream (or datagram socket) per
 * case, identified first with the protocol's own handshake when it has one, every identification
 * accepted. What it yields is what the listener would store.
 */
import type { DecodedObservation } from '../decoded';
import type { FrameStep, ProtocolDescriptor } from '../descriptor';

export interface TraccarCase {
  /** Line of the frame's first literal in Traccar's *ProtocolDecoderTest.java. */
  line: number;
  /**
   * The check Traccar makes: `position(s)` read a position with a valid location, `positionsUnchecked`
   * decode positions without checking the location, `attribute(s)` and `notNull` decode something,
   * `null` decodes nothing.
   */
  check: 'position' | 'positions' | 'positionsUnchecked' | 'attribute' | 'attributes' | 'notNull' | 'null';
  /** Traccar's decoder model override in force (a device model with its own layout). */
  model?: string;
  /** `udp`: served by Traccar's connectionless decoder. */
  transport?: 'udp';
  /** Traccar's Teltonika `extended` option (Codec 8 with 2-byte IO ids). */
  extended?: boolean;
  hex?: string;
  text?: string;
}

/** Whether Traccar reads a position with a location from the case. */
export const traccarReadsPosition = (c: TraccarCase) => c.check === 'position' || c.check === 'positions';

export interface ServedCase {
  observations: DecodedObservation[];
  /** Why a frame was refused or did not decode, when one was. */
  failures: string[];
}

/** The bytes of a case as the device sends them. */
export const bytesOf = (c: TraccarCase) => (c.hex !== undefined ? Buffer.from(c.hex, 'hex') : Buffer.from(c.text!, 'latin1'));

/** What a step stores (observations) or why it fails. */
function collect(step: FrameStep, into: ServedCase): void {
  if (step.do === 'refuse') into.failures.push(step.detail);
  if (step.do !== 'ingest') return;
  if (step.decoded.ok) into.observations.push(...step.decoded.observations);
  else into.failures.push(step.decoded.detail);
}

/** Serves one case through `p` after `head` (the handshake that identifies the device, possibly empty). */
export function serveTraccarCase(p: ProtocolDescriptor, c: TraccarCase, head: Buffer): ServedCase {
  const out: ServedCase = { observations: [], failures: [] };
  if (c.transport === 'udp') {
    const d = p.openDatagrams!();
    for (const { step } of d.steps(bytesOf(c), '127.0.0.1:1')) collect(step, out);
    return out;
  }
  const s = p.openStream!();
  for (const chunk of [head, bytesOf(c)])
    for (const f of s.splitter.push(chunk)) {
      const step = s.step(f);
      if (step.do === 'identify' && chunk === head) s.identified?.(step.identifier);
      else collect(step, out);
    }
  return out;
}

/** The bytes of the case at `line` (a test names its frames by their line in Traccar's file). */
export function traccarCaseBytes(cases: readonly TraccarCase[], line: number): Buffer {
  const c = cases.find((k) => k.line === line);
  if (!c) throw new Error(`no Traccar case at line ${line}`);
  return bytesOf(c);
}
