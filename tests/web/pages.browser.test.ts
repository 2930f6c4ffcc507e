/**
 * The dashboard, a figure's drill-down and the public page in a real browser against a real
 * server with the demo data, in English, French and Ukrainian: each renders its figures (checked
 * against the API's own answers), with no console error, no untranslated key and no serious or
 * critical accessibility violation (axe), and is saved as a screenshot. Also: the figures in the
 * reader's number format, each role's menu, a contributor's drill-down showing what it may not
 * see as redacted, the tablet layout, the skip link, and the chart/table switch.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TABLET,
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

/** How each language writes a billion in compact form, and the dashboard's heading. */
const EXPECTED: Record<Language, { billion: RegExp; dashboard: string; public: string }> = {
  // Chromium's own CLDR data writes "B" for en-GB where Node's writes "bn".
  en: { billion: /\$\d+(\.\d+)?(bn|B)/, dashboard: 'Dashboard', public: 'Public figures' },
  fr: { billion: /\d+(,\d+)?\s?Md\s?\$/, dashboard: 'Tableau de bord', public: 'Chiffres publics' },
  uk: { billion: /\d+(,\d+)?\s?млрд\s?\$/, dashboard: 'Огляд', public: 'Публічні показники' },
};

interface Json {
  [key: string]: unknown;
}

