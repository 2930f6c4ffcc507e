import { describe, expect, it } from 'vitest';
import { ROLES, type Actor, type Role } from './actor.js';
import {
  REDACTED,
  dependsOnParties,
  isRedacted,
  maySeeRestricted,
  redactFields,
  type RestrictedRecordKind,
} from './redaction.js';

const as = (role: Role, partyId?: string): Actor => ({
  id: `test:${role}`,
  role,
  ...(partyId ? { partyId } : {}),
});

/** Who sees the restricted fields of a record that NLD funds (or owns), by kind. */
const EXPECTED: Record<RestrictedRecordKind, Record<string, boolean>> = {
  package: {
    coordinator: true,
    recipient: true,
    supplier: true,
    auditor: true,
    system: true,
    validator: false,
    admin: false,
    'contributor:NLD': true,
    'contributor:DEU': false,
    contributor: false,
  },
  requirement_item: {
    coordinator: true,
    recipient: true,
    supplier: true,
    auditor: true,
    system: true,
    validator: true,
    admin: false,
    'contributor:NLD': true,
    'contributor:DEU': false,
    contributor: false,
  },
  contribution: {
    coordinator: true,
    auditor: true,
    system: true,
    recipient: false,
    supplier: false,
    validator: false,
    admin: false,
    'contributor:NLD': true,
    'contributor:DEU': false,
    contributor: false,
  },
};

describe('maySeeRestricted', () => {
  for (const kind of Object.keys(EXPECTED) as RestrictedRecordKind[]) {
    it(`decides every role for a ${kind} funded or owned by NLD`, () => {
      const seen: Record<string, boolean> = {};
      for (const who of [...ROLES, 'contributor:NLD', 'contributor:DEU']) {
        const [role, party] = who.split(':') as [Role, string | undefined];
        seen[who] = maySeeRestricted(as(role, party), kind, {
          fundingParties: ['NLD', 'NOR'],
          ownerParty: 'NLD',
        });
      }
      expect(seen).toEqual(EXPECTED[kind]);
    });
  }

  it('a contributor sees nothing of a record nobody funds', () => {
    expect(maySeeRestricted(as('contributor', 'NLD'), 'package')).toBe(false);
    expect(maySeeRestricted(as('contributor', 'NLD'), 'requirement_item', {})).toBe(false);
  });

  it('asks for the parties only when the role alone does not decide', () => {
    expect(dependsOnParties(as('contributor', 'NLD'), 'package')).toBe(true);
    expect(dependsOnParties(as('contributor'), 'package')).toBe(false);
    for (const role of ROLES.filter((r) => r !== 'contributor'))
      expect(dependsOnParties(as(role), 'package')).toBe(false);
  });
});

describe('redactFields', () => {
  const line = { id: 1n, description: 'secret', unitPriceMinor: 5n, quantity: 2 };

  it('replaces each named field by { redacted: true } and keeps the rest', () => {
    const redacted = redactFields(line, ['description', 'unitPriceMinor'], false);
    expect(redacted).toEqual({
      id: 1n,
      description: { redacted: true },
      unitPriceMinor: { redacted: true },
      quantity: 2,
    });
    expect(isRedacted(redacted.description)).toBe(true);
    expect(line.description).toBe('secret'); // the input is not changed
  });

  it('returns the record as it is when visible', () => {
    expect(redactFields(line, ['description'], true)).toBe(line);
  });

  it('the marker is exactly { redacted: true }', () => {
    expect(REDACTED).toEqual({ redacted: true });
    expect(isRedacted({ redacted: true, extra: 1 })).toBe(false);
    expect(isRedacted(null)).toBe(false);
    expect(isRedacted(5n)).toBe(false);
  });
});
