/**
 * The analysis pages (`/analysis/:analysis`) in a real browser against a real server with the
 * demo data (and a small synthetic Kiel file): each analysis in English, French and Ukrainian
 * renders its main figure as the API computes it, with its chart and full table, no console
 * error, no untranslated key and no serious accessibility violation, saved as a screenshot.
 * Also: the basis in the URL (EUR, fixed rates) changing the figures as the API does, a figure
 * opening its records (which add up to it), the CSV and XLSX downloads on the same basis, the
 * pace's target and goal (and the server's refusal shown against the goal), an unknown analysis,
 * and a contributor seeing the analyses with other donors' contents redacted in drill-downs.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { importKielFigures } from '../../src/services/imports/kiel-import.js';
import {
  chooseLanguage,
  collectConsoleErrors,
  expectNoConsoleErrors,
  launchBrowser,
  newContext,
  screenshot,
  seriousAccessibilityViolations,
  signIn,
  untranslatedKeys,
  type ConsoleEntry,
  type Language,
} from './support/browser.js';
import { startWebServer, type WebServer } from './support/server.js';

const LANGUAGES = ['en', 'fr', 'uk'] as const satisfies readonly Language[];

interface Json {
  [key: string]: unknown;
}

type Stage = { stage: string; amountMinor: string; figures: { amount: string } };
type Month = { cumulativeCommittedMinor: string; figures: { cumulativeCommitted: string } };

/** Each analysis: its API path, and its main figure (key and minor units) in the API's answer. */
const ANALYSES: Record<
  string,
  { path: string; main: (answer: Json) => { figure: string; minor: string }; table: string }
> = {
  funnel: {
    path: '/analytics/funnel',
    main: (answer) => {
      const committed = (answer.stages as Stage[]).find((stage) => stage.stage === 'committed')!;
      return { figure: committed.figures.amount, minor: committed.amountMinor };
    },
    table: 'funnel-table',
  },
  'burden-sharing': {
    path: '/analytics/burden-sharing',
    main: (answer) => ({
      figure: (answer.figures as { totalCommitted: string }).totalCommitted,
      minor: answer.totalCommittedMinor as string,
    }),
    table: 'burden-table',
  },
  coverage: {
    path: '/analytics/coverage',
    main: (answer) => {
      const totals = answer.totals as { fundedMinor: string; figures: { funded: string } };
      return { figure: totals.figures.funded, minor: totals.fundedMinor };
    },
    table: 'coverage-table',
  },
  pace: {
    path: '/analytics/pace',
    main: (answer) => {
      const last = (answer.months as Month[]).at(-1)!;
      return { figure: last.figures.cumulativeCommitted, minor: last.cumulativeCommittedMinor };
    },
    table: 'pace-table',
  },
  'lead-times': {
    path: '/analytics/lead-times',
    main: (answer) => ({
      figure: answer.stalledFigure as string,
      minor: answer.stalledValueMinor as string,
    }),
    table: 'lead-times-table',
  },
  context: {
    path: '/analytics/context',
    main: (answer) => {
      const totals = answer.totals as { committedMinor: string; figures: { committed: string } };
      return { figure: totals.figures.committed, minor: totals.committedMinor };
    },
    table: 'context-table',
  },
};

/** A small Kiel file (synthetic figures, EUR bn) so the context page has Kiel rows. */
const KIEL_CSV = [
  'country,iso,year,month,total,financial,humanitarian,military,commitments,to_be_allocated,gdp,pct_gdp',
  'Netherlands,NLD,2025,,10.5,1.0,0.5,9.0,10.5,0,1100,0.95',
  'Germany,DEU,2025,,40.2,10.1,3.1,27.0,40.2,1.5,4100,0.98',
  'Canada,CAN,2025,,5.0,2.5,0.5,2.0,5.0,0,2000,0.25',
].join('\n');

