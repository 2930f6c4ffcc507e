/**
 * Who may use what, as the app shows it: each page, menu entry and action names the operation
 * of the server's policy table (src/core/policy.ts) it performs, and the signed-in user's answer
 * of `GET /auth/me` lists the operations it may perform — derived from that same table, so the
 * app never keeps role lists in step by hand. The server is the authority and checks every call;
 * this only decides what the app offers, so nobody sees what they may not use.
 */
import type { Me } from '../api/auth';
import { useSession } from './session';

/** An operation of the policy table (`analytics.read`, `packages.allocate`, …). */
export type Operation = Me['operations'][number];

/** Who may open a page: those who may perform this operation, or `public` (no sign-in). */
export type Access = Operation | 'public';

export function mayAccess(access: Access, operations: readonly Operation[] | undefined): boolean {
  if (access === 'public') return true;
  return operations !== undefined && operations.includes(access);
}

/** True when the signed-in user may perform `operation` (what an action button asks). */
export function useMay(operation: Operation): boolean {
  return mayAccess(operation, useSession().me.operations);
}
