/**
 * Meeting follow-up in the reporting currency on the delivery fixture (delivery-support.ts), on
 * both engines, in both currencies and both rate modes: each announcement's announced (at the
 * meeting date), committed, paid and delivered-since-the-meeting (receipts shared among a
 * package's funders by largest remainder) worked out here by hand; statuses; a contribution
 * linked twice counts once in the totals; every figure's drill-down adds up to it; a
 * contributor's drill-down folds receipts of packages its party does not fund; the previous
 * meeting; an earlier as-of day; unknown meetings; the export table in English and French.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import { parseFigureKey } from '../../src/core/analytics.js';
import { followUpTable } from '../../src/services/analytics/delivery-tables.js';
import { drillDelivery, getFollowUp } from '../../src/services/analytics/delivery.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import {
  BASES,
  buildDeliveryFixture,
  inBasis,
  system,
  type Basis,
  type DeliveryFixture,
} from './delivery-support.js';

const AS_OF = '2025-12-31';

/*
 * Delivered since meeting 2 (2025-09-15), by hand:
 * - P6 (funded USD 5,800.00 by C2 and USD 9,200.00 by C3; weights 580,000 : 920,000), received
 *   2025-10-25: line B 1 × 1,000,000 = 1,000,000 → C2 386,666.67 and C3 613,333.33; the one
 *   unit left goes to the larger remainder (C2: 0.67) → 386,667 and 613,333. Line A 3 × 100,000
 *   = 300,000 → 116,000 and 184,000 exactly.
 * - P2 (C1 alone), received 2025-10-19: 20 lots, 2 damaged (written off) → 18 × 100,000.
 * - P1's receipt (2025-08-30) is before the meeting: not counted.
 */
const DELIVERED: Record<'C1' | 'C2' | 'C3', [bigint, string][]> = {
  C1: [[1_800_000n, '2025-10-19']],
  C2: [
    [386_667n, '2025-10-25'],
    [116_000n, '2025-10-25'],
  ],
  C3: [
    [613_333n, '2025-10-25'],
    [184_000n, '2025-10-25'],
  ],
};

