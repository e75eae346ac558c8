/**
 * Partner administrations: registered by URL (their well-known document is fetched and their keys
 * pinned), listed with their agreement, keys, last exchange and outbox backlog, ended. A key the
 * partner publishes later is only pinned once an admin accepts it (`acceptKeys`): until then its
 * messages signed with it are refused (401).
 */
import { z } from 'zod';
import { DomainError, retentionBeyondAgreement, sharedFields, toTimestamp, type Agreement, type CopyRetention } from '@sealwatch/core';
import type { FederationKey, FederationStore, Partner } from '../storage/federation-ports';

export const agreementSchema = z.object({
  fields: z.array(z.enum(sharedFields)).max(sharedFields.length),
  positionsInside: z.enum(['partner_territory', 'whole_route']),
  retentionDays: z.number().int().min(1).max(36_500),
});

/**
 * This installation's own days per data class for a partner's copies (its law): each at most the
 * agreement's `retentionDays` (invalid_retention), 0 to purge a class as soon as a movement ends here.
 */
export const retentionSchema = z
  .object(
    Object.fromEntries(sharedFields.map((f) => [f, z.number().int().min(0).max(36_500).optional()])) as Record<
      (typeof sharedFields)[number],
      z.ZodOptional<z.ZodNumber>
    >,
  )
  .strict();

const keySchema = z.object({
  kid: z.string().min(1).max(200),
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().min(40).max(50),
});
/** GET /.well-known/sealwatch-federation (DESIGN §8). */
export const wellKnownSchema = z.object({
  administration: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  name: z.string().min(1).max(200),
  country: z.string().regex(/^[A-Z]{2}$/),
  jwks: z.object({ keys: z.array(keySchema.passthrough()).min(1).max(10) }),
  inbox: z.string().url(),
});
export type WellKnown = z.infer<typeof wellKnownSchema>;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/;

/** Plain http only to loopback, or anywhere with SEALWATCH_FEDERATION_INSECURE (insecure_partner_url). */
export function checkPartnerUrl(url: string, insecure: boolean): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DomainError('insecure_partner_url', `${url} is not a URL`);
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && (insecure || LOOPBACK.test(parsed.hostname))) return parsed;
  throw new DomainError(
    'insecure_partner_url',
    `${url}: partners are reached over https (plain http only on loopback or with SEALWATCH_FEDERATION_INSECURE=true)`,
  );
}

const keysOf = (doc: WellKnown): FederationKey[] => doc.jwks.keys.map(({ kid, kty, crv, x }) => ({ kid, kty, crv, x }));
const sameKeys = (a: FederationKey[], b: FederationKey[]) =>
  a.length === b.length && a.every((k) => b.some((o) => o.kid === k.kid && o.x === k.x));

export interface PartnerDeps {
  store: { federation: FederationStore };
  identity: { administration: string; insecure: boolean };
  now: () => number;
  fetch?: typeof fetch;
}

export class PartnerService {
  constructor(private readonly deps: PartnerDeps) {}

  /** The partner's well-known document (partner_unreachable, invalid_partner_document, insecure_partner_url). */
  async fetchDocument(url: string): Promise<WellKnown> {
    const base = checkPartnerUrl(url, this.deps.identity.insecure);
    const address = new URL('/.well-known/sealwatch-federation', base);
    let body: unknown;
    try {
      const res = await (this.deps.fetch ?? fetch)(address, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      body = await res.json();
    } catch (e) {
      throw new DomainError('partner_unreachable', `${address.href}: ${(e as Error).message}`);
    }
    const doc = wellKnownSchema.safeParse(body);
    if (!doc.success) throw new DomainError('invalid_partner_document', `${address.href}: ${doc.error.issues[0]?.message}`);
    checkPartnerUrl(doc.data.inbox, this.deps.identity.insecure);
    return doc.data;
  }

  /** Registers a partner: fetches its document and pins its keys (partner_exists while one is active). */
  async register(url: string, agreement: Agreement, retention: CopyRetention = {}): Promise<Partner> {
    checkRetention(retention, agreement);
    const doc = await this.fetchDocument(url);
    if (doc.administration === this.deps.identity.administration)
      throw new DomainError('invalid_partner_document', `${url} is this installation (${doc.administration})`);
    const existing = await this.deps.store.federation.getPartner(doc.administration);
    if (existing && !existing.endedAt) throw new DomainError('partner_exists', `${doc.administration} is already a partner`);
    const now = toTimestamp(this.deps.now());
    const partner: Partner = {
      administration: doc.administration,
      name: doc.name,
      country: doc.country,
      url,
      inbox: doc.inbox,
      agreement,
      retention,
      keys: keysOf(doc),
      pendingKeys: null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      endedAt: null,
      lastExchangeAt: existing?.lastExchangeAt ?? null,
    };
    await this.deps.store.federation.putPartner(partner);
    return partner;
  }

  async get(administration: string): Promise<Partner> {
    const p = await this.deps.store.federation.getPartner(administration);
    if (!p) throw new DomainError('unknown_partner', `no partner ${administration}`);
    return p;
  }

  /** Sets this installation's own retention per data class for the partner's copies (invalid_retention beyond the agreement). */
  async setRetention(administration: string, retention: CopyRetention): Promise<Partner> {
    const p = await this.get(administration);
    checkRetention(retention, p.agreement);
    const changed = { ...p, retention, updatedAt: toTimestamp(this.deps.now()) };
    await this.deps.store.federation.putPartner(changed);
    return changed;
  }

  /** Ends the partnership: nothing more is sent, its messages are refused (403); the record stays for the access report. */
  async end(administration: string): Promise<Partner> {
    const p = await this.get(administration);
    const now = toTimestamp(this.deps.now());
    const ended = { ...p, endedAt: p.endedAt ?? now, updatedAt: now };
    await this.deps.store.federation.putPartner(ended);
    return ended;
  }

  /**
   * Fetches the partner's document again; keys that differ from the pinned ones wait as
   * `pendingKeys` for an admin. Returns the partner as stored after the check.
   */
  async checkKeys(administration: string): Promise<Partner> {
    const p = await this.get(administration);
    const doc = await this.fetchDocument(p.url);
    const keys = keysOf(doc);
    if (sameKeys(keys, p.keys) || (p.pendingKeys && sameKeys(keys, p.pendingKeys))) return p;
    const changed = { ...p, pendingKeys: keys, updatedAt: toTimestamp(this.deps.now()) };
    await this.deps.store.federation.putPartner(changed);
    return changed;
  }

  /** Pins the keys waiting for acceptance (no_pending_keys when there are none). */
  async acceptKeys(administration: string): Promise<Partner> {
    const p = await this.checkKeys(administration);
    if (!p.pendingKeys) throw new DomainError('no_pending_keys', `${administration} publishes the keys already pinned`);
    const accepted = { ...p, keys: p.pendingKeys, pendingKeys: null, updatedAt: toTimestamp(this.deps.now()) };
    await this.deps.store.federation.putPartner(accepted);
    return accepted;
  }
}

function checkRetention(retention: CopyRetention, agreement: Agreement): void {
  const why = retentionBeyondAgreement(retention, agreement);
  if (why) throw new DomainError('invalid_retention', `${why}: a copy is never kept longer than the agreement allows`);
}
