/** The audit trail: entries, verification, the server's public key, evidence exports. */
import { asMovementId, movementScope, type AuditEntry } from '@sealwatch/core';
import type { SubjectCache } from '../../access/scope';
import { z } from 'zod';
import type { AppContext } from '../../app-context';
import { buildEvidence } from '../../audit/evidence';
import { verifyAuditTrail } from '../../audit/audit-verify';
import type { Api } from '../route';
import { idParams } from '../schemas';

const entriesQuery = z.object({
  fromSeq: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export function auditRoutes(api: Api, ctx: AppContext): void {
  const { store, audit } = ctx;

  api.route({
    method: 'GET',
    url: '/api/v1/audit/entries',
    operationId: 'listAuditEntries',
    tag: 'audit',
    auth: 'user',
    permission: 'audit.read',
    summary:
      'Audit trail entries in chain order, from a position; outside a full scope only those about movements in scope and devices while on them',
    query: entriesQuery,
    responses: { 200: { description: 'entries and the position of the next page (null at the head)' } },
    handler: async ({ query, principal }) => {
      if (movementScope(principal).kind === 'all') {
        const items = await store.audit.range(query.fromSeq, query.limit);
        const last = items.at(-1);
        return { items, nextFromSeq: last && items.length === query.limit ? last.seq + 1 : null };
      }
      // Outside a full scope: the entries whose subjects are in scope (a movement of it, a device
      // while on one); a bounded stretch of the chain is read per page, the rest from nextFromSeq.
      const cache: SubjectCache = new Map();
      const items: AuditEntry[] = [];
      let from = query.fromSeq;
      for (let scanned = 0; scanned < 20; scanned++) {
        const batch = await store.audit.range(from, 500);
        for (const e of batch) {
          const subjects = await ctx.scopes.visibleSubjects(principal, e.subjects, e.time, cache);
          if (!subjects) continue;
          // A subject outside the scope is left out, and with it the entry's facts, which may
          // describe it: the entry is still shown whole by seq and hash, so the chain stays checkable.
          items.push(
            subjects.length === e.subjects.length ? e : { ...e, subjects, data: { redacted: e.subjects.length - subjects.length } },
          );
          if (items.length === query.limit) return { items, nextFromSeq: e.seq + 1 };
        }
        if (batch.length < 500) return { items, nextFromSeq: null };
        from = batch[batch.length - 1].seq + 1;
      }
      return { items, nextFromSeq: from };
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/audit/key',
    operationId: 'getAuditKey',
    tag: 'audit',
    auth: 'user',
    permission: 'audit.read',
    summary:
      "The server's public key that signs audit checkpoints (publish its thumbprint), and the earlier keys (after `sealwatch audit rotate-key`) with their validity",
    responses: {
      200: {
        description:
          'key id (RFC 7638 thumbprint) and public JWK of the current key; `keys`: current first, then earlier ones, each with validFrom/validUntil',
      },
    },
    handler: async () => {
      const keys = await audit.publicKeys();
      return { keyId: keys[0].keyId, publicJwk: keys[0].publicJwk, keys };
    },
  });

  api.route({
    method: 'POST',
    url: '/api/v1/audit/verify',
    operationId: 'verifyAudit',
    tag: 'audit',
    auth: 'user',
    permission: 'audit.read',
    summary: 'Verify the whole trail and its signed checkpoints; names the first altered entry',
    responses: { 200: { description: 'the verification report (ok false names the first problem)' } },
    handler: async () => verifyAuditTrail(store.audit, await audit.publicKeys()),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/movements/:id/evidence',
    operationId: 'getMovementEvidence',
    tag: 'audit',
    auth: 'user',
    permission: 'audit.read',
    summary: 'Evidence export of one movement, verifiable offline with scripts/verify-evidence.mjs (docs/audit.md)',
    params: idParams,
    responses: { 200: { description: 'sealwatch-evidence/1 document' }, 404: { description: 'unknown movement' } },
    handler: async ({ params, reply, principal }) => {
      await ctx.scopes.movement(principal, params.id);
      reply.header('content-disposition', `attachment; filename="evidence-${params.id}.json"`);
      return buildEvidence(store, audit, asMovementId(params.id), ctx.now());
    },
  });
}
