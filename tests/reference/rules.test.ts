import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAPABILITY_AREA_CODES,
  COALITION_CODES,
  PARTY_KINDS,
  applyPartyUpdate,
  normalizePartyUpdate,
  type Party,
} from '../../src/core/reference.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';

const NLD: Party = {
  id: 'NLD',
  kind: 'ally',
  natoMember: true,
  names: { en: 'Netherlands', fr: 'Pays-Bas', uk: 'Нідерланди' },
  currency: 'EUR',
  version: 3,
};

describe('party edit rules (core)', () => {
  it('trims names and keeps the ones not given', () => {
    const update = normalizePartyUpdate({ names: { en: '  Kingdom of the Netherlands ' } });
    expect(applyPartyUpdate(NLD, update)).toEqual({
      ...NLD,
      names: { ...NLD.names, en: 'Kingdom of the Netherlands' },
      version: 4,
    });
  });

  it('returns the same party when nothing changes', () => {
    expect(applyPartyUpdate(NLD, normalizePartyUpdate({ names: { fr: 'Pays-Bas' } }))).toBe(NLD);
    expect(applyPartyUpdate(NLD, normalizePartyUpdate({}))).toBe(NLD);
  });

  it('refuses blank or over-long names, Latin letters in Ukrainian, a malformed currency', () => {
    const refusals: [Parameters<typeof normalizePartyUpdate>[0], string, string][] = [
      [{ names: { en: ' ' } }, 'VALIDATION_FAILED', 'names.en'],
      [{ names: { fr: 'x'.repeat(201) } }, 'VALIDATION_FAILED', 'names.fr'],
      [{ names: { uk: 'Нідерланди NL' } }, 'VALIDATION_FAILED', 'names.uk'],
      [{ names: { uk: '123' } }, 'VALIDATION_FAILED', 'names.uk'],
      [{ currency: 'eur' }, 'CURRENCY_UNKNOWN', 'currency'],
    ];
    for (const [update, code, field] of refusals) {
      expect(() => normalizePartyUpdate(update), JSON.stringify(update)).toThrow(
        expect.objectContaining({ code, details: expect.objectContaining({ field }) }),
      );
    }
  });

  it('lists ten capability areas, eight of them coalitions, and five party kinds', () => {
    expect(CAPABILITY_AREA_CODES).toHaveLength(10);
    expect(COALITION_CODES).toHaveLength(8);
    expect(PARTY_KINDS).toEqual(['ally', 'partner', 'nato_body', 'recipient', 'supplier']);
  });
});

describe.each(ENGINES)('reference tables on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
  });
  afterAll(async () => t?.close());

  const party = (overrides: Record<string, unknown>) => ({
    id: 'SRB',
    kind: 'partner' as const,
    nato_member: false,
    name_en: 'Serbia',
    name_fr: 'Serbie',
    name_uk: 'Сербія',
    currency: 'RSD',
    ...overrides,
  });

  it('holds the rules again: id pattern, kind and membership, Cyrillic names, known currency', async () => {
    const refused = [
      party({ id: 'srb' }),
      party({ kind: 'country' }),
      party({ kind: 'ally', nato_member: false }),
      party({ kind: 'partner', nato_member: true }),
      party({ name_uk: 'Serbia' }),
      party({ name_fr: '  ' }),
      party({ currency: 'XXY' }),
    ];
    for (const row of refused) {
      await expect(
        t.database.kysely
          .insertInto('party')
          .values(row as never)
          .execute(),
        JSON.stringify(row),
      ).rejects.toThrow();
    }
    await t.database.kysely.insertInto('party').values(party({})).execute();
    const row = await t.database.kysely
      .selectFrom('party')
      .selectAll()
      .where('id', '=', 'SRB')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ version: 1, currency: 'RSD' });
    expect(row.created_at).toBeInstanceOf(Date);
  });

  it('refuses a lead nation that is not a party, or of an unknown area', async () => {
    for (const values of [
      { area_code: 'drones' as const, party_id: 'ZZZ' },
      { area_code: 'cyber' as never, party_id: 'NLD' },
    ]) {
      await expect(
        t.database.kysely.insertInto('capability_area_lead').values(values).execute(),
      ).rejects.toThrow();
    }
  });
});
