/**
 * Who is acting. Every service method takes an `Actor` and starts with an access check against
 * the policy table (`policy.ts`); every audit event records the actor and role.
 */
export const ROLES = [
  'coordinator',
  'contributor',
  'recipient',
  'validator',
  'supplier',
  'auditor',
  'admin',
  'system',
] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  /** A user id, a token id, or `system:<what>` for the CLI and internal jobs. */
  id: string;
  role: Role;
  /** The party a contributor acts for (ISO 3166 alpha-3 or a party id). */
  partyId?: string;
  /** A read-only API token: only operations that change nothing (`READ_OPERATIONS`). */
  readOnly?: boolean;
}

/** The CLI and internal jobs act as `system`, always audited under a name saying what ran. */
export function systemActor(what: string): Actor {
  return { id: `system:${what}`, role: 'system' };
}
