/**
 * Who may do what, and see which data: the one policy module. Pure: the server asks
 * it for every endpoint (a permission) and every list, item and stream message (a scope).
 *
 * Parties must not see each other's business: a trader sees its own movements, a customs
 * administration the movements that start or end in its jurisdiction, a device provider the
 * health of its own devices and never cargo data, an auditor reads everything and writes nothing.
 */
import type { DeviceId, MovementId, OfficeCode } from '../ids';

export const roles = [
  'operator',
  'officer',
  'supervisor',
  'risk_analyst',
  'trader',
  'device_provider',
  'auditor',
  'instructor',
  'admin',
] as const;
export type Role = (typeof roles)[number];

export const organisationKinds = ['customs', 'trader', 'device_provider', 'auditor', 'platform'] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

export const permissions = [
  'movements.read',
  'movements.write',
  'alerts.read',
  'alerts.act',
  'devices.read',
  'devices.write',
  'offices.read',
  'offices.write',
  'quarantine.read',
  'audit.read',
  'risk.read',
  'risk.decide',
  'risk.write',
  'stream.read',
  'users.manage',
  'integrations.manage',
  'devices.command',
  // Device-class advice for a planned movement: customs risk roles, and traders for their own plans.
  'risk.advice',
  // Minting API tokens: every role may make tokens for its systems; a token may mint only if its
  // scopes include this, and never wider than itself.
  'tokens.create',
  // Training (DESIGN §8): listing exercises, starting, finishing and scoring trainees' runs.
  'training.manage',
  // Sending supply-chain events (EPCIS capture: seals applied, loadings, reads) about movements in one's scope.
  'events.capture',
  // A trader's consent to lend the devices it holds to an administration (per declaration, or standing).
  'custody.consent',
] as const;
export type Permission = (typeof permissions)[number];

const read: Permission[] = ['movements.read', 'alerts.read', 'devices.read', 'offices.read', 'stream.read', 'tokens.create'];

/** What each role may do. Data scope comes on top, from the user's organisation. */
export const rolePermissions: Record<Role, readonly Permission[]> = {
  operator: [...read, 'alerts.act', 'quarantine.read', 'risk.read', 'risk.advice'],
  officer: [
    ...read,
    'alerts.act',
    'movements.write',
    'quarantine.read',
    'risk.read',
    'risk.decide',
    'devices.command',
    'risk.advice',
    'events.capture',
  ],
  supervisor: [
    ...read,
    'alerts.act',
    'movements.write',
    'offices.write',
    'quarantine.read',
    'audit.read',
    'risk.read',
    'risk.decide',
    'devices.command',
    'risk.advice',
    'events.capture',
  ],
  risk_analyst: [...read, 'risk.read', 'risk.write', 'risk.advice'],
  trader: ['movements.read', 'alerts.read', 'stream.read', 'risk.advice', 'tokens.create', 'events.capture', 'custody.consent'],
  // Providers run the network servers and readers of their own devices (an integration feeds only its organisation's devices).
  device_provider: ['devices.read', 'devices.write', 'stream.read', 'tokens.create', 'integrations.manage'],
  auditor: [...read, 'quarantine.read', 'audit.read', 'risk.read', 'risk.advice'],
  // Runs exercises for trainees; sees live data like an operator but acts on none of it.
  instructor: [...read, 'training.manage'],
  admin: [...permissions],
};

/** The roles an organisation of each kind may give its users. */
export const rolesByOrganisationKind: Record<OrganisationKind, readonly Role[]> = {
  customs: ['operator', 'officer', 'supervisor', 'risk_analyst', 'instructor', 'admin'],
  trader: ['trader'],
  device_provider: ['device_provider'],
  auditor: ['auditor'],
  platform: ['admin', 'auditor', 'operator', 'instructor'],
};

export interface Principal {
  /** `admin` for the installation token; a user id otherwise. */
  id: string;
  name: string;
  roles: readonly Role[];
  organisation: { id: string; kind: OrganisationKind; country: string | null };
  /** An API token's scopes: the principal may do only what both its roles and these allow. */
  scopes?: readonly Permission[];
  /** When the API token this principal acts through expires (null: never); absent for sessions and the admin token. */
  tokenExpiresAt?: string | null;
  /** The API token this principal acts through (its children record it as their maker); absent otherwise. */
  tokenId?: string;
}

