/**
 * The allocation planner in a real browser against a real server with the demo data (an approved
 * list, about $12.9M of money to allocate): the coordinator proposes packages with one button —
 * one joint package below the $500M range, its lines and allocations as the API plans them,
 * every item's reason, the binding constraints and the "extra money" chart with its table view —
 * in English, French and Ukrainian (translated, accessible); a what-if with a hypothetical
 * $600M pledge side by side (the deltas of the API's comparison, nothing written); accepting
 * the base plan creates a funded package whose link opens it; and a plan made stale by a change
 * of the money says so and plans again.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const HEADING: Record<Language, string> = {
  en: 'Allocation planner',
  fr: 'Planificateur d’allocations',
  uk: 'Планувальник розподілу',
};
const CARD_TITLE: Record<Language, string> = {
  en: 'Package 1 of 1',
  fr: 'Paquet 1 sur 1',
  uk: 'Пакет 1 з 1',
};
const PLEDGE_MINOR = '60000000000'; // $600M

interface ScenarioJson {
  fingerprint: string;
  plannedValueMinor: string;
  solver: { optimal: boolean };
  packages: {
    kind: string;
    belowRange: boolean;
    valueMinor: string;
    lines: { requirementItemId: string }[];
    allocations: { contributionId: string | null }[];
  }[];
  items: { priorityRank: number; status: string; reason: string | null }[];
  binding: unknown[];
  nextMoney: { capabilityArea: string }[];
}

interface PlanJson {
  scenarios: ScenarioJson[];
  comparison: {
    plannedValueDeltaMinor: string;
    packagesDelta: number;
    items: unknown[];
    areas: unknown[];
  } | null;
}

/** US cents as en-GB writes dollars ("$12,908,000.00"). */
function usd(minor: string): string {
  const digits = minor.padStart(3, '0');
  const decimal = `${digits.slice(0, -2)}.${digits.slice(-2)}`;
  return new Intl.NumberFormat('en-GB', {
    style: 'currency',
    currency: 'USD',
    currencyDisplay: 'narrowSymbol',
  }).format(decimal as Intl.StringNumericLiteral);
}

