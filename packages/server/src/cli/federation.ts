/** `sealwatch federation rotate-key`: the federation signing key, rotated like the audit key (audit/server-key.ts). */
import { loadServerKeyRing, rotateServerKey } from '../audit/server-key';
import { KEY_OVERLAP_MS } from '../federation/federation-keys';
import { openStore } from './audit';

/**
 * A new Ed25519 federation signing key. The old one stays published in the well-known document for
 * the overlap (seven days), so messages it signed still verify; each partner's admin accepts the
 * new key (POST /api/v1/federation/partners/{id}/keys/accept) before messages signed with it are taken.
 */
export async function federationRotateKeyCommand(
  env: NodeJS.ProcessEnv,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<{ keyId: string; previous: string }> {
  const store = await openStore(env);
  try {
    const before = await loadServerKeyRing(store.settings, store.secrets, 'federation');
    const ring = await rotateServerKey(store.settings, store.secrets, new Date().toISOString(), 'federation');
    out(
      `federation signing key rotated: new key ${ring.current.keyId}; previous key ${before.current.keyId} stays published for ${KEY_OVERLAP_MS / 86_400_000} days`,
    );
    out('ask each partner administration to accept the new key (POST /api/v1/federation/partners/<your administration>/keys/accept)');
    return { keyId: ring.current.keyId, previous: before.current.keyId };
  } finally {
    await store.close();
  }
}