/** True if the principal's roles (and token scopes, if any) grant the permission. */
export function can(p: Principal, permission: Permission): boolean {
  if (p.scopes && !p.scopes.includes(permission)) return false;
  return p.roles.some((r) => rolePermissions[r].includes(permission));
}

/**
 * Whether an instructor may start a training run for `user`, and so see the user's name and id in
 * the trainee picker (DESIGN §8). A trainee handles alerts in the run: an enabled user whose roles
 * may act on alerts. An administration's instructor trains its own organisation's people only,
 * never another's; the platform (the installation's operator, which already administers every
 * organisation's users) trains anyone's, as it dispatches anyone for an incident.
 */
export function mayTrain(
  instructor: Pick<Principal, 'organisation'>,
  user: { organisation: string; roles: readonly Role[]; disabled: boolean },
): boolean {
  if (user.disabled || !user.roles.some((r) => rolePermissions[r].includes('alerts.act'))) return false;
  return instructor.organisation.kind === 'platform' || user.organisation === instructor.organisation.id;
}

/** Which movements a principal sees. */
export type MovementScope =
  { kind: 'all' } | { kind: 'jurisdiction'; country: string } | { kind: 'trader'; trader: string } | { kind: 'none' };

/**
 * The platform operator and auditors see every movement; a customs administration its country's
 * (one without a country, e.g. a central or regional administration, every movement); a trader
 * its own; a device provider none.
 */
export function movementScope(p: Principal): MovementScope {
  if (!can(p, 'movements.read')) return { kind: 'none' };
  const org = p.organisation;
  switch (org.kind) {
    case 'platform':
    case 'auditor':
      return { kind: 'all' };
    case 'customs':
      return org.country ? { kind: 'jurisdiction', country: org.country } : { kind: 'all' };
    case 'trader':
      return { kind: 'trader', trader: org.id };
    case 'device_provider':
      return { kind: 'none' };
  }
}

export interface MovementFacts {
  id: MovementId;
  trader: string | null;
  departureOffice: OfficeCode;
  destinationOffice: OfficeCode;
  devices: readonly DeviceId[];
}

/** True if the movement is in scope; `officeCountry` gives an office's ISO 3166 country. */
export function canSeeMovement(scope: MovementScope, m: MovementFacts, officeCountry: (code: OfficeCode) => string | null): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'trader':
      return m.trader === scope.trader;
    case 'jurisdiction':
      return officeCountry(m.departureOffice) === scope.country || officeCountry(m.destinationOffice) === scope.country;
  }
}

/** Which devices a principal sees: customs, platform and auditors all; a provider its own. */
export function deviceScope(p: Principal): { kind: 'all' } | { kind: 'owner'; owner: string } | { kind: 'none' } {
  if (!can(p, 'devices.read')) return { kind: 'none' };
  return p.organisation.kind === 'device_provider' ? { kind: 'owner', owner: p.organisation.id } : { kind: 'all' };
}

/**
 * What a trader reads of an alert or incident: what happened and its outcome, not the customs
 * side's working notes (comments, who acted, the assignee, a mute's reason), which can name
 * intelligence about the trader itself. Everyone else reads the item whole.
 */
export function forReader<
  T extends {
    assignee?: string | null;
    comment?: string | null;
    history: { by: string | null; comment?: string; assignee?: string }[];
    details?: Record<string, unknown>;
  },
>(item: T, p: Pick<Principal, 'organisation'>): T {
  if (p.organisation.kind !== 'trader') return item;
  const { quiet, ...details } = (item.details ?? {}) as Record<string, unknown>;
  return {
    ...item,
    ...('assignee' in item ? { assignee: null } : {}),
    ...('comment' in item ? { comment: null } : {}),
    ...(item.details
      ? {
          details: quiet
            ? { ...details, quiet: { reason: (quiet as { reason?: unknown }).reason === 'muted' ? 'muted' : 'quiet' } }
            : details,
        }
      : {}),
    history: item.history.map(({ comment: _c, assignee: _a, ...h }) => ({ ...h, by: null })),
  };
}
