/**
 * Jointech JT600 family (JT600 trackers, JT701/JT709 e-locks, GL600): one entry point for a frame
 * cut by Jt600FrameSplitter, binary (`$`) or text (`(`).
 */
import type { Jt600Decoded } from './jt600-binary';
import { decodeJt600Binary } from './jt600-binary';
import { decodeJt600Text } from './jt600-text';

export type { Jt600Decoded } from './jt600-binary';

/** Decodes one frame into observations (named by the 10-digit device id) and the reply the device waits for. */
export function decodeJt600Frame(frame: Buffer): Jt600Decoded {
  if (frame.length && frame[0] === 0x24) return decodeJt600Binary(frame);
  if (frame.length && frame[0] === 0x28) return decodeJt600Text(frame);
  return { result: { ok: false, detail: 'a JT600 frame starts with "$" or "("' }, reply: null };
}
