/**
 * JT600 (Jointech JT701 e-locks) commands: a remote unlock `(P43,<password>)` with the lock's
 * six-character static password, or any one `( … )` text frame. The P45 lock event that follows an
 * unlock answers the oldest unlock sent (unlock verification 1: done). Text commands get no answer
 * the server can match and expire.
 */
import type { CommandCodec } from '../descriptor';
import { encodeJt600Text, encodeJt600Unlock, jt600UnlockAnswer } from './jt600-commands';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export const jt600CommandCodec: CommandCodec = {
  types: ['unlock', 'custom'],
  paramsProblem({ type, params }) {
    if (type === 'unlock' && !/^[0-9A-Za-z]{6}$/.test(str(params.password)))
      return "params.password: a JT701 unlock needs the lock's six-character static password";
    if (type === 'custom' && !/^\([\x20-\x28\x2a-\x7e]{1,200}\)$/.test(str(params.text)))
      return 'params.text: one "( … )" JT600 text frame of printable ASCII';
    return null;
  },
  encode: ({ type, params }) => (type === 'unlock' ? encodeJt600Unlock(str(params.password)) : encodeJt600Text(str(params.text))),
  answers: ({ observations }) =>
    observations.flatMap((o) => {
      const a = jt600UnlockAnswer(o);
      return a ? [{ to: { oldest: (c) => c.type === 'unlock' }, judge: () => a }] : [];
    }),
};
