/**
 * Whose risk settings apply (docs/risk.md, "Per administration"). Each customs administration
 * keeps its own layer of risk settings: profiles and the active version, the risk reference,
 * trader records and the device cost model. The installation keeps one more layer ('' here),
 * the platform's, which an administration uses wherever it has set nothing of its own.
 *
 * A movement is scored under the administration of its office of departure's country: the one
 * that declared it, released it for transit and answers for the procedure until it is discharged.
 */
import { DomainError, type Movement, type Principal, type RiskReferenceEntry, type RiskReferenceKind } from '@sealwatch/core';
import type { Store } from '../storage/ports';

/** The installation's own layer: the platform's settings, used where an administration has none. */
export const INSTALLATION = '';

type Ports = Pick<Store, 'access' | 'offices'>;

/** The customs administration of a country: the customs organisation with that country (the first by id if several). */
export async function administrationOfCountry(store: Pick<Store, 'access'>, country: string | null): Promise<string> {
  if (!country) return INSTALLATION;
  const ids = (await store.access.listOrganisations())
    .filter((o) => o.kind === 'customs' && o.country === country)
    .map((o) => o.id)
    .sort();
  return ids[0] ?? INSTALLATION;
}

/** The administration whose risk settings score the movement: its office of departure's country's. */
export async function administrationOfMovement(store: Ports, m: Pick<Movement, 'departureOffice'>): Promise<string> {
  const office = await store.offices.get(m.departureOffice);
  return administrationOfCountry(store, office?.country ?? null);
}

/**
 * The layer a caller reads or changes. A customs administration's users act on their own
 * administration's; the platform on the installation's, or on any administration's it names
 * (`administration`); an auditor reads any it names. Naming another administration otherwise
 * is 404, as if it did not exist.
 */
export async function riskLayerOf(
  store: Pick<Store, 'access'>,
  p: Principal,
  requested: string | undefined,
  mode: 'read' | 'write',
): Promise<string> {
  const { kind, id } = p.organisation;
  const own = kind === 'customs' ? id : INSTALLATION;
  if (requested === undefined || requested === own) return own;
  const may = kind === 'platform' || (kind === 'auditor' && mode === 'read');
  const org = may ? await store.access.getOrganisation(requested) : null;
  if (!org || org.kind !== 'customs') {
    throw new DomainError(
      'unknown_organisation',
      `no customs administration ${requested} whose risk settings you may ${mode === 'read' ? 'read' : 'change'}`,
      {
        administration: requested,
      },
    );
  }
  return org.id;
}

/**
 * The risk reference an administration's assessments read: the installation's entries, each
 * replaced by the administration's own entry for the same item, by kind then key.
 */
export async function effectiveReference(
  store: Pick<Store, 'risk'>,
  administration: string,
  kind?: RiskReferenceKind,
): Promise<(RiskReferenceEntry & { administration: string | null })[]> {
  const base = await store.risk.listReference({ kind });
  const own = administration === INSTALLATION ? [] : await store.risk.listReference({ kind, administration });
  const byItem = new Map<string, RiskReferenceEntry & { administration: string | null }>();
  for (const e of base) byItem.set(`${e.kind}\u0000${e.key}`, { ...e, administration: null });
  for (const e of own) byItem.set(`${e.kind}\u0000${e.key}`, { ...e, administration });
  return [...byItem.values()].sort((a, b) => (a.kind === b.kind ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.kind < b.kind ? -1 : 1));
}
