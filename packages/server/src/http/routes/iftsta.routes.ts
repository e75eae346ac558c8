/** UN/EDIFACT IFTSTA D.00B status report of a movement (DESIGN §8, docs/exchange.md); built by core/exchange/iftsta.ts. */
import { buildIftsta } from '@sealwatch/core';
import type { AppContext } from '../../app-context';
import { recordDocument } from '../../exchange/document-audit';
import { loadSealStatuses } from '../../exchange/seal-statuses';
import type { Api } from '../route';
import { idParams } from '../schemas';

export function iftstaRoutes(api: Api, ctx: AppContext): void {
  api.route({
    method: 'GET',
    url: '/api/v1/movements/:id/iftsta',
    operationId: 'getMovementIftsta',
    tag: 'exchange',
    auth: 'user',
    permission: 'movements.read',
    summary:
      'The movement as a UN/EDIFACT IFTSTA D.00B status report (application/edifact): EQD per container, SEL per seal with its condition (4517: 1 right, 4 broken, 5 faulty electronic seal)',
    params: idParams,
    responses: { 200: { description: 'IFTSTA interchange (UNOC)', contentType: 'application/edifact' } },
    handler: async ({ params, principal, actor, reply }) => {
      const movement = await ctx.scopes.movement(principal, params.id);
      const reference = ctx.newId().replace(/-/g, '').slice(0, 14).toUpperCase();
      const text = buildIftsta({
        movement,
        seals: await loadSealStatuses(ctx.store, movement),
        sender: 'SEALWATCH',
        recipient: (movement.trader ?? 'TRADER').slice(0, 35),
        controlReference: reference,
        preparedAt: ctx.now(),
      });
      await recordDocument(ctx, { actor, direction: 'out', document: 'IFTSTA', bytes: text, subjects: [movement.id], status: 200 });
      reply.type('application/edifact; charset=utf-8');
      return text;
    },
  });
}
