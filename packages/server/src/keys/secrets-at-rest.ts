/**
 * Every secret Sealwatch stores, sealed under the current master key in one pass: device HS256
 * secrets and content keys, the secret settings (audit signing key, ECDH-ES encryption keys, demo
 * seed), webhook secrets and users' TOTP secrets. Values stored in clear by an earlier version
 * and values sealed under an older master key are (re-)sealed; the rest is left alone, so running
 * it again changes nothing. Run at every start and by `sealwatch keys rotate-master`.
 */
import { resealTotpSecrets } from '../access/access.service';
import type { AccessStore } from '../storage/ports';
import { resealWebhookSecrets } from '../notify/webhook-secrets';
import type { WebhookStore } from '../storage/webhook-ports';
import type { DeviceKeyService } from './device-keys.service';
import type { SealedSettings } from './sealed-settings';
import type { SecretBox } from './secret-box';

/** How many values of each kind were (re-)sealed. */
export interface ResealCounts {
  deviceSecrets: number;
  settings: number;
  webhooks: number;
  totp: number;
}

export async function resealAllSecrets(deps: {
  box: SecretBox;
  deviceKeys: Pick<DeviceKeyService, 'resealSecrets'>;
  settings: SealedSettings;
  /** The unwrapped webhook store (its secrets as stored). */
  webhooks: WebhookStore;
  access: AccessStore;
}): Promise<ResealCounts> {
  return {
    deviceSecrets: await deps.deviceKeys.resealSecrets(),
    settings: await deps.settings.reseal(),
    webhooks: await resealWebhookSecrets(deps.webhooks, deps.box),
    totp: await resealTotpSecrets(deps.access, deps.box),
  };
}

/** The total of a ResealCounts. */
export const resealTotal = (c: ResealCounts) => c.deviceSecrets + c.settings + c.webhooks + c.totp;
