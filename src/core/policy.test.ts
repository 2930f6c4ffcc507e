import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.js';
import { POLICY, READ_OPERATIONS, allowedOperations, isAllowed, type Operation } from './policy.js';

const everyOperation = Object.keys(POLICY) as Operation[];

describe('allowedOperations', () => {
  it('lists exactly what authorize allows, for every role', () => {
    for (const role of [
      'coordinator',
      'contributor',
      'recipient',
      'validator',
      'supplier',
      'auditor',
      'admin',
      'system',
    ] as const) {
      const actor: Actor = { id: `t:${role}`, role };
      expect(allowedOperations(actor)).toEqual(everyOperation.filter((op) => isAllowed(actor, op)));
    }
  });

  it('gives a read-only token only reads and verifications of its role', () => {
    const actor: Actor = { id: 't', role: 'coordinator', readOnly: true };
    const allowed = allowedOperations(actor);
    expect(allowed).toContain('analytics.read');
    expect(allowed).not.toContain('packages.allocate');
    expect(allowed.every((op) => READ_OPERATIONS.has(op) && isAllowed(actor, op))).toBe(true);
  });

  it('gives an administrator no operational reads', () => {
    const allowed = allowedOperations({ id: 'a', role: 'admin' });
    expect(allowed).toContain('users.manage');
    expect(allowed).not.toContain('analytics.read');
  });
});
