/**
 * Who a request is: the admin tokens (one generated on the first start when none is configured),
 * and users, sessions and API tokens, with the platform organisation created if missing.
 */
import type { Config } from '../config/config';
import { AccessService } from '../access/access.service';
import { TokenAuth, bootstrapAdminToken } from '../http/auth';
import type { OpenedStore } from './store';

export async function wireAccess(p: {
  config: Readonly<Config>;
  opened: OpenedStore;
  now: () => number;
  newId: () => string;
}): Promise<{ auth: TokenAuth; access: AccessService; generatedAdminToken: string | null }> {
  const {
    config,
    opened: { store, master },
  } = p;
  const auth = new TokenAuth();
  const { generated } = await bootstrapAdminToken(auth, store.settings, config.adminToken);
  const access = new AccessService({
    store: store.access,
    adminTokens: auth,
    now: p.now,
    newId: p.newId,
    sessionTtlMs: config.http.sessionTtlMs,
    box: master.box,
  });
  await access.bootstrap();
  return { auth, access, generatedAdminToken: generated };
}
