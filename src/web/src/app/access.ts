/**
 * Who may use what, as the app shows it: the role groups of the server's policy table
 * (src/core/policy.ts — the server is the authority and checks every call; these lists only
 * decide which pages and actions the app offers, so a role never sees what it may not use).
 * Keep them in step with the policy when an operation's roles change.
 */
import { ROLES, type Role } from '../api/auth';

/** Everyone signed in. */
export const EVERY_ROLE: readonly Role[] = ROLES;

/** Who reads operational records and analyses (`analytics.read`, `packages.read`, …): not admins. */
export const OPERATIONAL_READERS: readonly Role[] = [
  'coordinator',
  'contributor',
  'recipient',
  'validator',
  'supplier',
  'auditor',
];

/** Who may open a page: these roles, or `public` (no sign-in at all). */
export type Access = readonly Role[] | 'public';

export function mayAccess(access: Access, role: Role | undefined): boolean {
  if (access === 'public') return true;
  return role !== undefined && access.includes(role);
}
