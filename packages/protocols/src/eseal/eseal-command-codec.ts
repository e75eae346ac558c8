/**
 * eSeal commands: a remote unlock `RC-Unlock`, or a message type with its fields as the operator
 * types them (e.g. `RC-NFC DEL`). `RC-Unlock ACK` or an `Event-RC-Unlock` report answers the
 * oldest unlock sent, and `<type> ACK` the oldest custom command of that type.
 */
import type { CommandCodec } from '../descriptor';
import { encodeEsealCommand, encodeEsealUnlock } from './eseal-encoder';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export const esealCommandCodec: CommandCodec = {
  types: ['unlock', 'custom'],
  paramsProblem({ type, params }) {
    if (type === 'custom' && !/^[\x20-\x7e]{1,200}$/.test(str(params.text)))
      return 'params.text: the eSeal message type and fields, printable ASCII';
    return null;
  },
  encode: ({ type, params }, to) =>
    type === 'unlock' ? encodeEsealUnlock(to.identifier) : encodeEsealCommand(to.identifier, str(params.text)),
  answers: ({ observations }) =>
    observations.flatMap((o) => {
      const type = String(o.attributes?.type ?? '');
      const judge = () => ({ ok: true, detail: type, data: { type, fields: o.attributes?.fields ?? null, time: o.time } });
      if (type === 'RC-Unlock ACK' || type === 'Event-RC-Unlock') return [{ to: { oldest: (c) => c.type === 'unlock' }, judge }];
      if (!type.endsWith(' ACK')) return [];
      const asked = type.slice(0, -' ACK'.length);
      return [{ to: { oldest: (c) => c.type === 'custom' && str(c.params.text).split(',')[0] === asked }, judge }];
    }),
};
