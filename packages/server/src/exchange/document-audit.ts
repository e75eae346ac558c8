/** Every exchange document in or out goes into the audit trail with the SHA-256 of its bytes (docs/exchange.md). */
import type { AppContext } from '../app-context';
import { documentEntry } from '../audit/audit-entries';

export function recordDocument(
  ctx: Pick<AppContext, 'audit' | 'now' | 'newId'>,
  d: { actor: string; direction: 'in' | 'out'; document: string; bytes: string; subjects: string[]; status: number },
): Promise<void> {
  return ctx.audit.record([documentEntry({ ...d, id: ctx.newId(), actor: `user:${d.actor}`, at: ctx.now() })]);
}
