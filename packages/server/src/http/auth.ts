/**
 * Bearer tokens for management calls (DESIGN §6). Only SHA-256 hashes of tokens are kept; the
 * comparison is constant-time. A full user model replaces the single admin token later.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyValueStore } from '../storage/ports';

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export class TokenAuth {
  private readonly tokens: { hash: Buffer; actor: string }[] = [];

  /** Accepts a token (by hash) as the given actor. */
  allowHash(hash: Buffer, actor: string): void {
    this.tokens.push({ hash, actor });
  }

  /** The actor for an Authorization header value, or null. */
  authenticate(header: string | undefined): string | null {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!m) return null;
    const h = hashToken(m[1]);
    let actor: string | null = null;
    for (const t of this.tokens) if (timingSafeEqual(t.hash, h)) actor = t.actor;
    return actor;
  }
}

const SETTING = 'admin_token_sha256';

/**
 * Sets up the admin token: the configured one, else the stored hash, else a new token that is
 * returned once (to print) while only its hash is stored.
 */
export async function bootstrapAdminToken(
  auth: TokenAuth,
  settings: KeyValueStore,
  configured: string | null,
): Promise<{ generated: string | null }> {
  if (configured) {
    auth.allowHash(hashToken(configured), 'admin');
    return { generated: null };
  }
  const stored = await settings.get(SETTING);
  if (stored) {
    auth.allowHash(Buffer.from(stored, 'hex'), 'admin');
    return { generated: null };
  }
  const token = `swa_${randomBytes(24).toString('base64url')}`;
  await settings.set(SETTING, hashToken(token).toString('hex'));
  auth.allowHash(hashToken(token), 'admin');
  return { generated: token };
}

/** Replaces the stored admin token with a new one (CLI `sealwatch admin-token --reset`). */
export async function resetAdminToken(settings: KeyValueStore): Promise<string> {
  const token = `swa_${randomBytes(24).toString('base64url')}`;
  await settings.set(SETTING, hashToken(token).toString('hex'));
  return token;
}
