/**
 * Lead times and stalled packages on the delivery fixture (delivery-support.ts), on both
 * engines, in both currencies and both rate modes: the medians, 90th percentiles, counts and
 * values worked out here from the fixture's own dates, prices and rates; each figure's drill-down
 * adds up to it and lists the packages with their days; stalled packages by threshold, with what
 * they wait for; an earlier as-of day leaves later milestones out; cancelled, closed, draft and
 * not-yet-open packages never stall; the export tables in English and French.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFigureKey } from '../../src/core/analytics.js';
import { DomainError } from '../../src/core/errors.js';
import {
  leadTimesTable,
  stalledPackagesTable,
} from '../../src/services/analytics/delivery-tables.js';
import { drillDelivery, getLeadTimes } from '../../src/services/analytics/delivery.js';
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

/** Per stage: [package, days, end date] of each package that completed it by 2025-12-31. */
const STAGES: Record<string, [string, number, string][]> = {
  committed_to_funded: [
    ['P1', 10, '2025-07-11'], // C1 committed 07-01
    ['P2', 20, '2025-07-21'],
    ['P3', 30, '2025-07-31'],
    ['P4', 40, '2025-08-10'],
    ['P5', 100, '2025-10-09'],
    ['P6', 5, '2025-09-30'], // the later commitment: C3 on 09-25
  ],
  funded_to_authorized: [
    ['P1', 20, '2025-07-31'],
    ['P2', 40, '2025-08-30'],
    ['P3', 10, '2025-08-10'],
    ['P4', 30, '2025-09-09'],
    ['P6', 10, '2025-10-10'],
  ],
  authorized_to_dispatched: [
    ['P1', 10, '2025-08-10'],
    ['P2', 10, '2025-09-09'],
    ['P3', 50, '2025-09-29'],
    ['P6', 5, '2025-10-15'],
  ],
  dispatched_to_delivered: [
    ['P1', 20, '2025-08-30'],
    ['P2', 40, '2025-10-19'],
  ],
};
/** Nearest rank, worked out by hand from the lists above (sorted days, rank ⌈q·n⌉). */
const QUANTILES: Record<string, [median: number, p90: number]> = {
  committed_to_funded: [20, 100], // [5,10,20,30,40,100]: ranks 3 and 6
  funded_to_authorized: [20, 40], // [10,10,20,30,40]: ranks 3 and 5
  authorized_to_dispatched: [10, 50], // [5,10,10,50]: ranks 2 and 4
  dispatched_to_delivered: [20, 40], // [20,40]: ranks 1 and 2
};
const PRICE: Record<string, bigint> = {
  P1: 1_000_000n,
  P2: 2_000_000n,
  P3: 3_000_000n,
  P4: 4_000_000n,
  P5: 5_000_000n,
  P6: 1_500_000n,
  P7: 500_000n,
};

/** "3000.00" from minor units (exact text for Intl), written here. */
function decimalText(amountMinor: bigint): `${number}` {
  return `${amountMinor / 100n}.${String(amountMinor % 100n).padStart(2, '0')}` as `${number}`;
}

