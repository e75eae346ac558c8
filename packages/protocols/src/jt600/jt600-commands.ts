/**
 * Commands the server sends a Jointech JT701/JT701D e-lock over its JT600 connection (text frames
 * in parentheses, like the replies `(P35)` and `(P69,0,<index>)`):
 * - remote unlock with the lock's static password: `(P43,<password>)`. The lock answers with a
 *   `P45` lock/unlock event whose unlock-verification field says whether the password was accepted
 *   (1) or not (0). Source: the JT701 protocol's P43/P45 pair as integrators implement it (no
 *   public Jointech document could be read here; the layout of P45 is Traccar's, reference §12.1 J4);
 * - any other text command, as the operator types it, e.g. `(P06,…)`.
 */
import type { DecodedObservation } from '../decoded';

/** `(P43,<password>)`: a six-character static password, as the lock's keypad and SMS use. */
export function encodeJt600Unlock(password: string): Buffer {
  if (!/^[0-9A-Za-z]{6}$/.test(password)) throw new RangeError('a JT701 unlock password is six letters or digits');
  return Buffer.from(`(P43,${password})`, 'latin1');
}

/** A free text command; it must be one `( … )` frame of printable ASCII without a `)` inside. */
export function encodeJt600Text(text: string): Buffer {
  if (!/^\([\x20-\x28\x2a-\x7e]{1,200}\)$/.test(text)) throw new RangeError('a JT600 text command is one "( … )" frame of printable ASCII');
  return Buffer.from(text, 'latin1');
}

/**
 * What a decoded P45 event says about an unlock the server asked for: null when the observation
 * is no P45 event; otherwise whether the lock accepted (unlock verification 1) and the fields kept.
 */
export function jt600UnlockAnswer(o: DecodedObservation): { ok: boolean; detail: string; data: Record<string, unknown> } | null {
  const a = o.attributes ?? {};
  if (a.type !== 'P45') return null;
  const ok = a.unlockVerification === 1;
  const data = {
    type: 'P45',
    eventSource: a.eventSource,
    unlockVerification: a.unlockVerification,
    passwordVerification: a.passwordVerification,
    incorrectPasswordCount: a.incorrectPasswordCount,
    index: a.index,
    time: o.time,
  };
  return {
    ok,
    detail: ok
      ? 'P45 lock event: unlock verified'
      : `P45 lock event: unlock not verified (unlock verification ${String(a.unlockVerification)})`,
    data,
  };
}
