/** The bounded big-endian reader of Teltonika data fields (teltonika.ts, teltonika-codec7.ts). */
/** Thrown by the reader when the data ends early; never leaves the decoder. */
export class Truncated extends Error {}

/** Reads big-endian fields up to `end`, throwing Truncated past it. */
export class Reader {
  at = 0;
  constructor(
    private readonly b: Buffer,
    private readonly end: number,
  ) {}
  private need(n: number): number {
    if (this.at + n > this.end) throw new Truncated();
    const at = this.at;
    this.at += n;
    return at;
  }
  u8 = () => this.b.readUInt8(this.need(1));
  u16 = () => this.b.readUInt16BE(this.need(2));
  u32 = () => this.b.readUInt32BE(this.need(4));
  i16 = () => this.b.readInt16BE(this.need(2));
  i32 = () => this.b.readInt32BE(this.need(4));
  f32 = () => this.b.readFloatBE(this.need(4));
  u64 = () => this.b.readBigUInt64BE(this.need(8));
  bytes = (n: number) => this.b.subarray(this.need(n), this.at);
  /** An unsigned IO value of 1, 2, 4 or 8 bytes: a number, or a decimal string past 2^53. */
  value(size: 1 | 2 | 4 | 8): number | string {
    const at = this.need(size);
    if (size === 1) return this.b.readUInt8(at);
    if (size === 2) return this.b.readUInt16BE(at);
    if (size === 4) return this.b.readUInt32BE(at);
    const v = this.b.readBigUInt64BE(at);
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  }
}
