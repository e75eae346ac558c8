/**
 * What the console offers a user: the server enforces the policy (core/access/policy.ts) and
 * filters the data; the console only hides what a role cannot do, using the same table.
 */
import { rolePermissions, roles as knownRoles, type Permission, type Role } from '@sealwatch/core/access/policy';

export interface User {
  id: string;
  name: string;
  roles: string[];
  organisation?: unknown;
}

/** The admin token stands for the installation's administrator. */
export const TOKEN_USER: User = { id: 'admin', name: 'Admin token', roles: ['admin'] };

const isRole = (r: string): r is Role => (knownRoles as readonly string[]).includes(r);

/** True when one of the user's roles grants the permission. Unknown roles grant nothing. */
export function can(user: User | null, permission: Permission): boolean {
  return !!user && user.roles.some((r) => isRole(r) && rolePermissions[r].includes(permission));
}

/** A trader (and nobody else) gets the trader portal instead of the monitoring screens. */
export function isTraderOnly(user: User | null): boolean {
  return !!user && user.roles.length > 0 && user.roles.every((r) => r === 'trader');
}

/** The console's screens a user may open, in menu order. */
export function screensFor(user: User | null): Screen[] {
  if (!user) return [];
  if (isTraderOnly(user)) return ['trader'];
  const out: Screen[] = [];
  if (can(user, 'movements.read') || can(user, 'alerts.read')) out.push('monitor');
  if (can(user, 'offices.read')) out.push('offices');
  if (can(user, 'devices.read')) out.push('devices');
  if (can(user, 'movements.read')) out.push('movements');
  return out;
}

export type Screen = 'monitor' | 'offices' | 'devices' | 'movements' | 'trader';