describe.each(ENGINES)('meeting follow-up on %s', (engine) => {
  let t: TestDatabase;
  let f: DeliveryFixture;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    f = await buildDeliveryFixture(t.database);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  for (const basis of BASES) {
    const name = `${basis.currency} ${basis.rateMode}`;
    const x = (amountMinor: bigint, currency: string, date: string) =>
      inBasis(basis, amountMinor, currency, date);
    const sum = (parts: [bigint, string][], currency = 'USD') =>
      parts.reduce((s, [amount, date]) => s + x(amount, currency, date), 0n);

    // Per contribution, by hand from the fixture.
    const committed = (b: Basis) => ({
      C1: inBasis(b, 20_000_000n, 'USD', '2025-07-01'),
      C2: inBasis(b, 1_000_000n, 'EUR', '2025-09-20'),
      C3: inBasis(b, 11_500_000n, 'NOK', '2025-09-25'),
    });
    const paid = () => ({
      C1: x(5_000_000n, 'USD', '2025-08-01'),
      C2: x(400_000n, 'EUR', '2025-10-05') + x(200_000n, 'EUR', '2025-11-10'),
      C3: x(11_500_000n, 'NOK', '2025-10-20'),
    });
    const delivered = () => ({
      C1: sum(DELIVERED.C1),
      C2: sum(DELIVERED.C2),
      C3: sum(DELIVERED.C3),
    });

    it(`follows meeting 2's announcements to committed, paid and delivered by hand (${name})`, async () => {
      const result = await getFollowUp(t.database, system, f.meetings.M2, {
        ...basis,
        asOf: AS_OF,
      });
      expect(result.basis).toMatchObject({ currency: basis.currency, rateMode: basis.rateMode });
      expect(result.meeting).toMatchObject({ number: 2, heldOn: '2025-09-15', kind: 'udcg' });
      expect(result.previousMeetingId).toBe(f.meetings.M1);
      const c = committed(basis);
      const p = paid();
      const d = delivered();
      const on = '2025-09-15';
      const { a1, a2, a3, a4, a5, a6 } = f.announcements;
      expect(
        result.announcements.map((a) => ({
          id: a.announcementId,
          status: a.status,
          announced: a.announcedMinor,
          committed: a.committedMinor,
          paid: a.paidMinor,
          delivered: a.deliveredMinor,
        })),
      ).toEqual([
        {
          id: a1,
          status: 'partially_paid',
          announced: x(1_000_000n, 'EUR', on),
          committed: c.C2,
          paid: p.C2,
          delivered: d.C2,
        },
        {
          id: a2,
          status: 'paid',
          announced: x(11_500_000n, 'NOK', on),
          committed: c.C3,
          paid: p.C3,
          delivered: d.C3,
        },
        {
          id: a3,
          status: 'partially_paid',
          announced: null,
          committed: c.C1,
          paid: p.C1,
          delivered: d.C1,
        },
        {
          id: a4,
          status: 'pledged',
          announced: x(300_000n, 'EUR', on),
          committed: 0n,
          paid: 0n,
          delivered: 0n,
        },
        {
          id: a5,
          status: 'not_linked',
          announced: x(100_000n, 'USD', on),
          committed: 0n,
          paid: 0n,
          delivered: 0n,
        },
        {
          id: a6,
          status: 'partially_paid',
          announced: null,
          committed: c.C2,
          paid: p.C2,
          delivered: d.C2,
        },
      ]);
      // C2 is linked to a1 and a6: once in the totals.
      expect(result.totals).toMatchObject({
        announcedMinor:
          x(1_000_000n, 'EUR', on) +
          x(11_500_000n, 'NOK', on) +
          x(300_000n, 'EUR', on) +
          x(100_000n, 'USD', on),
        committedMinor: c.C1 + c.C2 + c.C3,
        paidMinor: p.C1 + p.C2 + p.C3,
        deliveredMinor: d.C1 + d.C2 + d.C3,
      });
      const a1Row = result.announcements[0]!;
      expect(a1Row.contributions).toMatchObject([
        {
          contributionId: f.contributions.C2,
          partyId: 'NLD',
          currency: 'EUR',
          committedOn: '2025-09-20',
          originalCommittedMinor: 1_000_000n,
          originalPaidMinor: 600_000n,
          committedMinor: c.C2,
          paidMinor: p.C2,
          deliveredMinor: d.C2,
        },
      ]);
    });

    it(`drills every figure of meeting 2 down to records that add up to it (${name})`, async () => {
      const options = { ...basis, asOf: AS_OF };
      const result = await getFollowUp(t.database, system, f.meetings.M2, options);
      const rows = [...result.announcements, result.totals];
      for (const row of rows) {
        for (const measure of ['announced', 'committed', 'paid', 'delivered'] as const) {
          const key = row.figures[measure];
          const drill = await drillDelivery(t.database, system, options, parseFigureKey(key));
          const figure = row[`${measure}Minor`] ?? 0n;
          expect(drill.totalMinor, key).toBe(figure);
          expect(
            drill.records.reduce((s, r) => s + r.amountMinor, 0n),
            key,
          ).toBe(figure);
          expect(drill.records.some((r) => r.kind === 'redacted')).toBe(false);
        }
      }
      const deliveredDrill = await drillDelivery(
        t.database,
        system,
        options,
        parseFigureKey(result.totals.figures.delivered),
      );
      expect(
        deliveredDrill.records.map((r) => [
          r.kind,
          r.contributionId,
          r.originalAmountMinor,
          r.date,
        ]),
      ).toEqual(
        expect.arrayContaining([
          ['receipt', f.contributions.C1, 1_800_000n, '2025-10-19'],
          ['receipt', f.contributions.C2, 386_667n, '2025-10-25'],
          ['receipt', f.contributions.C2, 116_000n, '2025-10-25'],
          ['receipt', f.contributions.C3, 613_333n, '2025-10-25'],
          ['receipt', f.contributions.C3, 184_000n, '2025-10-25'],
        ]),
      );
      expect(deliveredDrill.records).toHaveLength(5);
    });
  }

  it('folds, for a contributor, the receipts of packages its party does not fund', async () => {
    const options = { currency: 'EUR' as const, rateMode: 'value_date' as const, asOf: AS_OF };
    const key = parseFigureKey(`followUp.delivered:${f.meetings.M2}`);
    const whole = await drillDelivery(t.database, system, options, key);
    const nld: Actor = { id: 'test:nld', role: 'contributor', partyId: 'NLD' };
    const mine = await drillDelivery(t.database, nld, options, key);
    expect(mine.totalMinor).toBe(whole.totalMinor);
    // NLD funds P6, not P2: P2's receipt (C1's share) is folded.
    const p2 = inBasis(
      { currency: 'EUR', rateMode: 'value_date' },
      1_800_000n,
      'USD',
      '2025-10-19',
    );
    expect(mine.records[0]).toMatchObject({
      kind: 'redacted',
      id: 0n,
      originalCurrency: 'USD',
      originalAmountMinor: 1_800_000n,
      amountMinor: p2,
      count: 1,
      packageId: null,
      contributionId: null,
    });
    expect(mine.records.slice(1).every((r) => r.packageId === f.packages.P6.id)).toBe(true);
    expect(mine.records.reduce((s, r) => s + r.amountMinor, 0n)).toBe(mine.totalMinor);
    // CAN funds P2 only: P6's four shares are folded into one line.
    const can: Actor = { id: 'test:can', role: 'contributor', partyId: 'CAN' };
    const theirs = await drillDelivery(t.database, can, options, key);
    expect(theirs.records.map((r) => [r.kind, r.count])).toEqual([
      ['redacted', 4],
      ['receipt', 1],
    ]);
    expect(theirs.records.reduce((s, r) => s + r.amountMinor, 0n)).toBe(whole.totalMinor);
    // The figures themselves are totals: the same for every reader.
    const figures = await getFollowUp(t.database, can, f.meetings.M2, options);
    expect(figures.totals.deliveredMinor).toBe(whole.totalMinor);
  });

  it('counts deliveries only since the meeting, and names the previous meeting', async () => {
    const options = { currency: 'USD' as const, rateMode: 'value_date' as const, asOf: AS_OF };
    const first = await getFollowUp(t.database, system, f.meetings.M1, options);
    expect(first.previousMeetingId).toBeNull();
    // Meeting 1 (2025-06-25) sees P1's receipt (2025-08-30) too: 10 lots + P2's 18 lots.
    expect(first.announcements[0]).toMatchObject({
      partyId: 'CAN',
      announcedMinor: 20_000_000n,
      committedMinor: 20_000_000n,
      paidMinor: 5_000_000n,
      deliveredMinor: 1_000_000n + 1_800_000n,
      status: 'partially_paid',
    });
    const third = await getFollowUp(t.database, system, f.meetings.M3, options);
    expect(third.previousMeetingId).toBe(f.meetings.M2);
    expect(third.announcements).toEqual([]);
    expect(third.totals).toMatchObject({
      announcedMinor: null,
      committedMinor: 0n,
      paidMinor: 0n,
      deliveredMinor: 0n,
    });
  });

  it('leaves out what happened after an earlier as-of day', async () => {
    const result = await getFollowUp(t.database, system, f.meetings.M2, {
      currency: 'USD',
      rateMode: 'value_date',
      asOf: '2025-10-10',
    });
    // C2 paid EUR 4,000.00 on 10-05 (USD 4,680.00); C3's payment (10-20) and every receipt
    // (10-19, 10-25) come later.
    expect(result.totals).toMatchObject({
      committedMinor: 20_000_000n + 1_160_000n + 1_150_000n,
      paidMinor: 5_000_000n + 468_000n,
      deliveredMinor: 0n,
    });
    const before = await getFollowUp(t.database, system, f.meetings.M2, {
      currency: 'USD',
      rateMode: 'value_date',
      asOf: '2025-09-01',
    });
    expect(before.totals.announcedMinor).toBeNull();
    expect(before.announcements.every((a) => a.announcedMinor === null)).toBe(true);
  });

  it('answers NOT_FOUND for an unknown meeting or an announcement of another meeting', async () => {
    const options = { currency: 'USD' as const, rateMode: 'value_date' as const, asOf: AS_OF };
    await expect(getFollowUp(t.database, system, 999_999n, options)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      drillDelivery(
        t.database,
        system,
        options,
        parseFigureKey(`followUp.paid:${f.meetings.M1}:${f.announcements.a1}`),
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', details: { field: 'figure' } });
    await expect(
      drillDelivery(t.database, system, options, parseFigureKey('followUp.pledged:1')),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'figure' } });
  });

  it('exports the follow-up in English and in French, with a totals row', async () => {
    const result = await getFollowUp(t.database, system, f.meetings.M2, {
      currency: 'EUR',
      rateMode: 'value_date',
      asOf: AS_OF,
    });
    const fr = followUpTable(result, 'fr');
    const en = followUpTable(result, 'en');
    expect(fr.title).toBe('Suivi de la réunion n° 2 (2025-09-15, Ramstein)');
    expect(en.title).toBe('Follow-up of meeting 2 (2025-09-15, Ramstein)');
    expect(fr.columns.map((c) => c.label)).toEqual(
      expect.arrayContaining(['Annoncé', 'Engagé', 'Versé', 'Livré depuis la réunion']),
    );
    expect(fr.rows).toHaveLength(result.announcements.length + 1);
    expect(fr.rows.at(-1)).toMatchObject({
      text: 'Total de la réunion (chaque contribution une fois)',
      committedMinor: result.totals.committedMinor,
      deliveredMinor: result.totals.deliveredMinor,
    });
    expect(Object.fromEntries(fr.meta)).toMatchObject({
      Devise: 'EUR',
      'Mode de conversion': 'value_date : chaque montant au taux BCE de sa date de valeur',
      'Date des taux': 'la date de valeur de chaque montant',
      Réunion: '2 — 2025-09-15 — Ramstein',
    });
  });
});
