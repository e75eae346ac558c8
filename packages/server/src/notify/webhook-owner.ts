/**
 * Whose a webhook is: the organisation of the user who made it, as that user acts now (their
 * organisation and roles); the platform's when the installation token made it, or when it was made
 * before webhooks had owners. One answer for the dispatcher (which movements a delivery may carry),
 * the EPCIS subscriptions (what their reports may hold) and the routes (who lists and removes it).
 */
import type { Principal } from '@sealwatch/core';
import { PLATFORM_ORG, type AccessService } from '../access/access.service';
import type { AccessStore } from '../storage/ports';
import type { Webhook } from '../storage/webhook-ports';

/** The installation token's principal: whom a webhook it made acts for. */
export const platformPrincipal: Principal = {
  id: 'admin',
  name: 'admin',
  roles: ['admin'],
  organisation: { id: PLATFORM_ORG, kind: 'platform', country: null },
};

export type WebhookOwner = (webhook: Webhook) => Promise<Principal | null>;

/** The webhook's owner as a principal; null when its maker's user record is gone (nobody's: nothing is delivered). */
export function webhookOwner(deps: { users: Pick<AccessStore, 'getUser'>; access: Pick<AccessService, 'principalOf'> }): WebhookOwner {
  return async (w) => {
    if (!w.createdBy || w.createdBy === 'admin') return platformPrincipal;
    const user = await deps.users.getUser(w.createdBy);
    return user ? deps.access.principalOf(user) : null;
  };
}

/** Whether the principal manages the webhook: the platform every one, others their own organisation's. */
export async function managesWebhook(p: Principal, w: Webhook, ownerOf: WebhookOwner): Promise<boolean> {
  if (p.organisation.kind === 'platform') return true;
  return (await ownerOf(w))?.organisation.id === p.organisation.id;
}