describe('the allocation planner in the browser', () => {
  let server: WebServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let console: ConsoleEntry[];

  async function csrf(): Promise<string> {
    const cookies = await context.cookies();
    return cookies.find((cookie) => cookie.name === 'purl_csrf')?.value ?? '';
  }

  async function get<T>(path: string): Promise<T> {
    const response = await context.request.get(`${server.url}/api/v1${path}`);
    expect(response.status(), path).toBe(200);
    return (await response.json()) as T;
  }

  async function post<T>(path: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await context.request.post(`${server.url}/api/v1${path}`, {
      data: body,
      headers: { 'x-csrf-token': await csrf(), ...headers },
    });
    expect(response.status(), `${path}: ${await response.text()}`).toBeLessThan(300);
    return (await response.json()) as T;
  }

  const DEFAULTS = { targetMinor: '50000000000', toleranceMinor: '5000000000' };

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

  it('proposes packages on the demo and explains them, in three languages', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Allocation planner' }).click();
    await page.waitForURL(/\/planner$/);
    // The page's code loads on first use: the dashboard's heading may still show a moment.
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe(HEADING.en);
    await page.getByTestId('propose').click();
    const card = page.getByTestId('package-card');
    await card.first().waitFor();

    const plan = (
      await post<PlanJson>('/plans', { partialQuantities: true, scenarios: [DEFAULTS] })
    ).scenarios[0]!;
    expect(plan.packages).toHaveLength(1);
    const pkg = plan.packages[0]!;
    expect(pkg.belowRange).toBe(true);
    expect(await card.count()).toBe(1);
    expect(await card.getByTestId('package-kind').innerText()).toContain('Joint package');
    await card.getByTestId('below-range').waitFor();
    expect(await card.getByTestId('package-value').innerText()).toContain(usd(pkg.valueMinor));
    expect(await card.getByTestId('plan-lines-table').locator('tbody tr').count()).toBe(
      pkg.lines.length,
    );
    const allocations = card.getByTestId('plan-allocations-table');
    expect(await allocations.locator('tbody tr').count()).toBe(pkg.allocations.length);
    for (const a of pkg.allocations) {
      expect(
        await allocations.locator(`a[href="/contributions/${a.contributionId}"]`).count(),
      ).toBe(1);
    }
    expect(await page.getByTestId('solver-line').first().innerText()).toContain('proven best');

    // Every item with its status and reason in words, as the API explains it.
    const items = page.getByTestId('plan-items-table');
    expect(await items.locator('tbody tr').count()).toBe(plan.items.length);
    for (const reason of [
      'money_ran_out',
      'ranked_below_cut',
      'too_large_for_room',
      'no_eligible_money',
    ]) {
      expect(await items.locator(`[data-reason="${reason}"]`).count(), reason).toBe(
        plan.items.filter((i) => i.reason === reason).length,
      );
    }
    expect(await items.innerText()).toContain('Ranked below the cut');
    // On the demo the money runs out at rank 1: it says so, not "ranked below the cut".
    expect(plan.items.find((i) => i.priorityRank === 1)!.reason).toBe('money_ran_out');
    expect(await items.innerText()).toContain('ran out here');
    expect(await page.getByTestId('binding').locator('li').count()).toBe(plan.binding.length);

    // The extra money per area: a chart, and the same figures as a table.
    const next = page.getByTestId('next-money-card');
    await next.locator('[data-chart] svg').first().waitFor();
    expect(
      await next.locator('[data-chart] svg rect, [data-chart] svg path').count(),
    ).toBeGreaterThan(0);
    await next.getByText('Table', { exact: true }).click();
    await expect.poll(() => next.locator('tbody tr').count()).toBe(plan.nextMoney.length);
    await next.getByText('Chart', { exact: true }).click();
    expect(await page.getByTestId('next-money-table').locator('tbody tr').count()).toBeGreaterThan(
      0,
    );
    expect(await untranslatedKeys(page)).toEqual([]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'planner-proposal-en');

    for (const language of ['fr', 'uk'] as const) {
      await chooseLanguage(page, language);
      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).innerText())
        .toBe(HEADING[language]);
      expect(await page.title()).toContain(HEADING[language]);
      expect(await card.getByRole('heading', { level: 3 }).first().innerText()).toBe(
        CARD_TITLE[language],
      );
      expect(await untranslatedKeys(page)).toEqual([]);
      await screenshot(page, `planner-proposal-${language}`);
    }
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await chooseLanguage(page, 'en');
    expectNoConsoleErrors(console);
  });

  it('compares a what-if with a $600M pledge side by side, writing nothing', async () => {
    const before = await get<{ items: unknown[] }>('/packages?limit=200');
    const form = page.getByTestId('whatif-form');
    await form.getByTestId('add-pledge').click();
    const donor = form.getByRole('combobox', { name: 'Donor' });
    await donor.click();
    await donor.fill('Nether');
    await page.getByRole('option', { name: 'Netherlands' }).click();
    await form.getByLabel('Amount in USD').fill('600,000,000');
    await form.getByTestId('compare').click();
    const comparison = page.getByTestId('comparison');
    await comparison.waitFor();

    const expected = await post<PlanJson>('/plans', {
      partialQuantities: true,
      scenarios: [
        DEFAULTS,
        {
          ...DEFAULTS,
          hypotheticalPledges: [
            { donorPartyId: 'NLD', currency: 'USD', amountMinor: PLEDGE_MINOR },
          ],
        },
      ],
    });
    const delta = expected.comparison!;
    expect(BigInt(delta.plannedValueDeltaMinor)).toBeGreaterThan(0n);
    const deltas = comparison.getByTestId('comparison-deltas');
    expect(await deltas.locator('tr[data-figure="planned"] [data-delta]').innerText()).toBe(
      `+${usd(delta.plannedValueDeltaMinor)}`,
    );
    expect(await deltas.locator('tr[data-figure="planned"]').innerText()).toContain(
      usd(expected.scenarios[1]!.plannedValueMinor),
    );
    expect(await comparison.getByTestId('scenario-card').count()).toBe(2);
    await comparison.getByTestId('nothing-written').waitFor();
    await comparison.getByTestId('areas-card').locator('[data-chart] svg').first().waitFor();
    expect(await comparison.getByTestId('changed-items-table').locator('tbody tr').count()).toBe(
      delta.items.length,
    );
    // Nothing was written.
    expect((await get<{ items: unknown[] }>('/packages?limit=200')).items).toHaveLength(
      before.items.length,
    );
    // The base plan may still be accepted (the what-if never).
    await page.getByTestId('accept-plan').waitFor();
    expect(await untranslatedKeys(page)).toEqual([]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'planner-what-if-en');
    expectNoConsoleErrors(console);
  });

  it('accepts the base plan: the created package opens, funded', async () => {
    await page.getByTestId('accept-plan').click();
    await page.getByTestId('accept-plan-confirm').click();
    const accepted = page.getByTestId('accepted');
    await accepted.waitFor();
    await page.getByTestId('accept-notification').waitFor();
    const link = accepted.getByTestId('created-package');
    expect(await link.count()).toBe(1);
    const number = await link.innerText();
    expect(await page.getByTestId('accept-notification').innerText()).toContain(number);
    await link.click();
    await page.waitForURL(/\/packages\/\d+$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    const pkg = await get<{ number: string; status: string; gapMinor: string }>(`/packages/${id}`);
    expect(pkg.number).toBe(number);
    expect(pkg.status).toBe('funded');
    expect(pkg.gapMinor).toBe('0');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toContain(number);
    expectNoConsoleErrors(console);
  });

  it('a plan made stale by a change of the money says so and plans again', async () => {
    // Give the money back (cancel the package just created), plan in the page, then let the
    // API accept that same plan first: the page's plan no longer matches the money.
    const list = await get<{ items: { id: string; status: string }[] }>(
      '/packages?status=funded&limit=200',
    );
    const latest = list.items.sort((a, b) => Number(b.id) - Number(a.id))[0]!;
    const detail = await get<{ id: string; version: number }>(`/packages/${latest.id}`);
    await post(
      `/packages/${detail.id}/cancel`,
      { reason: 'Browser test: give the money back' },
      { 'if-match': `"${detail.version}"` },
    );

    await page.goto(`${server.url}/planner`);
    await page.getByTestId('propose').click();
    await page.getByTestId('accept-plan').waitFor();
    const plan = (
      await post<PlanJson>('/plans', { partialQuantities: true, scenarios: [DEFAULTS] })
    ).scenarios[0]!;
    await post('/plans/accept', {
      partialQuantities: true,
      scenario: DEFAULTS,
      fingerprint: plan.fingerprint,
    });

    await page.getByTestId('accept-plan').click();
    await page.getByTestId('accept-plan-confirm').click();
    const stale = page.getByTestId('plan-stale');
    await stale.waitFor();
    expect(await stale.innerText()).toContain('changed since this plan was made');
    await stale.getByTestId('replan').click();
    await expect.poll(() => page.getByTestId('plan-stale').count()).toBe(0);
    await page.getByTestId('explanation').waitFor();
    // The browser logs the refused accept (409 PLAN_STALE) itself.
    expectNoConsoleErrors(console, [/status of 409/]);
  });
});
