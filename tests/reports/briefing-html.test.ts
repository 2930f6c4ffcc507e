/**
 * The briefing's HTML builder on a hand-made model (no database, no browser): every section and
 * chart is there, text from data is escaped (an announcement cannot inject markup), French gets
 * its typography, long lists are capped with a line saying how many more there are, and the
 * header and footer carry the page numbers and the synthetic-data notice.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ECB_SOURCE } from '../../src/core/fx.js';
import { loadChartLibrary } from '../../src/services/reports/briefing-charts.js';
import {
  BRIEFING_ANNOUNCEMENTS_MAX,
  BRIEFING_STALLED_MAX,
  briefingHtml,
} from '../../src/services/reports/briefing-html.js';
import type {
  BriefingModel,
  BriefingStalledPackage,
} from '../../src/services/reports/briefing-model.js';

const BN = 100_000_000_000n; // one billion, in cents

function model(lang: 'en' | 'fr', changes: Partial<BriefingModel> = {}): BriefingModel {
  return {
    lang,
    currency: 'USD',
    basis: {
      currency: 'USD',
      rateMode: 'fixed',
      rateDate: '2025-10-01',
      asOf: '2025-12-31',
      generatedAt: '2026-01-05T08:30:00.000Z',
      rateSource: ECB_SOURCE,
      conversions: 3,
      fellBack: 1,
      afterLastRate: 0,
      lastRateDate: '2025-12-31',
    },
    synthetic: true,
    meeting: {
      id: 7n,
      number: 31,
      kind: 'udcg',
      heldOn: '2025-10-15',
      place: 'NATO Headquarters, Brussels',
      chairs: ['United Kingdom', 'Germany'],
      participantCount: 10,
      synthetic: false,
    },
    headline: {
      pledgedMinor: 3n * BN,
      committedMinor: 2n * BN + 12_345n,
      paidMinor: BN,
      allocatedMinor: BN,
      authorisedMinor: BN / 2n,
      deliveredMinor: BN / 4n,
      goalMinor: 5n * BN,
      goalConvertedFrom: null,
      goalPercent: '40.00',
      donors: 9,
    },
    pace: {
      months: [
        {
          month: '2025-08',
          committedMinor: BN,
          paidMinor: BN / 2n,
          deliveredMinor: 0n,
          cumulativeCommittedMinor: BN,
          cumulativeTargetMinor: BN,
        },
        {
          month: '2025-09',
          committedMinor: BN,
          paidMinor: BN / 2n,
          deliveredMinor: BN / 4n,
          cumulativeCommittedMinor: 2n * BN,
          cumulativeTargetMinor: 2n * BN,
        },
      ],
      targetPerMonthMinor: BN,
      goalMinor: 5n * BN,
      projection: { kind: 'projected', on: '2026-01-01', paceMinor: BN },
    },
    donors: [
      {
        rank: 1,
        partyId: 'NLD',
        name: lang === 'fr' ? 'Pays-Bas' : 'Netherlands',
        committedMinor: BN,
        percentGdp: '0.0492',
        gdpFallback: true,
        sharePercent: '50.00',
        perCapitaMinor: 5_512n,
      },
      {
        rank: 2,
        partyId: 'DEU',
        name: lang === 'fr' ? 'Allemagne' : 'Germany',
        committedMinor: BN,
        percentGdp: null,
        gdpFallback: false,
        sharePercent: '50.00',
        perCapitaMinor: null,
      },
    ],
    coverage: [
      {
        code: 'artillery',
        name: lang === 'fr' ? 'Artillerie' : 'Artillery',
        approvedMinor: 2n * BN,
        fundedMinor: BN,
        deliveredMinor: 0n,
        percentFunded: '50.00',
      },
    ],
    previous: {
      meeting: { number: 30, kind: 'udcg', heldOn: '2025-09-09' },
      announcements: [
        {
          partyName: 'Netherlands',
          text: '<script>alert("x")</script> & €500 million',
          announcedMinor: BN / 2n,
          committedMinor: BN / 2n,
          paidMinor: 0n,
          deliveredSinceMinor: 0n,
          status: 'committed',
        },
      ],
      totals: {
        announcedMinor: BN / 2n,
        committedMinor: BN / 2n,
        paidMinor: 0n,
        deliveredSinceMinor: 0n,
      },
    },
    current: null,
    stalledAfterDays: 30,
    stalled: [],
    ...changes,
  };
}

function stalled(count: number): BriefingStalledPackage[] {
  return Array.from({ length: count }, (_, i) => ({
    number: `PURL-${String(i + 1).padStart(3, '0')}`,
    status: 'open',
    since: '2025-11-01',
    days: 60 - i,
    wait: { kind: 'funding', gapMinor: BN / 10n },
  }));
}

describe('the briefing HTML', () => {
  beforeAll(loadChartLibrary);

  it('holds every section and three charts, self-contained (no script, no external resource)', () => {
    const doc = briefingHtml(model('en'));
    expect(doc.title).toBe('Meeting briefing — 31st meeting of the Ukraine Defense Contact Group');
    expect(doc.html.match(/<svg/g)?.length).toBe(3);
    for (const heading of [
      'Headline figures',
      'Pace of funding',
      'Burden sharing',
      'Coverage by capability area',
      'Announcements and what became of them',
      'Stalled packages',
    ]) {
      expect(doc.html).toContain(`>${heading}</h2>`);
    }
    expect(doc.html).not.toMatch(/<script|<link|src="http|url\(http/i);
    expect(doc.html).toContain('every amount at the ECB reference rates of 1 October 2025');
    expect(doc.html).toContain('$2,000,000,123.45');
    expect(doc.html).toContain('Netherlands *'); // GDP of an earlier year, flagged
    expect(doc.html).toContain('no GDP data');
  });

  it('escapes what the data says: an announcement cannot inject markup', () => {
    const doc = briefingHtml(model('en'));
    expect(doc.html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; €500 million',
    );
    expect(doc.html).not.toContain('<script>alert');
  });

  it('writes French with no-break spaces before high punctuation and French numbers', () => {
    const doc = briefingHtml(model('fr'));
    expect(doc.html).toContain('<html lang="fr">');
    expect(doc.html).toContain('Données de démonstration synthétiques\u00a0: ');
    expect(doc.html).toContain('2\u202f000\u202f000\u202f123,45\u00a0$');
    expect(doc.html).toContain('40,0\u202f%');
    expect(doc.html).toContain('31e réunion du Groupe de contact sur la défense de l’Ukraine');
    expect(doc.html).toContain('1er janvier 2026'); // the projected date
    expect(doc.html).toContain('taux de change de référence de l’euro publiés par la BCE');
  });

  it('says what a default goal in US dollars was converted from', () => {
    const base = model('fr');
    const doc = briefingHtml({
      ...base,
      currency: 'EUR',
      headline: {
        ...base.headline,
        goalMinor: 430_000_000_000n,
        goalConvertedFrom: { usdMinor: 5n * BN, rateDate: '2025-12-31' },
      },
    });
    expect(doc.html).toContain('Progression vers l’objectif de 4,30\u00a0Md€');
    expect(doc.html).toContain(
      'L’objectif est de 5,00\u00a0Md$, au taux de la BCE du 31 décembre 2025.',
    );
  });

  it('caps long lists and says how many more there are', () => {
    const many = stalled(BRIEFING_STALLED_MAX + 3);
    const announcements = Array.from({ length: BRIEFING_ANNOUNCEMENTS_MAX + 2 }, (_, i) => ({
      partyName: `Party ${i}`,
      text: `Announcement ${i}`,
      announcedMinor: null,
      committedMinor: 0n,
      paidMinor: 0n,
      deliveredSinceMinor: 0n,
      status: 'not_linked' as const,
    }));
    const base = model('en');
    const doc = briefingHtml({
      ...base,
      stalled: many,
      current: { ...base.previous!, announcements },
    });
    expect(doc.html).toContain(`>PURL-${String(BRIEFING_STALLED_MAX).padStart(3, '0')}<`);
    expect(doc.html).not.toContain(`>PURL-${String(BRIEFING_STALLED_MAX + 1).padStart(3, '0')}<`);
    expect(doc.html).toContain('3 more stalled packages are not listed');
    expect(doc.html).toContain(`Announcement ${BRIEFING_ANNOUNCEMENTS_MAX - 1}<`);
    expect(doc.html).not.toContain(`Announcement ${BRIEFING_ANNOUNCEMENTS_MAX}<`);
    expect(doc.html).toContain('2 more announcements are counted in the total but not listed.');
  });

  it('says so when no donor has GDP data, instead of drawing an empty chart', () => {
    const base = model('fr');
    const doc = briefingHtml({
      ...base,
      donors: base.donors.map((d) => ({ ...d, percentGdp: null, gdpFallback: false })),
    });
    expect(doc.html.match(/<svg/g)?.length).toBe(2);
    expect(doc.html).toContain('Aucune donnée de PIB n’est chargée');
  });

  it('puts page numbers and the synthetic notice in the footer, the meeting in the header', () => {
    const en = briefingHtml(model('en'));
    expect(en.footerTemplate).toContain('class="pageNumber"');
    expect(en.footerTemplate).toContain('class="totalPages"');
    expect(en.footerTemplate).toContain('Synthetic demonstration data');
    expect(en.headerTemplate).toContain('15 October 2025');
    const real = briefingHtml(model('fr', { synthetic: false }));
    expect(real.footerTemplate).not.toContain('synthétiques');
    expect(real.footerTemplate).toContain('sur');
  });
});
