/**
 * Who may be given an alert or an incident. A person named as assignee must be able to see the
 * movement and act on its alerts, or the item would look handled while its assignee cannot open
 * it (found by an adversarial pass). A name that is no user's is a response unit's, kept as typed.
 */
import { asMovementId, can, DomainError } from '@sealwatch/core';
import type { AppContext } from '../app-context';

export async function assertMayBeAssigned(
  ctx: Pick<AppContext, 'store' | 'access' | 'scopes'>,
  assignee: string,
  movementId: string | null,
): Promise<void> {
  const user = (await ctx.store.access.getUser(assignee)) ?? (await ctx.store.access.getUserByUsername(assignee));
  if (!user) return;
  const movement = movementId ? await ctx.store.movements.get(asMovementId(movementId)) : null;
  const them = await ctx.access.principalOf(user);
  const able = !user.disabled && can(them, 'alerts.act') && (movement ? await ctx.scopes.canSee(them, movement) : true);
  if (!able)
    throw new DomainError('assignee_cannot_act', `${assignee} cannot see this movement or act on its alerts`, { field: 'assignee' });
}
