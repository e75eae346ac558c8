/**
 * The one test suite every vendor protocol descriptor runs (as the storage contract does for
 * engines): its golden stream whole, byte by byte and in seeded random chunks; what its session
 * asks of the listener for each golden frame; stray bytes never stored; and fuzzing of the
 * splitter, the session and the decoder with mutated golden frames and random bytes. A protocol's
 * test file calls `runProtocolContract(descriptor, cases)`; its own assertions stay beside it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodeResult } from '../decoded';
import type { FrameStep, ProtocolDescriptor, StreamFrame, StreamSession } from '../descriptor';
import { feedByteByByte, feedChunks, seededChunkings, seededMutations } from '../test-chunking';

export interface ProtocolCases {
  /** TCP: a device's stream as it sends it, one entry per frame (a keep-alive byte counts as one). */
  stream?: Buffer[];
  /** TCP: the frames the splitter must cut from `stream`, in order. */
  frames?: StreamFrame[];
  /**
   * TCP: what the session asks for each frame of `stream`, the device being accepted when it
   * identifies (`malformed`: an ingest step whose frame does not decode, quarantined).
   */
  steps?: StepKind[];
  /** UDP: golden datagrams and what each asks for. */
  datagrams?: { bytes: Buffer; steps: StepKind[] }[];
  /** HTTP: golden requests, each decoding to observations. */
  requests?: { query: string; contentType?: string; body?: string }[];
  /** The seed of the random chunkings and mutations (the default port is a good one). */
  seed: number;
  /** The largest chunk of the random chunkings. */
  maxChunk?: number;
  /** Bytes that keep a mutated frame close to the grammar, so deep checks are reached too. */
  alphabet?: Buffer;
  /** How many mutated frames the fuzz serves (default 20,000). */
  fuzzRuns?: number;
}

export type StepKind = FrameStep['do'] | 'malformed';
const kindOf = (s: FrameStep): StepKind => (s.do === 'ingest' && !s.decoded.ok ? 'malformed' : s.do);

/** Checks a decode result is well-formed: sane observations, or a failure with a detail. */
function assertSaneDecode(d: DecodeResult, what: string): void {
  if (!d.ok) {
    assert.ok(typeof d.detail === 'string' && d.detail.length > 0, `${what}: a failure says why`);
    return;
  }
  for (const o of d.observations) {
    assert.ok(typeof o.identifier === 'string' && o.identifier.length > 0, `${what}: every observation names its device`);
    if (o.time !== null) assert.ok(!Number.isNaN(Date.parse(o.time)), `${what}: time ${o.time}`);
    if (o.position)
      assert.ok(Math.abs(o.position.lat) <= 90 && Math.abs(o.position.lon) <= 180, `${what}: position ${o.position.lat},${o.position.lon}`);
  }
}

/** Checks a step is one the listener can serve: a refusal says why, a failed decode is never answered. */
function assertSaneStep(s: FrameStep, what: string): void {
  switch (s.do) {
    case 'skip':
      return;
    case 'refuse':
      assert.ok(s.detail.length > 0 && s.why.length > 0, `${what}: a refusal says why`);
      return;
    case 'identify':
      assert.ok(s.identifier.length > 0, `${what}: an identification names the device`);
      return;
    case 'ingest':
      assertSaneDecode(s.decoded, what);
      if (!s.decoded.ok) assert.equal(s.reply, null, `${what}: a frame that does not decode is never acknowledged`);
      return;
    default:
      assert.fail(`${what}: unknown step ${JSON.stringify(s)}`);
  }
}

/** Serves `chunks` through a fresh session as the listener would, accepting every identification; the steps. */
function serve(p: ProtocolDescriptor, chunks: Buffer[], session: StreamSession = p.openStream!()): FrameStep[] {
  const steps: FrameStep[] = [];
  for (const chunk of chunks) {
    for (const f of session.splitter.push(chunk)) {
      const s = session.step(f);
      if (s.do === 'identify') session.identified?.(s.identifier);
      steps.push(s);
    }
  }
  return steps;
}

const HTTP_REQUEST = Buffer.from('GET / HTTP/1.1\r\nHost: sealwatch\r\n\r\n');

