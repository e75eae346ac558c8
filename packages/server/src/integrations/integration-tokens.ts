/**
 * Scoped tokens of HTTP device integrations. LoRaWAN network servers and RFID readers
 * sign nothing, so each integration authenticates with a token of its own kind (Bearer, or Basic)
 * (`chirpstack`, `tts`, `rfid`): a ChirpStack token cannot post RFID reads, and revoking one
 * integration leaves the others working. The token is shown once; only its SHA-256 is stored.
 *
 * An integration belongs to the organisation of whoever created it: it is listed and revoked
 * within that organisation (the platform's administrators: all), and feeds only the devices that
 * organisation owns (device-integrations.ts); the platform's feed every device.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DomainError, toTimestamp, type Principal } from '@sealwatch/core';
import type { IntegrationKind, IntegrationStore, IntegrationToken, Page, PageRequest } from '../storage/ports';

export const integrationKinds = ['chirpstack', 'tts', 'rfid'] as const satisfies readonly IntegrationKind[];

/** What the API shows of an integration: never the token or its hash. */
export type IntegrationView = Omit<IntegrationToken, 'tokenSha256'>;

const sha256Hex = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const view = ({ tokenSha256: _hidden, ...rest }: IntegrationToken): IntegrationView => rest;

/**
 * The token of an Authorization header: `Bearer <token>`, or `Basic` with the token as the password
 * (or as the user name with an empty password): The Things Stack's webhook request authentication
 * and Impinj R700 webhooks can only send Basic.
 */
function bearerOrBasic(header: string): string | null {
  const bearer = /^Bearer\s+(\S{16,200})$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]{4,400})$/i.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const [user, password] = colon === -1 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
  const token = password || user;
  return /^\S{16,200}$/.test(token) ? token : null;
}

export class IntegrationTokens {
  constructor(private readonly deps: { store: IntegrationStore; now: () => number; newId: () => string }) {}

  /** Creates an integration of `organisation` and returns its token, which is never shown again. */
  async create(
    input: { kind: IntegrationKind; name: string },
    actor: string,
    organisation: string,
  ): Promise<{ integration: IntegrationView; token: string }> {
    const token = `swi_${input.kind}_${randomBytes(24).toString('base64url')}`;
    const stored: IntegrationToken = {
      id: this.deps.newId(),
      kind: input.kind,
      name: input.name,
      tokenSha256: sha256Hex(token),
      createdAt: toTimestamp(this.deps.now()),
      createdBy: actor,
      organisation,
      revokedAt: null,
    };
    await this.deps.store.create(stored);
    return { integration: view(stored), token };
  }

  /** The caller's organisation's integrations; every one for the platform. */
  async list(page: PageRequest, caller: Principal): Promise<Page<IntegrationView>> {
    const p = await this.deps.store.list(page, isPlatform(caller) ? undefined : caller.organisation.id);
    return { items: p.items.map(view), nextCursor: p.nextCursor };
  }

  /**
   * Revokes at once: the next request with the token gets 401. Throws unknown_integration for an
   * unknown id and for another organisation's integration (the platform revokes any).
   */
  async revoke(id: string, caller: Principal): Promise<IntegrationView> {
    const found = await this.deps.store.get(id);
    if (!found || (!isPlatform(caller) && found.organisation !== caller.organisation.id)) {
      throw new DomainError('unknown_integration', `no integration ${id}`);
    }
    const t = await this.deps.store.revoke(id, toTimestamp(this.deps.now()));
    if (!t) throw new DomainError('unknown_integration', `no integration ${id}`);
    return view(t);
  }

  /**
   * The live integration of `kind` an Authorization header carries, else null. The lookup is by
   * hash, so the token itself is never compared or stored.
   */
  async authenticate(header: string | undefined, kind: IntegrationKind): Promise<IntegrationView | null> {
    const token = bearerOrBasic(header ?? '');
    if (!token) return null;
    const t = await this.deps.store.findByHash(sha256Hex(token));
    if (!t || t.revokedAt !== null || t.kind !== kind) return null;
    return view(t);
  }
}

const isPlatform = (p: Principal) => p.organisation.kind === 'platform';