describe('the analysis pages in the browser', () => {
  let server: WebServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let console: ConsoleEntry[];

  /** The API's answer as the signed-in user of `on` (the coordinator by default) gets it. */
  async function api(path: string, on: BrowserContext = context): Promise<Json> {
    const response = await on.request.get(`${server.url}/api/v1${path}`);
    expect(response.status(), path).toBe(200);
    return (await response.json()) as Json;
  }

  /** The page's headline figure once it shows (its key and its text). */
  async function headline(on: Page = page): Promise<{ figure: string; text: string }> {
    const link = on.getByTestId('headline-figure').locator('a[data-figure]');
    await link.waitFor();
    return {
      figure: (await link.getAttribute('data-figure')) ?? '',
      text: await link.innerText(),
    };
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    await importKielFigures(server.database, systemActor('test'), {
      bytes: new TextEncoder().encode(KIEL_CSV),
      fileName: 'data_explorer-synthetic.csv',
    });
    context = await newContext(browser);
    page = await context.newPage();
    console = collectConsoleErrors(page);
    await page.goto(`${server.url}/analysis/funnel`);
    await signIn(page, server.url, 'coordinator@demo.purl');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const language of LANGUAGES) {
    for (const [name, analysis] of Object.entries(ANALYSES)) {
      it(`${name} in ${language}: the API's main figure, a chart and a full table, translated, accessible`, async () => {
        await page.goto(`${server.url}/analysis/${name}`);
        await chooseLanguage(page, language);
        const shown = await headline();
        const expected = analysis.main(await api(analysis.path));
        expect(shown.figure).toBe(expected.figure);
        expect(digitsOf(shown.text)).toBe(expected.minor);
        await page.locator('[data-chart]').first().waitFor();
        expect(await page.getByTestId(analysis.table).locator('tbody tr').count()).toBeGreaterThan(
          0,
        );
        // The current analysis is marked in the navigation; the basis is stated.
        expect(
          await page
            .getByTestId('analysis-nav')
            .locator('a[aria-current="page"]')
            .getAttribute('href'),
        ).toBe(`/analysis/${name}`);
        expect((await page.getByTestId('basis-note').innerText()).length).toBeGreaterThan(40);
        expect(await untranslatedKeys(page)).toEqual([]);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        await screenshot(page, `analysis-${name}-${language}`);
        expectNoConsoleErrors(console);
      });
    }
  }

  it('switching to EUR and fixed rates changes the URL and the figures, as the API does', async () => {
    await page.goto(`${server.url}/analysis/burden-sharing`);
    await chooseLanguage(page, 'en');
    const before = await headline();
    const usd = (await api('/analytics/burden-sharing')) as { totalCommittedMinor: string };
    expect(digitsOf(before.text)).toBe(usd.totalCommittedMinor);

    await page.getByTestId('currency-control').getByText('EUR').click();
    await page.getByTestId('rate-mode-control').getByText('One fixed date').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('currency')).toBe('EUR');
    expect(new URL(page.url()).searchParams.get('rateMode')).toBe('fixed');
    const eur = (await api('/analytics/burden-sharing?currency=EUR&rateMode=fixed')) as {
      totalCommittedMinor: string;
    };
    expect(eur.totalCommittedMinor).not.toBe(usd.totalCommittedMinor);
    await expect.poll(async () => digitsOf((await headline()).text)).toBe(eur.totalCommittedMinor);
    expect((await headline()).text).toContain('€');
    // The table's figures are on the same basis: the Netherlands' committed, as the API says.
    const nld = (
      (await api('/analytics/burden-sharing?currency=EUR&rateMode=fixed')) as {
        donors: { partyId: string; committedMinor: string }[];
      }
    ).donors.find((donor) => donor.partyId === 'NLD')!;
    const cell = page.getByTestId('burden-table').locator('a[data-figure="burden.committed:NLD"]');
    expect(digitsOf(await cell.innerText())).toBe(nld.committedMinor);
    // The other analyses keep the basis.
    await page.getByTestId('analysis-nav').getByRole('link', { name: 'Coverage' }).click();
    await page.waitForURL(/\/analysis\/coverage\?/);
    expect(new URL(page.url()).searchParams.get('currency')).toBe('EUR');
    expect(new URL(page.url()).searchParams.get('rateMode')).toBe('fixed');
    expectNoConsoleErrors(console);
  });

  it('a figure opens its records, which add up to it', async () => {
    await page.goto(`${server.url}/analysis/funnel?currency=EUR&rateMode=fixed`);
    const shown = await headline();
    await page.getByTestId('headline-figure').getByRole('link').click();
    await page.waitForURL(/\/analysis\/drill\?figure=funnel\.committed/);
    const url = new URL(page.url());
    expect(url.searchParams.get('currency')).toBe('EUR');
    expect(url.searchParams.get('rateMode')).toBe('fixed');
    await page.getByTestId('drill-table').waitFor();
    const drill = (await api(`/analytics/drill${url.search}`)) as { totalMinor: string };
    expect(digitsOf(shown.text)).toBe(drill.totalMinor);
    expect(digitsOf(await page.getByTestId('drill-total').innerText())).toContain(drill.totalMinor);

    // A cell of a full table too: coverage, one cycle and area's funded value.
    await page.goto(`${server.url}/analysis/coverage`);
    const cellLink = page
      .getByTestId('coverage-table')
      .locator('a[data-figure^="coverage.funded:"]')
      .first();
    const figure = (await cellLink.getAttribute('data-figure'))!;
    const cellText = await cellLink.innerText();
    await cellLink.click();
    await page.waitForURL(/\/analysis\/drill\?/);
    await page.getByTestId('drill-table').waitFor();
    expect(new URL(page.url()).searchParams.get('figure')).toBe(figure);
    expect(digitsOf(await page.getByTestId('drill-total').innerText())).toContain(
      digitsOf(cellText),
    );
    expectNoConsoleErrors(console);
  });

  it('downloads the analysis as CSV and XLSX on the page’s basis', async () => {
    await page.goto(`${server.url}/analysis/funnel?currency=EUR&rateMode=fixed`);
    await chooseLanguage(page, 'en');
    await headline();
    const csvLink = page.getByTestId('download-csv');
    expect(await csvLink.getAttribute('download')).not.toBeNull();
    expect(await csvLink.innerText()).toBe('Download CSV');
    const csvHref = (await csvLink.getAttribute('href'))!;
    expect(csvHref).toMatch(/^\/api\/v1\/exports\/funnel\?/);
    const csvQuery = new URL(csvHref, server.url).searchParams;
    expect(csvQuery.get('currency')).toBe('EUR');
    expect(csvQuery.get('rateMode')).toBe('fixed');
    expect(csvQuery.get('lang')).toBe('en');
    const csv = await context.request.get(`${server.url}${csvHref}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const text = await csv.text();
    expect(text).toContain('# Currency,EUR');
    expect(text).toMatch(/# Rate mode,fixed/);

    const xlsxHref = (await page.getByTestId('download-xlsx').getAttribute('href'))!;
    const xlsx = await context.request.get(`${server.url}${xlsxHref}`);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const bytes = await xlsx.body();
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');

    // The browser downloads the file from the link itself.
    const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
    expect(download.suggestedFilename()).toMatch(/^purl-funnel-\d{4}-\d{2}-\d{2}\.csv$/);

    // In French the file is French; in Ukrainian it is English, and the button says so.
    await chooseLanguage(page, 'fr');
    const frHref = (await page.getByTestId('download-csv').getAttribute('href'))!;
    expect(new URL(frHref, server.url).searchParams.get('lang')).toBe('fr');
    expect(await (await context.request.get(`${server.url}${frHref}`)).text()).toContain(
      '# Devise,EUR',
    );
    await chooseLanguage(page, 'uk');
    const ukLink = page.getByTestId('download-csv');
    expect(new URL((await ukLink.getAttribute('href'))!, server.url).searchParams.get('lang')).toBe(
      'en',
    );
    const describedBy = (await ukLink.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${describedBy}"]`).innerText()).toContain('англійською');

    // The stalled packages have their own download, on the lead-times page.
    await chooseLanguage(page, 'en');
    await page.goto(`${server.url}/analysis/lead-times?stalledAfterDays=60`);
    await headline();
    const stalledHref = (await page.getByTestId('download-stalled-csv').getAttribute('href'))!;
    expect(stalledHref).toMatch(/^\/api\/v1\/exports\/stalled-packages\?.*stalledAfterDays=60/);
    const stalled = await context.request.get(`${server.url}${stalledHref}`);
    expect(stalled.status()).toBe(200);
    expect(await stalled.text()).toContain('# Currency,USD');
    expectNoConsoleErrors(console);
  });

  it('the pace takes a target and a goal into its query; the server’s refusal shows on the goal', async () => {
    await page.goto(`${server.url}/analysis/pace`);
    await chooseLanguage(page, 'en');
    await headline();
    const target = page.getByLabel('Target per month', { exact: true });
    await target.fill('2,000,000,000');
    await page.getByLabel('Goal', { exact: true }).fill('8,000,000,000');
    await page.getByTestId('pace-apply').click();
    await expect
      .poll(() => new URL(page.url()).searchParams.get('targetPerMonth'))
      .toBe('2000000000.00');
    expect(new URL(page.url()).searchParams.get('goal')).toBe('8000000000.00');
    const pace = (await api('/analytics/pace?targetPerMonth=2000000000.00&goal=8000000000.00')) as {
      target: { source: string; amountMinor: string };
      months: { cumulativeTargetMinor: string }[];
    };
    expect(pace.target.source).toBe('given');
    await expect
      .poll(() => page.getByTestId('pace-target-used').innerText())
      .toContain('$2,000,000,000.00');
    const lastTarget = page
      .getByTestId('pace-table')
      .locator('tbody tr')
      .last()
      .locator('td')
      .last();
    expect(digitsOf(await lastTarget.innerText())).toBe(pace.months.at(-1)!.cumulativeTargetMinor);
    expect(await page.getByTestId('pace-projection-text').innerText()).toContain(
      '$8,000,000,000.00',
    );
    // The download carries them too.
    const href = (await page.getByTestId('download-csv').getAttribute('href'))!;
    expect(href).toContain('targetPerMonth=2000000000.00');
    expect(href).toContain('goal=8000000000.00');

    // A goal above the API's limit: refused, and the refusal is shown against the goal.
    await page.getByLabel('Goal', { exact: true }).fill('20,000,000,000,000');
    await page.getByTestId('pace-apply').click();
    const goalError = page.getByTestId('pace-settings').getByText(/goalMinor|at most/);
    await goalError.waitFor();
    expect(await page.getByLabel('Goal', { exact: true }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // Back to the defaults.
    await page.getByRole('button', { name: 'Back to the defaults' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('goal')).toBeNull();
    await headline();
    // The refused query is the one console error, the browser's report of the 400.
    expectNoConsoleErrors(console, [/400 \(Bad Request\)/]);
    console.length = 0;
  });

  it('an unknown analysis says so and lists the analyses', async () => {
    await page.goto(`${server.url}/analysis/nonsense`);
    await page.getByRole('heading', { level: 1, name: 'Analysis not found' }).waitFor();
    const links = page.getByTestId('analysis-not-found').locator('ul a');
    expect(await links.count()).toBe(Object.keys(ANALYSES).length);
    await links.first().click();
    await page.waitForURL(/\/analysis\/funnel$/);
    await headline();
    expectNoConsoleErrors(console);
  });

  it('the stalled packages link to their packages', async () => {
    await page.goto(`${server.url}/analysis/lead-times`);
    await headline();
    const leadTimes = (await api('/analytics/lead-times')) as {
      stalled: { packageId: string; number: string }[];
    };
    const first = leadTimes.stalled[0]!;
    const link = page.getByTestId('stalled-table').getByRole('link', { name: first.number });
    expect(await link.getAttribute('href')).toBe(`/packages/${first.packageId}`);
  });

  it('a contributor sees the analyses, and other donors’ package contents redacted in drill-downs', async () => {
    const donor = await newContext(browser);
    const donorPage = await donor.newPage();
    const donorConsole = collectConsoleErrors(donorPage);
    await donorPage.goto(`${server.url}/`);
    await signIn(donorPage, server.url, 'nld@demo.purl');
    await donorPage.goto(`${server.url}/analysis/coverage`);
    const shown = await headline(donorPage);
    const coverage = (await api('/analytics/coverage', donor)) as {
      totals: { fundedMinor: string; figures: { delivered: string } };
    };
    expect(digitsOf(shown.text)).toBe(coverage.totals.fundedMinor);
    await donorPage.getByTestId('redaction-note').waitFor();
    expect(
      await donorPage.getByRole('navigation').getByRole('link', { name: 'Analysis' }).count(),
    ).toBe(1);

    // Delivered value is made of receipts of package lines: those of packages the Netherlands
    // does not fund come as one redacted line (the API's own answer says so).
    const drill = (await api(
      `/analytics/drill?figure=${coverage.totals.figures.delivered}`,
      donor,
    )) as { totalMinor: string; records: { kind: string; count: number }[] };
    const redacted = drill.records.filter((record) => record.kind === 'redacted');
    expect(redacted.length).toBeGreaterThan(0);
    await donorPage
      .getByTestId('coverage-table')
      .locator(`tfoot a[data-figure="${coverage.totals.figures.delivered}"]`)
      .click();
    await donorPage.getByTestId('drill-table').waitFor();
    expect(await donorPage.getByTestId('redacted-record').count()).toBe(redacted.length);
    expect(digitsOf(await donorPage.getByTestId('drill-total').innerText())).toContain(
      drill.totalMinor,
    );
    expect(await seriousAccessibilityViolations(donorPage)).toEqual([]);
    await screenshot(donorPage, 'analysis-coverage-drill-contributor');
    expectNoConsoleErrors(donorConsole);
    await donor.close();
  });
});

/** The digits of a formatted amount, without separators or symbols ("€1,234.56" → "123456"). */
function digitsOf(text: string): string {
  return text.replace(/[^\d]/g, '');
}
