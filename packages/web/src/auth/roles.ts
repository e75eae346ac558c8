/**
 * What the console offers a user. The server enforces the policy (core/access/policy.ts) and
 * filters the data; the console only hides what the user cannot do, using the permissions that
 * GET /api/v1/auth/me lists (roles, narrowed by an API token's scopes).
 */
import type { Permission } from '@sealwatch/core/access/policy';

export interface User {
  id: string;
  name: string;
  roles: string[];
  organisation: { id: string; kind: string; country: string | null };
  permissions: string[];
}

/** True when the server listed the permission for this user. */
export function can(user: User | null, permission: Permission): boolean {
  return !!user && user.permissions.includes(permission);
}

/** A trader's users get the trader portal instead of the monitoring screens. */
export function isTrader(user: User | null): boolean {
  return !!user && (user.organisation.kind === 'trader' || (user.roles.length > 0 && user.roles.every((r) => r === 'trader')));
}

/** True for users who follow movements live (monitoring screens, trader portal). */
export function followsMovements(user: User | null): boolean {
  return can(user, 'movements.read') || can(user, 'alerts.read');
}

/** The console's screens a user may open, in menu order. */
export function screensFor(user: User | null): Screen[] {
  if (!user) return [];
  const out: Screen[] = [];
  if (isTrader(user)) out.push('trader');
  else if (followsMovements(user)) out.push('monitor');
  if (can(user, 'offices.read')) out.push('offices');
  if (can(user, 'devices.read')) out.push('devices');
  if (can(user, 'movements.read') && !isTrader(user)) out.push('movements');
  // the analyst's console; officers see a movement's risk on its page
  if (can(user, 'risk.write') && !isTrader(user)) out.push('risk');
  if (can(user, 'risk.advice') && isTrader(user)) out.push('advice');
  if (can(user, 'quarantine.read')) out.push('quarantine');
  if (can(user, 'audit.read')) out.push('audit');
  if (can(user, 'training.manage')) out.push('training');
  // incidents e-mailed to the person: customs people who read alerts (the admin token has no settings; traders follow the portal)
  if (can(user, 'alerts.read') && !isTrader(user) && user.id !== 'admin') out.push('notifications');
  if (can(user, 'users.manage')) out.push('admin');
  // every signed-in user may hold API tokens for their own systems; administrators manage all in `admin`
  else out.push('tokens');
  return out;
}

/** The screen shown at `#/`: the trader portal, the monitor, or device health for a device provider. */
export function homeOf(user: User): Screen {
  return screensFor(user)[0] ?? 'tokens';
}

export type Screen =
  | 'monitor'
  | 'offices'
  | 'devices'
  | 'movements'
  | 'quarantine'
  | 'audit'
  | 'trader'
  | 'admin'
  | 'tokens'
  | 'risk'
  | 'advice'
  | 'training'
  | 'notifications';
