/**
 * The briefing's pure formatting (no database, no browser): money from bigint minor units in the
 * compact minister's format and exactly, percentages, dates and French typography — in English
 * and in French. Expected strings are written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { briefingFormat, NBSP, NNBSP } from '../../src/services/reports/briefing-format.js';
import { BRIEFING_MESSAGES } from '../../src/services/reports/briefing-messages.js';
import { escapeHtml, frenchSpacing } from '../../src/services/reports/briefing-html.js';

const en = briefingFormat('en');
const fr = briefingFormat('fr');

describe('briefing money format', () => {
  it('writes billions with two decimals, millions with one, smaller amounts whole', () => {
    expect(en.money(412_345_678_912n, 'USD')).toBe(`$4.12${NBSP}bn`);
    expect(fr.money(412_345_678_912n, 'USD')).toBe(`4,12${NBSP}Md$`);
    expect(en.money(27_500_000_000n, 'EUR')).toBe(`€275.0${NBSP}m`);
    expect(fr.money(27_500_000_000n, 'EUR')).toBe(`275,0${NBSP}M€`);
    expect(en.money(95_000_049n, 'USD')).toBe('$950,000');
    expect(fr.money(95_000_049n, 'USD')).toBe(`950${NNBSP}000${NBSP}$`);
    expect(en.money(0n, 'EUR')).toBe('€0');
  });

  it('rounds half to even from the exact amount, and switches to billions at 999.95 million', () => {
    // 1.125 bn → 1.12 (2 is even); 1.135 bn → 1.14.
    expect(en.money(112_500_000_000n, 'USD')).toBe(`$1.12${NBSP}bn`);
    expect(en.money(113_500_000_000n, 'USD')).toBe(`$1.14${NBSP}bn`);
    // 999.949 999 99 m stays in millions; 999.95 m is written as 1.00 bn, never "1,000.0 m".
    expect(en.money(99_994_999_999n, 'USD')).toBe(`$999.9${NBSP}m`);
    expect(en.money(99_995_000_000n, 'USD')).toBe(`$1.00${NBSP}bn`);
  });

  it('keeps precision far beyond 2^53 minor units (no float on the way)', () => {
    const huge = 123_456_789_012_345_678_901n; // minor units
    expect(en.moneyExact(huge, 'USD')).toBe('$1,234,567,890,123,456,789.01');
    expect(fr.moneyExact(huge, 'EUR')).toBe(
      ['1', '234', '567', '890', '123', '456', '789'].join(NNBSP) + `,01${NBSP}€`,
    );
  });

  it('writes every minor unit in the exact form, and negative amounts with a minus sign', () => {
    expect(en.moneyExact(123_456_789n, 'EUR')).toBe('€1,234,567.89');
    expect(fr.moneyExact(5n, 'USD')).toBe(`0,05${NBSP}$`);
    expect(en.money(-250_000_000_000n, 'USD')).toBe(`\u2212$2.50${NBSP}bn`);
    expect(fr.money(-250_000_000_000n, 'USD')).toBe(`\u22122,50${NBSP}Md$`);
  });

  it('writes chart values in billions and millions without a unit', () => {
    expect(en.billions(412_345_678_912n)).toBe('4.12');
    expect(fr.millions(27_549_999_999n)).toBe('275,5');
  });
});

describe('briefing percentages, numbers and dates', () => {
  it('writes percentages from decimal text, with a narrow no-break space in French', () => {
    expect(en.percent('82.4691', 1)).toBe('82.5%');
    expect(fr.percent('82.4691', 1)).toBe(`82,5${NNBSP}%`);
    expect(fr.percent('0.0412', 3)).toBe(`0,041${NNBSP}%`);
    expect(en.percent(null)).toBe('—');
  });

  it('writes whole numbers with the language’s grouping', () => {
    expect(en.integer(12_345)).toBe('12,345');
    expect(fr.integer(12_345n)).toBe(`12${NNBSP}345`);
  });

  it('writes dates in words, with "1er" for the first of the month in French', () => {
    expect(en.date('2025-10-15')).toBe('15 October 2025');
    expect(fr.date('2025-10-15')).toBe('15 octobre 2025');
    expect(fr.date('2025-10-01')).toBe('1er octobre 2025');
    expect(en.date('2025-10-01')).toBe('1 October 2025');
    expect(fr.date(null)).toBe('—');
    expect(en.month('2025-09')).toBe('Sept 2025');
    expect(fr.month('2025-08')).toBe('août 2025');
    expect(fr.timestamp('2026-02-12T09:05:00.000Z')).toBe(`12 février 2026, 09:05${NBSP}UTC`);
  });
});

describe('briefing words', () => {
  it('names the meeting in correct English and French ordinals', () => {
    expect(BRIEFING_MESSAGES.en.meetingTitle('udcg', 31)).toBe(
      '31st meeting of the Ukraine Defense Contact Group',
    );
    expect(BRIEFING_MESSAGES.en.meetingTitle('udcg', 12)).toBe(
      '12th meeting of the Ukraine Defense Contact Group',
    );
    expect(BRIEFING_MESSAGES.en.meetingTitle('udcg', 33)).toBe(
      '33rd meeting of the Ukraine Defense Contact Group',
    );
    expect(BRIEFING_MESSAGES.fr.meetingTitle('udcg', 31)).toBe(
      '31e réunion du Groupe de contact sur la défense de l’Ukraine',
    );
    expect(BRIEFING_MESSAGES.fr.meetingTitle('udcg', 1)).toBe(
      '1re réunion du Groupe de contact sur la défense de l’Ukraine',
    );
  });

  it('gives both languages the same messages', () => {
    const keys = (o: object): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        v !== null && typeof v === 'object' ? keys(v).map((sub) => `${k}.${sub}`) : [k],
      );
    expect(keys(BRIEFING_MESSAGES.fr).sort()).toEqual(keys(BRIEFING_MESSAGES.en).sort());
  });

  it('puts French no-break spaces before high punctuation and escapes HTML', () => {
    expect(frenchSpacing('Monnaie : euro ; prêt ?')).toBe(
      `Monnaie${NBSP}: euro${NNBSP}; prêt${NNBSP}?`,
    );
    expect(escapeHtml(`<b>"O'Neil" & co</b>`)).toBe(
      '&lt;b&gt;&quot;O&#39;Neil&quot; &amp; co&lt;/b&gt;',
    );
  });
});
