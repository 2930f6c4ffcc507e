/**
 * The meeting briefing PDF on the demo data, on both engines: rendered for the latest meeting in
 * English and in French, its text extracted with pdfjs-dist and checked — the committed total
 * (worked out here from the contributions list and the stored ECB rates, with our own half-even
 * conversion, never from the program's output) formatted for each language, French words and
 * accents, the charts' axis labels and legends (the SVG made it into the PDF as text), the
 * meeting's facts; the API download (application/pdf, attachment, %PDF-, 404, 400, 401); the CLI
 * end to end. The PDFs are saved under tests/.artifacts/ for a person to look at.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { addDays } from '../../src/core/fx.js';
import { EXIT_CODES } from '../../src/cli/exit-codes.js';
import { buildApp, type App } from '../../src/http/app.js';
import { listContributions, type Contribution } from '../../src/services/contributions-service.js';
import { defaultSharedDataDir, loadDemo } from '../../src/services/demo-service.js';
import { importCountryIndicators } from '../../src/services/imports/indicators-import.js';
import { listMeetings, type Meeting } from '../../src/services/meetings-service.js';
import { closeBrowser } from '../../src/services/reports/browser.js';
import { renderBriefing } from '../../src/services/reports/briefing-service.js';
import { listCurrencies, listFxRates } from '../../src/storage/fx-repository.js';
import { ENGINES, openTestDatabase, type TestDatabase } from '../support/engines.js';
import {
  expectedBillions,
  expectedExact,
  halfEven,
  pdfText,
  saveArtifact,
  type PdfText,
} from './pdf-text.js';

const PURL = fileURLToPath(new URL('../../bin/purl.js', import.meta.url));
const ACTOR = systemActor('test:briefing');
/** The day the figures are computed as of: after every demo record, so nothing is cut off. */
const AS_OF = '2026-03-31';
/** Days an ECB rate may be carried forward (weekends, holidays): the product's rule. */
const CARRY_FORWARD_DAYS = 10;

