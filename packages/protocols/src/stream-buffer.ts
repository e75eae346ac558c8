/**
 * The byte queue under the TCP frame splitters (Teltonika, JT600): chunks are appended as they
 * arrive and joined only once enough bytes for the next frame are there, so a slow sender that
 * delivers a frame byte by byte does not make us copy it once per byte. A splitter subclasses it
 * with the parsing step (`next`); the base owns the buffering, the frame loop and the stop after garbage.
 */

/**
 * A stateful byte queue for one connection, the base of a frame splitter. Push the chunks as they
 * arrive and get the complete frames back, in order; frames are copies, independent of later
 * chunks. After a `garbage` frame it drops what it holds and yields nothing more (a byte stream
 * cannot be resynchronised); the connection should be closed.
 */
export abstract class StreamBuffer<F extends { kind: string }> {
  /** Chunks not yet joined: they are joined only once enough bytes for the next frame are here. */
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes needed in total before parsing can make progress. */
  private need = 1;
  private broken = false;

  /** Bytes received and not yet part of a complete frame. */
  get buffered(): number {
    return this.buf.length + this.pendingLength;
  }

  /** Appends a chunk and returns the frames it completes (none while fewer bytes than needed are here). */
  push(chunk: Buffer): F[] {
    if (this.broken || chunk.length === 0) return [];
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    // Joining on every byte of a slow sender would copy the frame once per byte.
    if (this.buffered < this.need) return [];
    this.buf = Buffer.concat([this.buf, ...this.pending]);
    this.pending = [];
    this.pendingLength = 0;
    const frames: F[] = [];
    for (;;) {
      const next = this.next();
      if (typeof next === 'number') {
        this.need = next;
        break;
      }
      frames.push(next);
      if (next.kind === 'garbage') {
        this.broken = true;
        this.buf = Buffer.alloc(0);
        break;
      }
    }
    // Do not pin a large chunk in memory for a few leftover bytes.
    if (this.buf.length && this.buf.byteOffset > 0) this.buf = Buffer.from(this.buf);
    return frames;
  }

  /**
   * The parsing step: the next frame at the head of `bytes` (cut off with `take`), or how many bytes
   * must be buffered in total before there can be one. A frame of kind `garbage` ends the stream.
   */
  protected abstract next(): F | number;

  /** The joined bytes not yet cut into frames (a view: do not keep it past the step). */
  protected get bytes(): Buffer {
    return this.buf;
  }

  /** Removes the first `n` bytes and returns them as a copy. */
  protected take(n: number): Buffer {
    const frame = Buffer.from(this.buf.subarray(0, n));
    this.buf = this.buf.subarray(n);
    return frame;
  }
}