describe('the dashboard, drill-down and public page in the browser', () => {
  let server: WebServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let console: ConsoleEntry[];

  /** The API's answer as the signed-in coordinator of `context` gets it. */
  async function api(path: string, on: BrowserContext = context): Promise<Json> {
    const response = await on.request.get(`${server.url}/api/v1${path}`);
    expect(response.status(), path).toBe(200);
    return (await response.json()) as Json;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    context = await newContext(browser);
    page = await context.newPage();
    console = collectConsoleErrors(page);
    await page.goto(`${server.url}/`);
    await signIn(page, server.url, 'coordinator@demo.purl');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const language of LANGUAGES) {
    it(`the dashboard in ${language}: every figure, translated, no console error, accessible`, async () => {
      await page.goto(`${server.url}/`);
      await chooseLanguage(page, language);
      await page.getByTestId('funnel-tiles').waitFor();
      for (const card of [
        'funnel-card',
        'pace-card',
        'burden-card',
        'coverage-card',
        'stalled-card',
      ]) {
        await page.getByTestId(card).locator('[data-chart], table, p').first().waitFor();
      }
      await page.getByTestId('meeting-card').getByText(/33/).first().waitFor();
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
        EXPECTED[language].dashboard,
      );

      // The tiles are the funnel's stages, in compact money of the language.
      const funnel = (await api('/analytics/funnel')) as {
        stages: { figures: { amount: string } }[];
      };
      const tiles = page.getByTestId('funnel-tiles').locator('li');
      expect(await tiles.count()).toBe(funnel.stages.length);
      expect(await page.getByTestId('funnel-tiles').innerText()).toMatch(
        EXPECTED[language].billion,
      );
      for (const stage of funnel.stages) {
        expect(
          await page
            .getByTestId('funnel-tiles')
            .locator(`a[data-figure="${stage.figures.amount}"]`)
            .count(),
        ).toBe(1);
      }
      // The basis is stated; the stalled packages are those of the API.
      expect((await page.getByTestId('basis-note').innerText()).length).toBeGreaterThan(40);
      const leadTimes = (await api('/analytics/lead-times')) as { stalled: { number: string }[] };
      const stalledText = await page.getByTestId('stalled-card').innerText();
      for (const stalled of leadTimes.stalled) expect(stalledText).toContain(stalled.number);

      expect(await untranslatedKeys(page)).toEqual([]);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, `dashboard-${language}`);
      expectNoConsoleErrors(console);
    });

    it(`a drill-down in ${language}: its records add up to the figure, accessible`, async () => {
      await page.goto(`${server.url}/analysis/drill?figure=funnel.committed&currency=EUR`);
      await page.getByTestId('drill-table').waitFor();
      const drill = (await api('/analytics/drill?figure=funnel.committed&currency=EUR')) as {
        records: { amountMinor: string }[];
        totalMinor: string;
      };
      const sum = drill.records.reduce((total, record) => total + BigInt(record.amountMinor), 0n);
      expect(sum).toBe(BigInt(drill.totalMinor));
      expect(await page.getByTestId('drill-table').locator('tbody tr').count()).toBe(
        drill.records.length,
      );
      // The total shown is the figure, to the cent, in the language's format.
      const total = await page.getByTestId('drill-total').innerText();
      expect(digitsOf(total)).toContain(drill.totalMinor);
      expect(await untranslatedKeys(page)).toEqual([]);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, `drill-${language}`);
      expectNoConsoleErrors(console);
    });

    it(`the public page in ${language}, without signing in: the published figures`, async () => {
      const anonymous = await newContext(browser, { language });
      const publicPage = await anonymous.newPage();
      const publicConsole = collectConsoleErrors(publicPage);
      await publicPage.goto(`${server.url}/public`);
      await publicPage.getByTestId('public-donors').waitFor();
      const summary = (await api('/public/summary', anonymous)) as {
        figures: { committedByDonor: unknown[] };
      };
      expect(await publicPage.getByTestId('public-donors').locator('tbody tr').count()).toBe(
        summary.figures.committedByDonor.length,
      );
      expect(await publicPage.getByTestId('published-at').innerText()).toMatch(/\d{4}/);
      expect(await publicPage.getByRole('heading', { level: 1 }).innerText()).toBe(
        EXPECTED[language].public,
      );
      expect(await publicPage.evaluate(() => document.documentElement.lang)).toBe(language);
      expect(await untranslatedKeys(publicPage)).toEqual([]);
      expect(await seriousAccessibilityViolations(publicPage)).toEqual([]);
      await screenshot(publicPage, `public-${language}`);
      expectNoConsoleErrors(publicConsole);
      await anonymous.close();
    });
  }

  it('keeps the currency and rate mode in the URL and states the basis', async () => {
    await page.goto(`${server.url}/`);
    await chooseLanguage(page, 'en');
    await page.getByTestId('currency-control').getByText('EUR').click();
    await page.getByTestId('rate-mode-control').getByText('One fixed date').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('currency')).toBe('EUR');
    expect(new URL(page.url()).searchParams.get('rateMode')).toBe('fixed');
    await expect
      .poll(() => page.getByTestId('basis-note').innerText())
      .toMatch(/^In euros, every amount converted at the ECB rate of \d{1,2} \w+ \d{4}, as of/);
    // A shared link opens on the same basis.
    const shared = await context.newPage();
    await shared.goto(page.url());
    await expect
      .poll(() => shared.getByTestId('basis-note').innerText())
      .toMatch(/^In euros, every amount converted at the ECB rate of \d{1,2} \w+ \d{4}, as of/);
    await shared.close();
    expectNoConsoleErrors(console);
  });

  it('shows each chart’s figures as a table too, with a link to each figure’s records', async () => {
    await page.goto(`${server.url}/`);
    const card = page.getByTestId('funnel-card');
    await card.getByText('Table', { exact: true }).click();
    await card.locator('table').waitFor();
    expect(await card.locator('tbody tr').count()).toBe(7);
    await card.locator('tbody tr').nth(1).getByRole('link').click();
    await page.waitForURL(/\/analysis\/drill\?figure=funnel\.committed/);
    await page.getByTestId('drill-table').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // "Back" returns to the page the drill-down was opened from, with its basis.
    await page.goto(`${server.url}/analysis/coverage?currency=EUR`);
    await page.locator('[data-figure]').first().click();
    await page.getByTestId('drill-table').waitFor();
    await page.getByRole('link', { name: 'Back', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/analysis/coverage');
    expect(new URL(page.url()).searchParams.get('currency')).toBe('EUR');
    expectNoConsoleErrors(console);
  });

  it('offers a skip link first, which moves the focus to the page', async () => {
    await page.goto(`${server.url}/`);
    await page.getByTestId('funnel-tiles').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Skip to main content',
    );
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main-content');
  });

  it('on a tablet, the menu sits behind a button', async () => {
    const tablet = await newContext(browser, { viewport: TABLET, language: 'fr' });
    const tabletPage = await tablet.newPage();
    const tabletConsole = collectConsoleErrors(tabletPage);
    await tabletPage.goto(`${server.url}/`);
    await signIn(tabletPage, server.url, 'coordinator@demo.purl');
    await tabletPage.getByTestId('funnel-tiles').waitFor();
    const nav = tabletPage.getByRole('navigation', { name: 'Navigation principale' });
    const menuButton = tabletPage.getByRole('button', { name: 'Ouvrir le menu' });
    expect(await menuButton.isVisible()).toBe(true);
    // Closed: out of view and out of reach (inert: no focus, not read); open: both.
    const navbar = tabletPage.locator('#main-navigation');
    expect(await navbar.evaluate((element) => (element as HTMLElement).inert)).toBe(true);
    expect(
      await navbar.evaluate((element) => element.getBoundingClientRect().right),
    ).toBeLessThanOrEqual(0);
    await menuButton.click();
    await expect
      .poll(() => navbar.evaluate((element) => (element as HTMLElement).inert))
      .toBe(false);
    await expect
      .poll(() => navbar.evaluate((element) => element.getBoundingClientRect().left))
      .toBeGreaterThanOrEqual(0);
    await nav.getByRole('link', { name: 'Tableau de bord' }).waitFor({ state: 'visible' });
    expect(await seriousAccessibilityViolations(tabletPage)).toEqual([]);
    await screenshot(tabletPage, 'dashboard-tablet-fr');
    expectNoConsoleErrors(tabletConsole);
    await tablet.close();
  });

  it('a contributor sees what it may not see as redacted, and only its own menu', async () => {
    const donor = await newContext(browser);
    const donorPage = await donor.newPage();
    const donorConsole = collectConsoleErrors(donorPage);
    await donorPage.goto(`${server.url}/`);
    await signIn(donorPage, server.url, 'nld@demo.purl');
    await donorPage.getByTestId('funnel-tiles').waitFor();
    expect(await donorPage.getByTestId('user-menu').innerText()).toBe('Contributor · NLD');

    // Delivered value is made of receipts of package lines; those of packages the Netherlands
    // does not fund are redacted for it (the API's own answer says how many).
    const drill = (await api('/analytics/drill?figure=funnel.delivered', donor)) as {
      records: { kind: string; count: number; label: string }[];
    };
    const redacted = drill.records.find((record) => record.kind === 'redacted');
    expect(redacted).toBeDefined();
    await donorPage.goto(`${server.url}/analysis/drill?figure=funnel.delivered`);
    await donorPage.getByTestId('drill-table').waitFor();
    const row = donorPage.getByTestId('redacted-record');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('Redacted');
    expect(await row.innerText()).toContain(`${redacted?.count} records you may not see in detail`);
    // The coordinator sees the same figure's records in full.
    const full = (await api('/analytics/drill?figure=funnel.delivered')) as {
      records: { kind: string; label: string }[];
    };
    expect(full.records.some((record) => record.kind === 'redacted')).toBe(false);
    const shown = await donorPage.getByTestId('drill-table').innerText();
    const visibleLabels = new Set(drill.records.map((record) => record.label));
    for (const record of full.records.filter((r) => !visibleLabels.has(r.label))) {
      expect(shown).not.toContain(record.label);
    }
    expect(await seriousAccessibilityViolations(donorPage)).toEqual([]);
    await screenshot(donorPage, 'drill-contributor-redacted');
    expectNoConsoleErrors(donorConsole);
    await donor.close();
  });

  it('an administrator (no analyses) gets no dashboard, only what it may use', async () => {
    const admin = await newContext(browser);
    const adminPage = await admin.newPage();
    const adminConsole = collectConsoleErrors(adminPage);
    await adminPage.goto(`${server.url}/`);
    await signIn(adminPage, server.url, 'admin@demo.purl');
    // The start page takes it to its first page: the administration.
    await adminPage.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();
    const links = await adminPage.getByRole('navigation').getByRole('link').allInnerTexts();
    // Its own administration and the public figures: no operational page.
    expect(links).toEqual(['Administration', 'Public figures']);
    await adminPage.goto(`${server.url}/analysis/drill?figure=funnel.paid`);
    await adminPage.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    expectNoConsoleErrors(adminConsole);
    await admin.close();
  });
});

/** The digits of a formatted amount, without separators or symbols ("€1,234.56" → "123456"). */
function digitsOf(text: string): string {
  return text.replace(/[^\d]/g, '');
}