/** Every contribution, through the service (all pages). */
async function allContributions(t: TestDatabase): Promise<Contribution[]> {
  const all: Contribution[] = [];
  let cursor: string | undefined;
  do {
    const page = await listContributions(t.database, ACTOR, { limit: 200, cursor });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return all;
}

/**
 * Σ committed in `target` cents, worked out here: each contribution committed (or partly or
 * fully paid) on or before AS_OF, its committed amount converted at the ECB rates of its
 * commitment day — or the latest earlier day with both rates, up to 10 days — rounded once,
 * half to even; the sum of those.
 */
async function expectedCommitted(t: TestDatabase, target: 'USD' | 'EUR'): Promise<bigint> {
  const counted = (await allContributions(t)).filter(
    (c) =>
      ['committed', 'partially_paid', 'paid'].includes(c.status) &&
      c.committedMinor > 0n &&
      c.committedOn !== null &&
      c.committedOn <= AS_OF,
  );
  expect(counted.length).toBeGreaterThan(5);
  const exponents = new Map(
    (await listCurrencies(t.database.kysely)).map((c) => [c.code, c.minorUnit]),
  );
  const codes = [...new Set([target, ...counted.map((c) => c.currency)])].filter(
    (c) => c !== 'EUR',
  );
  const rates = new Map<string, string>(); // `${currency}|${day}` → units per EUR
  for (const r of await listFxRates(t.database.kysely, codes, '2025-01-01', AS_OF)) {
    rates.set(`${r.currency}|${r.rateDate}`, r.ratePerEur);
  }
  const perEur = (currency: string, day: string) =>
    currency === 'EUR' ? '1' : rates.get(`${currency}|${day}`);
  let sum = 0n;
  for (const c of counted) {
    if (c.currency === target) {
      sum += c.committedMinor;
      continue;
    }
    let converted: bigint | undefined;
    for (let back = 0; back <= CARRY_FORWARD_DAYS && converted === undefined; back++) {
      const day = addDays(c.committedOn!, -back);
      const from = perEur(c.currency, day);
      const to = perEur(target, day);
      if (from === undefined || to === undefined) continue;
      const a = decimal(from);
      const b = decimal(to);
      const fromExp = BigInt(exponents.get(c.currency)!);
      const toExp = BigInt(exponents.get(target)!);
      // amount / 10^fromExp × (b / a) × 10^toExp
      converted = halfEven(
        c.committedMinor * b.mantissa * 10n ** (a.scale + toExp),
        a.mantissa * 10n ** (b.scale + fromExp),
      );
    }
    expect(converted, `a rate for ${c.currency} near ${c.committedOn}`).toBeDefined();
    sum += converted!;
  }
  return sum;
}

function decimal(text: string): { mantissa: bigint; scale: bigint } {
  const [whole = '', fraction = ''] = text.split('.');
  return { mantissa: BigInt(whole + fraction), scale: BigInt(fraction.length) };
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 33rd. */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function purl(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [PURL, ...args], { env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe.each(ENGINES)('the meeting briefing PDF on %s', (engine) => {
  let t: TestDatabase;
  let app: App;
  let latest: Meeting;
  let committedUsd: bigint;
  let committedEur: bigint;
  let english: PdfText;
  let french: PdfText;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    await loadDemo(t.database, { password: 'briefing-test-password' });
    // Burden sharing needs GDP and population: the World Bank files (a re-import is idempotent,
    // so this holds whether or not the demo imported them already).
    for (const [indicator, file] of [
      ['gdp_usd', 'gdp.csv'],
      ['population', 'population.csv'],
    ] as const) {
      await importCountryIndicators(t.database, ACTOR, {
        indicator,
        file: join(defaultSharedDataDir(), file),
      });
    }
    app = await buildApp({ database: t.database, devActors: true, rateLimits: false });
    const page = await listMeetings(t.database, ACTOR, { limit: 1 });
    latest = page.items[0]!;
    committedUsd = await expectedCommitted(t, 'USD');
    committedEur = await expectedCommitted(t, 'EUR');
  });
  afterAll(async () => {
    await app?.close();
    await closeBrowser();
    await t?.close();
  });

  it('renders the latest meeting in English with the committed total worked out independently', async () => {
    const briefing = await renderBriefing(t.database, ACTOR, {
      meetingId: latest.id,
      lang: 'en',
      currency: 'USD',
      asOf: AS_OF,
    });
    await saveArtifact(`briefing-${engine}-en-USD.pdf`, briefing.pdf);
    expect(briefing.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    english = await pdfText(briefing.pdf);

    // The demo's committed total is in the billions; the headline shows it compact and exact.
    expect(committedUsd).toBeGreaterThan(100_000_000_000n);
    expect(english.pages[0]).toContain(`Committed ${expectedBillions(committedUsd, 'USD', 'en')}`);
    expect(english.pages[0]).toContain(expectedExact(committedUsd, 'USD', 'en'));
    // The meeting, the basis, the synthetic-data notice.
    expect(english.pages[0]).toContain(
      `${ordinal(latest.number)} meeting of the Ukraine Defense Contact Group`,
    );
    expect(english.pages[0]).toContain('12 February 2026');
    expect(english.pages[0]).toContain('US dollar (USD)');
    expect(english.pages[0]).toContain('Figures as of 31 March 2026');
    expect(english.all).toContain('Synthetic demonstration data');
    expect(english.all).toContain('Progress towards the $5.00 bn goal');
  });

  it('puts the charts into the PDF as text: axis labels, legends, months', () => {
    // A few pages, one section a page; a page number in every footer.
    expect(english.pages.length).toBeGreaterThanOrEqual(5);
    expect(english.pages.length).toBeLessThanOrEqual(8);
    for (const [i, page] of english.pages.entries()) {
      expect(page).toContain(`Page ${i + 1} of ${english.pages.length}`);
    }
    // The pace chart: month axis (the first demo commitment is of August 2025) and legend.
    expect(english.all).toContain('Aug 2025');
    expect(english.all).toContain('Cumulative target');
    expect(english.all).toContain('Cumulative committed');
    expect(english.all).toContain('Amount ($ bn)');
    // The burden-sharing chart's axis and the coverage chart's legend.
    expect(english.all).toContain('Share of GDP (%)');
    expect(english.all).toContain('Coverage by capability area');
    expect(english.all).toContain('Air and missile defence');
    // The follow-up of the previous meeting and the stalled packages.
    expect(english.all).toContain('Announcements and what became of them');
    expect(english.all).toContain('Stalled packages');
  });

  it('renders in French with French words, accents and number formats', async () => {
    const briefing = await renderBriefing(t.database, ACTOR, {
      meetingId: latest.id,
      lang: 'fr',
      currency: 'USD',
      asOf: AS_OF,
    });
    await saveArtifact(`briefing-${engine}-fr-USD.pdf`, briefing.pdf);
    french = await pdfText(briefing.pdf);
    expect(french.pages[0]).toContain(`Engagé ${expectedBillions(committedUsd, 'USD', 'fr')}`);
    expect(french.pages[0]).toContain(expectedExact(committedUsd, 'USD', 'fr'));
    expect(french.pages[0]).toContain(
      `${latest.number}e réunion du Groupe de contact sur la défense de l’Ukraine`,
    );
    expect(french.pages[0]).toContain('12 février 2026');
    expect(french.pages[0]).toContain('Chiffres arrêtés au 31 mars 2026');
    expect(french.pages[0]).toContain('dollar des États-Unis (USD)');
    expect(french.all).toContain('Données de démonstration synthétiques');
    for (const words of [
      'Versé',
      'Livré',
      'engagés',
      'Rythme des financements',
      'Partage du fardeau',
      'Part du PIB (%)',
      'Couverture par domaine capacitaire',
      'Défense aérienne et antimissile',
      'Annonces et suites données',
      'Paquets en attente',
      'août 2025',
      'Objectif cumulé',
    ]) {
      expect(french.all, words).toContain(words);
    }
    // French percentages: a (folded) space before %; no English leftovers in the headings.
    expect(french.all).toMatch(/\d,\d %/);
    expect(french.all).not.toContain('Committed');
    for (const [i, page] of french.pages.entries()) {
      expect(page).toContain(`Page ${i + 1} sur ${french.pages.length}`);
    }
  });

  it('serves the briefing from the API in EUR as a PDF attachment', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/meetings/${latest.id}/briefing?lang=fr&currency=EUR&asOf=${AS_OF}`,
      headers: { 'x-purl-actor': 'contributor:NLD' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="purl-briefing-${latest.number}-${latest.heldOn}-fr.pdf"`,
    );
    const body = response.rawPayload;
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await saveArtifact(`briefing-${engine}-fr-EUR.pdf`, body);
    const text = await pdfText(body);
    expect(committedEur).toBeGreaterThan(100_000_000_000n);
    expect(text.pages[0]).toContain(`Engagé ${expectedBillions(committedEur, 'EUR', 'fr')}`);
    expect(text.pages[0]).toContain(expectedExact(committedEur, 'EUR', 'fr'));
    expect(text.pages[0]).toContain('euro (EUR)');
  });

  it('answers 404 for an unknown meeting, 400 naming the field for a bad language, 401 anonymous', async () => {
    const unknown = await app.inject({
      method: 'GET',
      url: '/api/v1/meetings/987654321/briefing?lang=en',
      headers: { 'x-purl-actor': 'coordinator' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('NOT_FOUND');

    const badLanguage = await app.inject({
      method: 'GET',
      url: `/api/v1/meetings/${latest.id}/briefing?lang=de`,
      headers: { 'x-purl-actor': 'coordinator' },
    });
    expect(badLanguage.statusCode).toBe(400);
    expect(badLanguage.json().error.details.field).toBe('querystring.lang');

    const badCurrency = await app.inject({
      method: 'GET',
      url: `/api/v1/meetings/${latest.id}/briefing?lang=en&currency=GBP`,
      headers: { 'x-purl-actor': 'coordinator' },
    });
    expect(badCurrency.statusCode).toBe(400);
    expect(badCurrency.json().error.details.field).toBe('querystring.currency');

    const anonymous = await app.inject({
      method: 'GET',
      url: `/api/v1/meetings/${latest.id}/briefing?lang=en`,
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('writes the PDF from the CLI, and refuses a bad language and an unknown meeting number', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'purl-briefing-'));
    try {
      const { DATABASE_URL: _ignored, ...rest } = process.env;
      // A bad language is refused before any database is opened.
      const badLanguage = await purl(
        ['report', 'briefing', '--meeting', '33', '--lang', 'de', '--out', join(dir, 'x.pdf')],
        { ...rest, PURL_DATA_DIR: join(dir, 'unused') },
      );
      expect(badLanguage.code).toBe(EXIT_CODES.VALIDATION_FAILED);
      expect(badLanguage.stderr).toContain('error VALIDATION_FAILED (field: lang)');
      // The rest needs the demo: PostgreSQL only (another process cannot open this suite's
      // in-memory PGlite; the service and the API are checked on both engines above).
      if (engine !== 'postgres') return;
      const env = { ...rest, DATABASE_URL: t.url };
      const out = join(dir, 'briefing.pdf');
      const run = await purl(
        [
          'report',
          'briefing',
          '--meeting',
          String(latest.number),
          '--lang',
          'en',
          '--out',
          out,
          '--as-of',
          AS_OF,
        ],
        env,
      );
      expect(run.stderr).toContain(`rendering the briefing for meeting no. ${latest.number}`);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^wrote .*briefing\.pdf: Meeting briefing — .* bytes, in [0-9.]+ s\n$/,
      );
      const pdf = await readFile(out);
      await saveArtifact(`briefing-${engine}-cli-en.pdf`, pdf);
      const text = await pdfText(pdf);
      expect(text.pages[0]).toContain(expectedExact(committedUsd, 'USD', 'en'));

      const unknown = await purl(
        ['report', 'briefing', '--meeting', '4242', '--lang', 'en', '--out', join(dir, 'x.pdf')],
        env,
      );
      expect(unknown.code).toBe(EXIT_CODES.NOT_FOUND);
      expect(unknown.stderr).toContain('error NOT_FOUND (field: meeting)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