export function runProtocolContract(p: ProtocolDescriptor, c: ProtocolCases): void {
  const name = `${p.label} contract`;

  test(`${name}: named for its port variable, on a port, over transports it can serve`, () => {
    assert.match(p.name, /^[a-z][a-z0-9]*$/);
    assert.ok(Number.isInteger(p.defaultPort) && p.defaultPort > 0 && p.defaultPort < 65536);
    assert.ok(p.transports.length > 0);
    assert.equal(p.transports.includes('tcp'), typeof p.openStream === 'function', 'tcp needs a stream session');
    assert.equal(p.transports.includes('udp'), typeof p.openDatagrams === 'function', 'udp needs a datagram session');
    assert.equal(p.transports.includes('http'), typeof p.decodeRequest === 'function', 'http needs a request decoder');
  });

  if (p.openStream && c.stream && c.frames && c.steps) {
    const { stream: parts, frames: expected, steps: expectedSteps } = c;
    const whole = Buffer.concat(parts);
    const feed = (chunks: Buffer[]) => feedChunks(p.openStream!().splitter, chunks);

    test(`${name}: the golden stream in one chunk gives each frame, in order, nothing left buffered`, () => {
      const { frames, splitter } = feed([whole]);
      assert.deepEqual(frames, expected);
      assert.equal(splitter.buffered, 0);
    });

    test(`${name}: fed one byte at a time, each frame comes out as soon as its last byte arrives`, () => {
      const { frames, ends } = feedByteByByte(p.openStream!().splitter, whole);
      assert.deepEqual(frames, expected);
      assert.deepEqual(
        ends,
        parts.map((_, i) => parts.slice(0, i + 1).reduce((n, b) => n + b.length, 0)),
      );
    });

    test(`${name}: fed in random chunks (300 seeded splits), the same frames; a cut frame stays buffered`, () => {
      for (const [run, chunks] of seededChunkings(whole, c.seed, 300, c.maxChunk ?? 64).entries()) {
        assert.deepEqual(feed(chunks).frames, expected, `run ${run}`);
      }
      const last = parts[parts.length - 1];
      const cut = Math.max(1, Math.floor(last.length / 2));
      const { frames, splitter } = feed([whole.subarray(0, whole.length - cut)]);
      assert.deepEqual(frames, expected.slice(0, -1));
      // All of the cut frame is held, but for separators a splitter may drop (whitespace between objects).
      assert.ok(splitter.buffered > 0 && splitter.buffered <= last.length - cut, `buffered ${splitter.buffered} of ${last.length - cut}`);
    });

    test(`${name}: frames are copies; reusing the chunk buffer afterwards does not change them`, () => {
      const chunk = Buffer.from(whole);
      const { frames } = feed([chunk]);
      chunk.fill(0xaa);
      assert.deepEqual(frames, expected);
    });

    test(`${name}: the session asks for the expected step for each golden frame, and every step is well-formed`, () => {
      const steps = serve(p, [whole]);
      assert.deepEqual(steps.map(kindOf), expectedSteps);
      steps.forEach((s, i) => assertSaneStep(s, `frame ${i}`));
    });

    test(`${name}: an HTTP request sent to the port is never stored: refused, or quarantined without an answer`, () => {
      const steps = serve(p, [HTTP_REQUEST]);
      assert.ok(steps.length > 0 || p.openStream!().splitter.push(HTTP_REQUEST).length === 0);
      for (const s of steps) {
        assertSaneStep(s, 'HTTP request');
        assert.ok(s.do === 'refuse' || (s.do === 'ingest' && !s.decoded.ok), `HTTP request gave ${s.do}`);
      }
    });

    test(`${name}: fuzz: mutated golden frames after the golden prefix never throw and give well-formed steps`, () => {
      const firstData = expectedSteps.findIndex((s) => s === 'ingest' || s === 'malformed');
      const prefix = parts.slice(0, Math.max(0, firstData));
      const seeds = parts.slice(prefix.length);
      let served = 0;
      for (const frame of seededMutations(seeds, c.fuzzRuns ?? 20_000, c.seed, c.alphabet)) {
        const steps = serve(p, [...prefix, frame]);
        steps.forEach((s) => assertSaneStep(s, `mutation of ${frame.toString('hex').slice(0, 40)}`));
        served += steps.length - prefix.length;
      }
      assert.ok(served > 0, 'mutated frames reached the session');
    });

    test(`${name}: fuzz: random byte streams through the splitter and the session never throw`, () => {
      let seed = c.seed;
      const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
      for (let i = 0; i < 2000; i++) {
        const bytes = Buffer.from(Array.from({ length: Math.floor(rand() * 300) }, () => Math.floor(rand() * 256)));
        for (const s of serve(p, [bytes])) assertSaneStep(s, 'random bytes');
      }
    });
  }

  if (p.openDatagrams && c.datagrams) {
    const datagrams = c.datagrams;
    test(`${name}: each golden datagram gives the expected steps, well-formed`, () => {
      const session = p.openDatagrams!();
      for (const d of datagrams) {
        const steps = [...session.steps(d.bytes, '127.0.0.1:5000')];
        assert.deepEqual(
          steps.map((s) => kindOf(s.step)),
          d.steps,
        );
        for (const s of steps) {
          assertSaneStep(s.step, 'golden datagram');
          if (s.step.do === 'ingest' && s.step.decoded.ok) assert.ok(s.step.reply, 'a golden datagram that decodes is answered');
        }
      }
    });

    test(`${name}: fuzz: mutated datagrams never throw and give well-formed steps`, () => {
      const session = p.openDatagrams!();
      for (const bytes of seededMutations(
        datagrams.map((d) => d.bytes),
        5000,
        c.seed + 1,
        c.alphabet,
      )) {
        for (const s of session.steps(bytes, '127.0.0.1:5000')) assertSaneStep(s.step, 'mutated datagram');
      }
    });
  }

  if (p.decodeRequest && c.requests) {
    const requests = c.requests;
    test(`${name}: each golden request decodes to observations`, () => {
      for (const r of requests) {
        const d = p.decodeRequest!({ body: '', ...r });
        assertSaneDecode(d, r.query);
        assert.ok(d.ok && d.observations.length > 0, `${r.query}: ${!d.ok && d.detail}`);
      }
    });

    test(`${name}: fuzz: mutated requests never throw and decode well-formed`, () => {
      const seeds = requests.map((r) => Buffer.from(r.body || r.query, 'latin1'));
      let i = 0;
      for (const bytes of seededMutations(seeds, 5000, c.seed, c.alphabet)) {
        const r = requests[i++ % requests.length];
        const text = bytes.toString('latin1');
        assertSaneDecode(p.decodeRequest!(r.body ? { ...r, body: text } : { ...r, query: text, body: '' }), text);
      }
    });
  }
}