/** "3,000.00" from minor units, written here. */
function grouped(amountMinor: bigint): string {
  const whole = (amountMinor / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${whole}.${String(amountMinor % 100n).padStart(2, '0')}`;
}

describe.each(ENGINES)('lead times and stalled packages on %s', (engine) => {
  let t: TestDatabase;
  let f: DeliveryFixture;
  const id = (p: string) => f.packages[p as keyof DeliveryFixture['packages']].id;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    f = await buildDeliveryFixture(t.database);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  const options = (basis: Basis, asOf = AS_OF) => ({ ...basis, asOf });

  for (const basis of BASES) {
    const name = `${basis.currency} ${basis.rateMode}`;

    it(`gives each stage's median, 90th percentile, count and value as worked out by hand (${name})`, async () => {
      const result = await getLeadTimes(t.database, system, options(basis));
      expect(result.basis).toMatchObject({
        currency: basis.currency,
        rateMode: basis.rateMode,
        rateDate: 'rateDate' in basis ? basis.rateDate : null,
        asOf: AS_OF,
      });
      expect(result.stages.map((s) => s.stage)).toEqual(Object.keys(STAGES));
      for (const stage of result.stages) {
        const expected = STAGES[stage.stage]!;
        expect(stage.figure).toBe(`leadTimes.${stage.stage}`);
        expect(stage.packages).toBe(expected.length);
        expect([stage.medianDays, stage.p90Days]).toEqual(QUANTILES[stage.stage]);
        const value = expected.reduce(
          (sum, [p, , end]) => sum + inBasis(basis, PRICE[p]!, 'USD', end),
          0n,
        );
        expect(stage.valueMinor, stage.stage).toBe(value);
      }
      expect(result.waiting).toEqual([
        { stage: 'funding', packages: 1 }, // P7 (P8 opened after the as-of day)
        { stage: 'authorisation', packages: 1 }, // P5
        { stage: 'first_dispatch', packages: 1 }, // P4
        { stage: 'delivery', packages: 2 }, // P3, P6
      ]);
    });

    it(`drills each stage down to its packages and their days, adding up to the figure (${name})`, async () => {
      const result = await getLeadTimes(t.database, system, options(basis));
      for (const stage of result.stages) {
        const drill = await drillDelivery(
          t.database,
          system,
          options(basis),
          parseFigureKey(stage.figure),
        );
        expect(drill.totalMinor).toBe(stage.valueMinor);
        expect(drill.records.reduce((s, r) => s + r.amountMinor, 0n)).toBe(drill.totalMinor);
        expect(drill.truncated).toBe(false);
        const expected = STAGES[stage.stage]!.map(([p, days, end]) => ({
          kind: 'package',
          id: id(p),
          packageId: id(p),
          days,
          date: end,
          originalAmountMinor: PRICE[p],
          originalCurrency: 'USD',
          amountMinor: inBasis(basis, PRICE[p]!, 'USD', end),
        }));
        expect(
          [...drill.records].sort((a, b) => Number(a.id - b.id)),
          stage.stage,
        ).toMatchObject(expected.sort((a, b) => Number(a.id - b.id)));
      }
    });

    it(`flags the packages stalled more than 30 days, longest first, with what each waits for (${name})`, async () => {
      const result = await getLeadTimes(t.database, system, options(basis));
      const at = (p: string) => inBasis(basis, PRICE[p]!, 'USD', AS_OF);
      const gap = inBasis(basis, 300_000n, 'USD', AS_OF);
      expect(result.stalledAfterDays).toBe(30);
      expect(result.stalledFigure).toBe('leadTimes.stalled:30');
      expect(result.stalled).toMatchObject([
        { packageId: id('P4'), stage: 'first_dispatch', since: '2025-09-09', days: 113 },
        { packageId: id('P3'), stage: 'delivery', since: '2025-09-29', days: 93 },
        { packageId: id('P5'), stage: 'authorisation', since: '2025-10-09', days: 83 },
        { packageId: id('P6'), stage: 'delivery', since: '2025-10-15', days: 77 },
        { packageId: id('P7'), stage: 'funding', since: '2025-11-01', days: 60 },
      ]);
      expect(result.stalled.map((s) => s.priceMinor)).toEqual(
        ['P4', 'P3', 'P5', 'P6', 'P7'].map(at),
      );
      expect(result.stalled.map((s) => s.gapMinor)).toEqual([0n, 0n, 0n, 0n, gap]);
      expect(result.stalled.map((s) => s.waitingFor)).toEqual([
        'waiting for first dispatch',
        'in delivery: 0 of 1 line received',
        'waiting for authorisation',
        'in delivery: 1 of 2 lines received',
        `waiting for funding: gap ${basis.currency}\u00a0${grouped(gap)}`,
      ]);
      const sum = ['P4', 'P3', 'P5', 'P6', 'P7'].reduce((s, p) => s + at(p), 0n);
      expect(result.stalledValueMinor).toBe(sum);
      const drill = await drillDelivery(
        t.database,
        system,
        options(basis),
        parseFigureKey(result.stalledFigure),
      );
      expect(drill.totalMinor).toBe(sum);
      expect(drill.records.map((r) => r.days).sort((a, b) => a! - b!)).toEqual([
        60, 77, 83, 93, 113,
      ]);
    });
  }

  it('never flags closed, cancelled, draft or not-yet-open packages; a longer threshold flags fewer', async () => {
    const result = await getLeadTimes(t.database, system, {
      currency: 'USD',
      rateMode: 'value_date',
      asOf: AS_OF,
      stalledAfterDays: 80,
    });
    expect(result.stalled.map((s) => s.packageId)).toEqual([id('P4'), id('P3'), id('P5')]);
    expect(result.stalledFigure).toBe('leadTimes.stalled:80');
    const everywhere = [
      ...result.stalled.map((s) => s.packageId),
      ...(
        await drillDelivery(
          t.database,
          system,
          { currency: 'USD', rateMode: 'value_date', asOf: AS_OF },
          parseFigureKey('leadTimes.committed_to_funded'),
        )
      ).records.map((r) => r.packageId),
    ];
    expect(everywhere).not.toContain(id('P8')); // opened after the as-of day
    expect(everywhere).not.toContain(id('P9')); // cancelled
    const all = await getLeadTimes(t.database, system, {
      currency: 'USD',
      rateMode: 'value_date',
      asOf: AS_OF,
      stalledAfterDays: 1,
    });
    // P1 (closed) and P2 (delivered) are done; P8 not open as of the day; P9 cancelled.
    expect(all.stalled.map((s) => s.packageId).sort()).toEqual(
      ['P3', 'P4', 'P5', 'P6', 'P7'].map(id).sort(),
    );
  });

  it('leaves out milestones after an earlier as-of day', async () => {
    const result = await getLeadTimes(t.database, system, {
      currency: 'USD',
      rateMode: 'value_date',
      asOf: '2025-09-01',
      stalledAfterDays: 20,
    });
    expect(
      result.stages.map((s) => [s.stage, s.packages, s.medianDays, s.p90Days, s.valueMinor]),
    ).toEqual([
      // P1 10, P2 20, P3 30, P4 40 (P5 and P6 funded later): ranks 2 and 4
      ['committed_to_funded', 4, 20, 40, 10_000_000n],
      // P1 20, P2 40, P3 10 (P4 authorised 09-09)
      ['funded_to_authorized', 3, 20, 40, 6_000_000n],
      ['authorized_to_dispatched', 1, 10, 10, 1_000_000n],
      ['dispatched_to_delivered', 1, 20, 20, 1_000_000n],
    ]);
    expect(result.waiting).toEqual([
      { stage: 'funding', packages: 0 },
      { stage: 'authorisation', packages: 1 }, // P4 since 08-10
      { stage: 'first_dispatch', packages: 2 }, // P2 since 08-30, P3 since 08-10
      { stage: 'delivery', packages: 0 },
    ]);
    expect(result.stalled.map((s) => [s.packageId, s.stage, s.days])).toEqual([
      [id('P3'), 'first_dispatch', 22],
      [id('P4'), 'authorisation', 22],
    ]);
  });

  it('values stalled packages at the last day with rates when the as-of day has none yet', async () => {
    // Rates end on 2025-12-31; 2026-03-01 is more than the 10 days a rate may be carried forward.
    const result = await getLeadTimes(t.database, system, {
      currency: 'EUR',
      rateMode: 'value_date',
      asOf: '2026-03-01',
    });
    const basis: Basis = { currency: 'EUR', rateMode: 'value_date' };
    const p7 = result.stalled.find((s) => s.packageId === id('P7'))!;
    expect(p7).toMatchObject({
      days: 120, // 2025-11-01 → 2026-03-01
      priceMinor: inBasis(basis, PRICE.P7!, 'USD', '2025-12-31'),
      gapMinor: inBasis(basis, 300_000n, 'USD', '2025-12-31'),
    });
    const drill = await drillDelivery(
      t.database,
      system,
      { ...basis, asOf: '2026-03-01' },
      parseFigureKey(result.stalledFigure),
    );
    expect(drill.records.every((r) => r.rateDate === '2025-12-31')).toBe(true);
  });

  it('shows a contributor the same figures and records (package prices are not restricted)', async () => {
    const nld = { id: 'test:nld', role: 'contributor' as const, partyId: 'NLD' };
    const basis = { currency: 'EUR' as const, rateMode: 'value_date' as const, asOf: AS_OF };
    const mine = await getLeadTimes(t.database, nld, basis);
    const theirs = await getLeadTimes(t.database, system, basis);
    expect(mine.stages).toEqual(theirs.stages);
    expect(mine.stalled).toEqual(theirs.stalled);
    const drill = await drillDelivery(
      t.database,
      nld,
      basis,
      parseFigureKey('leadTimes.funded_to_authorized'),
    );
    expect(drill.records.some((r) => r.kind === 'redacted')).toBe(false);
  });

  it('refuses a bad threshold or figure key, naming the field', async () => {
    const base = { currency: 'USD' as const, rateMode: 'value_date' as const, asOf: AS_OF };
    for (const stalledAfterDays of [0, 1.5, 3651]) {
      await expect(
        getLeadTimes(t.database, system, { ...base, stalledAfterDays }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { field: 'stalledAfterDays' },
      });
    }
    for (const key of [
      'leadTimes.nothing',
      'leadTimes.committed_to_funded:3',
      'leadTimes.stalled',
      'leadTimes.stalled:9999',
    ]) {
      const error = await drillDelivery(t.database, system, base, parseFigureKey(key)).catch(
        (e: unknown) => e,
      );
      expect(error, key).toBeInstanceOf(DomainError);
      expect(error, key).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'figure' } });
    }
    await expect(
      getLeadTimes(t.database, { id: 'test:admin', role: 'admin' }, base),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('exports the lead times and stalled packages in English and in French', async () => {
    const result = await getLeadTimes(t.database, system, {
      currency: 'EUR',
      rateMode: 'fixed',
      rateDate: '2025-10-15',
      asOf: AS_OF,
    });
    const en = leadTimesTable(result, 'en');
    const fr = leadTimesTable(result, 'fr');
    expect(en.columns.map((c) => c.label)).toContain('Median (days)');
    expect(fr.columns.map((c) => c.label)).toEqual([
      'Étape',
      'Nom de l’étape',
      'Paquets',
      'Médiane (jours)',
      '90e centile (jours)',
      'Valeur des paquets',
      'Clé du chiffre (détail)',
    ]);
    expect(fr.rows.map((r) => r.stageName)).toEqual([
      'Engagé → financé',
      'Financé → autorisé',
      'Autorisé → première expédition',
      'Première expédition → entièrement reçu',
    ]);
    expect(fr.rows.map((r) => r.valueMinor)).toEqual(result.stages.map((s) => s.valueMinor));
    expect(Object.fromEntries(fr.meta)).toMatchObject({
      Devise: 'EUR',
      'Date des taux': '2025-10-15',
      'Situation au': AS_OF,
      'Généré le': result.basis.generatedAt,
    });
    expect(Object.fromEntries(en.meta)).toMatchObject({
      Currency: 'EUR',
      'Rate date': '2025-10-15',
      'As of': AS_OF,
    });
    const stalledFr = stalledPackagesTable(result, 'fr');
    expect(stalledFr.title).toBe('Paquets bloqués (plus de 30 jours à la même étape)');
    expect(stalledFr.rows.map((r) => r.waitingFor)).toEqual([
      'en attente de la première expédition',
      'en cours de livraison : 0 ligne reçue sur 1',
      'en attente d’autorisation',
      'en cours de livraison : 1 ligne reçue sur 2',
      `en attente de financement : il manque ${new Intl.NumberFormat('fr-FR', {
        style: 'currency',
        currency: 'EUR',
      }).format(decimalText(result.stalled[4]!.gapMinor))}`,
    ]);
  });
});
