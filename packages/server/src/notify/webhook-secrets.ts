/**
 * Webhook secrets at rest: the store is wrapped so a secret is sealed with the master key when a
 * webhook is created and opened when it is read (to sign a delivery), bound to the webhook's id.
 * A secret stored in clear by an earlier version is read as it is until `resealWebhookSecrets`
 * (at start, and `sealwatch keys rotate-master`) seals it.
 */
import type { Webhook, WebhookStore } from '../storage/webhook-ports';
import type { SecretBox } from '../keys/secret-box';

/** The exact shape of a sealed value: a clear secret chosen by a person does not look like this. */
const SEALED = /^sw1\.[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/;
const context = (id: string) => `webhook:${id}`;

/** The store, with secrets sealed on the way in and opened on the way out. */
export function sealWebhookSecrets(store: WebhookStore, box: SecretBox): WebhookStore {
  const open = (w: Webhook | null): Webhook | null =>
    w && SEALED.test(w.secret) ? { ...w, secret: box.open(w.secret, context(w.id)).toString('utf8') } : w;
  return {
    ...store,
    create: (w) => store.create({ ...w, secret: box.seal(Buffer.from(w.secret, 'utf8'), context(w.id)) }),
    setSecret: (id, secret) => store.setSecret(id, box.seal(Buffer.from(secret, 'utf8'), context(id))),
    get: async (id) => open(await store.get(id)),
    list: async (p, filter) => {
      const page = await store.list(p, filter);
      return { ...page, items: page.items.map((w) => open(w)!) };
    },
  };
}

/** Seals every webhook secret stored in clear or under an older master key (`raw`: the unwrapped store); returns how many. */
export async function resealWebhookSecrets(raw: WebhookStore, box: SecretBox): Promise<number> {
  let n = 0;
  let cursor: string | null | undefined;
  do {
    const page = await raw.list({ limit: 1000, cursor });
    for (const w of page.items) {
      if (box.isCurrent(w.secret) && SEALED.test(w.secret)) continue;
      const clear = SEALED.test(w.secret) ? box.open(w.secret, context(w.id)) : Buffer.from(w.secret, 'utf8');
      if (await raw.setSecret(w.id, box.seal(clear, context(w.id)))) n += 1;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return n;
}
