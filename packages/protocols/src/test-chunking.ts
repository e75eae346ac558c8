/**
 * Test helpers for the protocol contract and decoder tests: feeding a byte stream whole, byte by
 * byte, or cut into seeded random chunks, as TCP may deliver it; and seeded mutations of frames.
 */

/** What the helpers need of a splitter (TeltonikaFrameSplitter, Jt600FrameSplitter). */
export interface ChunkSplitter<F> {
  push(chunk: Buffer): F[];
  readonly buffered: number;
}

/** Pushes every chunk into `splitter`; returns the frames it gave, in order, and the splitter. */
export function feedChunks<F, S extends ChunkSplitter<F>>(splitter: S, chunks: Buffer[]): { frames: F[]; splitter: S } {
  const frames: F[] = [];
  for (const c of chunks) frames.push(...splitter.push(c));
  return { frames, splitter };
}

/**
 * Pushes `bytes` one byte at a time; returns the frames, and for each push that gave frames the
 * number of bytes pushed so far (where each frame ended).
 */
export function feedByteByByte<F>(splitter: ChunkSplitter<F>, bytes: Buffer): { frames: F[]; ends: number[] } {
  const frames: F[] = [];
  const ends: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const got = splitter.push(bytes.subarray(i, i + 1));
    if (got.length) ends.push(i + 1);
    frames.push(...got);
  }
  return { frames, ends };
}

/**
 * `runs` ways of cutting `bytes` into chunks of 1 to `maxChunk` bytes, from a linear congruential
 * generator started at `seed`: the same arguments always give the same cuts.
 */
export function seededChunkings(bytes: Buffer, seed: number, runs: number, maxChunk: number): Buffer[][] {
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const out: Buffer[][] = [];
  for (let run = 0; run < runs; run++) {
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length;) {
      const n = 1 + Math.floor(rand() * maxChunk);
      chunks.push(bytes.subarray(at, at + n));
      at += n;
    }
    out.push(chunks);
  }
  return out;
}

/**
 * `count` mutations of the `seeds` (in turn): each has one to three bytes replaced, removed or
 * inserted, a share of the new bytes (half by default) from `alphabet` when given (to stay close to the grammar), from a
 * linear congruential generator started at `seed`: the same arguments always give the same frames.
 */
export function* seededMutations(seeds: Buffer[], count: number, seed: number, alphabet?: Buffer, alphabetShare = 0.5): Generator<Buffer> {
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < count; i++) {
    let frame = Buffer.from(seeds[i % seeds.length]);
    for (let m = 1 + Math.floor(rand() * 3); m > 0; m--) {
      const at = Math.floor(rand() * frame.length);
      const r = rand();
      const byte = alphabet && rand() < alphabetShare ? alphabet[Math.floor(rand() * alphabet.length)] : Math.floor(rand() * 256);
      if (r < 0.6) frame[at] = byte;
      else if (r < 0.8) frame = Buffer.concat([frame.subarray(0, at), frame.subarray(at + 1)]);
      else frame = Buffer.concat([frame.subarray(0, at), Buffer.from([byte]), frame.subarray(at)]);
    }
    yield frame;
  }
}
