/**
 * Packages in a real browser against a real server with the demo data: the list and a package
 * in English, French and Ukrainian (their data, no console error, no untranslated key, no
 * serious accessibility violation, a screenshot each); then a package's whole life through the
 * UI, each role in its own session — the coordinator composes a draft from approved items,
 * opens it and allocates to it (the gap moving as it goes, a refusal of the server shown
 * against the amount), the supplier authorises at a lower price and ships, the recipient
 * records a receipt with a shortfall, the coordinator resolves it — each step checked against
 * the API; and a contributor sees the contents only of a package its party funds, with no
 * action offered.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/core/errors.js';
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
const HEADING: Record<Language, string> = { en: 'Packages', fr: 'Paquets', uk: 'Пакети' };
/** The last day of the demo's ECB file: allocations are valued on a day with rates. */
const RATE_DAY = '2026-04-13';

interface PackageJson {
  id: string;
  number: string;
  status: string;
  priceMinor: string;
  fundedMinor: string;
  gapMinor: string;
  lines: { description: unknown; unitPriceMinor: unknown; category: string; quantity: number }[];
  allocations: {
    status: string;
    currency: string;
    amountMinor: string;
    packageAmountMinor: string;
    rateDate: string;
  }[];
}

interface DeliveriesJson {
  shipments: { reference: string; status: string }[];
  discrepancies: { kind: string; quantity: number; resolution: string | null }[];
}

describe('packages in the browser', () => {
  let server: WebServer;
  let browser: Browser;
  let coordinator: BrowserContext;
  let page: Page;
  let console: ConsoleEntry[];
  let created: string | undefined;

  async function api<T>(path: string, on: BrowserContext = coordinator): Promise<T> {
    const response = await on.request.get(`${server.url}/api/v1${path}`);
    expect(response.status(), path).toBe(200);
    return (await response.json()) as T;
  }

  async function packageIdOf(number: string): Promise<string> {
    const list = await api<{ items: { id: string; number: string }[] }>('/packages?limit=200');
    const found = list.items.find((p) => p.number === number);
    if (!found) throw new Error(`no package ${number}`);
    return found.id;
  }

  async function signedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await newContext(browser);
    const rolePage = await context.newPage();
    await rolePage.goto(`${server.url}/`);
    await signIn(rolePage, server.url, email);
    return { context, page: rolePage };
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    coordinator = await newContext(browser);
    page = await coordinator.newPage();
    console = collectConsoleErrors(page);
    await page.goto(`${server.url}/`);
    await signIn(page, server.url, 'coordinator@demo.purl');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const language of LANGUAGES) {
    it(`the list and a package in ${language}: their data, translated, accessible`, async () => {
      await page.goto(`${server.url}/packages`);
      await chooseLanguage(page, language);
      await page.getByTestId('packages-table').waitFor();
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(HEADING[language]);
      const list = await api<{ items: { number: string }[] }>('/packages?limit=25');
      const rows = page.getByTestId('packages-table').locator('tbody tr');
      expect(await rows.count()).toBe(list.items.length);
      const text = await page.getByTestId('packages-table').innerText();
      for (const p of list.items) expect(text).toContain(p.number);
      expect(await untranslatedKeys(page)).toEqual([]);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, `packages-list-${language}`);

      // PURL-007: open, partly funded — the coordinator may allocate to it.
      const id = await packageIdOf('PURL-007');
      await page.goto(`${server.url}/packages/${id}`);
      await page.getByTestId('lines-table').waitFor();
      await page.getByTestId('contributions-table').waitFor();
      const detail = await api<PackageJson>(`/packages/${id}`);
      expect(await page.getByTestId('lines-table').locator('tbody tr').count()).toBe(
        detail.lines.length,
      );
      expect(await page.getByTestId('allocations-table').locator('tbody tr').count()).toBe(
        detail.allocations.length,
      );
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('PURL-007');
      expect(await untranslatedKeys(page)).toEqual([]);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, `packages-detail-${language}`);
      expectNoConsoleErrors(console);
    });
  }

  it('keeps the filters in the URL and lists what the API lists', async () => {
    await page.goto(`${server.url}/packages?status=open`);
    await chooseLanguage(page, 'en');
    await page.getByTestId('packages-table').waitFor();
    const open = await api<{ items: unknown[] }>('/packages?status=open&limit=25');
    await expect
      .poll(() => page.getByTestId('packages-table').locator('tbody tr').count())
      .toBe(open.items.length);
    const funded = await api<{ items: unknown[] }>('/packages?donor=NLD&limit=25');
    await page.goto(`${server.url}/packages?donor=NLD`);
    await expect
      .poll(() => page.getByTestId('packages-table').locator('tbody tr').count())
      .toBe(funded.items.length);
    expectNoConsoleErrors(console);
  });

  it('the coordinator composes a draft from approved items, opens it and funds it', async () => {
    await page.goto(`${server.url}/packages`);
    await page.getByTestId('new-package').click();
    const form = page.getByTestId('new-package-form');
    await form.getByLabel('Cycle').fill('2026-02');
    await form.getByLabel('Title').fill('Demining, browser test');
    await form.getByLabel('Target price').fill('2,000,000');
    await form.getByTestId('create-package').click();
    await page.waitForURL(/\/packages\/\d+$/);
    created = new URL(page.url()).pathname.split('/').pop();
    let pkg = await api<PackageJson>(`/packages/${created}`);
    expect(pkg.status).toBe('draft');

    // Add 5 sets of the February list's demining equipment at the estimate ($400,000).
    await page.getByTestId('approved-items-table').waitFor();
    await page.getByRole('button', { name: 'Choose demining equipment of Feb 2026' }).click();
    const line = page.getByTestId('add-line-form');
    await line.getByLabel('Quantity (sets)').fill('5');
    await expect
      .poll(() => line.getByTestId('line-total-preview').innerText())
      .toBe('$2,000,000.00');
    await line.getByTestId('add-line').click();
    await expect.poll(() => page.getByTestId('lines-table').locator('tbody tr').count()).toBe(1);
    pkg = await api<PackageJson>(`/packages/${created}`);
    expect(pkg.priceMinor).toBe('200000000');
    expect(pkg.lines[0]?.category).toBe('demining equipment');

    await screenshot(page, 'packages-compose-en');
    await page.getByTestId('open-package').click();
    await page.getByTestId('allocation-panel').waitFor();
    expect((await api<PackageJson>(`/packages/${created}`)).status).toBe('open');
    expect(await page.getByTestId('current-gap').innerText()).toContain('$2,000,000.00');

    // Germany's contribution (USD, $854,000 left): more than it has is refused by the server,
    // and the refusal shows under the amount.
    await page.getByRole('button', { name: 'Choose Germany — PURL package 3 ($500M)' }).click();
    let allocation = page.getByTestId('allocation-form');
    await allocation.getByLabel('Value date').fill(RATE_DAY);
    await allocation.getByLabel('Amount in USD').fill('900,000');
    await expect
      .poll(() => allocation.getByTestId('gap-after').innerText())
      .toBe('This allocation brings $900,000.00; gap after it: $1,100,000.00.');
    await allocation.getByTestId('allocate').click();
    const amount = allocation.getByLabel('Amount in USD');
    await expect.poll(() => amount.getAttribute('aria-invalid')).toBe('true');
    expect(await allocation.innerText()).toContain(ERROR_CATALOGUE.ALLOCATION_EXCEEDS_AVAILABLE);
    expect((await api<PackageJson>(`/packages/${created}`)).allocations).toHaveLength(0);

    // "Allocate the gap" fills what the contribution can give.
    await allocation.getByTestId('allocate-gap').click();
    await expect.poll(() => amount.inputValue()).toBe('854000.00');
    await expect
      .poll(() => allocation.getByTestId('gap-after').innerText())
      .toBe('This allocation brings $854,000.00; gap after it: $1,146,000.00.');
    await allocation.getByTestId('allocate').click();
    await expect.poll(() => page.getByTestId('current-gap').innerText()).toContain('$1,146,000.00');
    pkg = await api<PackageJson>(`/packages/${created}`);
    expect(pkg.gapMinor).toBe('114600000');
    expect(pkg.allocations).toMatchObject([
      { status: 'pending', currency: 'USD', amountMinor: '85400000', rateDate: RATE_DAY },
    ]);

    // Spain's contribution is in euros: the gap after it is an estimate at the ECB rate.
    await page.getByRole('button', { name: 'Choose Spain — PURL (€100M)' }).click();
    allocation = page.getByTestId('allocation-form');
    await allocation.getByLabel('Value date').fill(RATE_DAY);
    await allocation.getByTestId('rate-note').waitFor();
    expect(await allocation.getByTestId('rate-note').innerText()).toMatch(
      /^At the ECB rate 1\.1684 of 13 Apr 2026 \(ECB/,
    );
    await allocation.getByTestId('allocate-gap').click();
    await expect
      .poll(() => allocation.getByTestId('gap-after').innerText())
      .toMatch(
        /^Estimate: this allocation brings about \$1,146,000\.0\d; gap after it about \$0\.00\.$/,
      );
    await allocation.getByTestId('allocate').click();
    await page.locator('[data-status="funded"]').first().waitFor();
    pkg = await api<PackageJson>(`/packages/${created}`);
    expect(pkg.status).toBe('funded');
    expect(pkg.gapMinor).toBe('0');
    expect(pkg.allocations[1]).toMatchObject({ currency: 'EUR', rateDate: RATE_DAY });
    expect(await page.getByTestId('allocations-table').locator('tbody tr').count()).toBe(2);
    await expect.poll(() => page.getByTestId('allocations-table').innerText()).toContain('Spain');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expectNoConsoleErrors(console, [/Failed to load resource.*(409|422)/]);
  });

  it("the composer keeps an item's packaging rule: steps of 1,000 rounds, or what is left", async () => {
    await page.goto(`${server.url}/packages`);
    await page.getByTestId('new-package').click();
    const form = page.getByTestId('new-package-form');
    await form.getByLabel('Cycle').fill('2025-10');
    await form.getByLabel('Title').fill('Shells by the lot, browser test');
    await form.getByLabel('Target price').fill('50,000,000');
    await form.getByTestId('create-package').click();
    await page.waitForURL(/\/packages\/\d+$/);
    const id = new URL(page.url()).pathname.split('/').pop();

    // The October 2025 list's shells are packaged in steps of 1,000 rounds (the demo's item c3).
    await page.getByTestId('approved-items-table').waitFor();
    await page
      .getByRole('button', { name: 'Choose 155mm artillery ammunition of Oct 2025' })
      .click();
    const line = page.getByTestId('add-line-form');
    const quantity = line.getByLabel('Quantity (rounds)');
    expect(await line.innerText()).toContain('In steps of 1,000');
    await quantity.fill('1500');
    await expect
      .poll(() => line.innerText())
      .toMatch(/Packaged in steps of 1,000: a multiple of 1,000, or the [\d,]+ left\./);
    expect(await line.getByTestId('add-line').isDisabled()).toBe(true);
    await quantity.fill('2000');
    await expect.poll(() => line.getByTestId('add-line').isDisabled()).toBe(false);
    await line.getByTestId('add-line').click();
    await expect.poll(() => page.getByTestId('lines-table').locator('tbody tr').count()).toBe(1);
    const pkg = await api<PackageJson>(`/packages/${id}`);
    expect(pkg.lines[0]?.quantity).toBe(2000);
  });

  it('the supplier authorises at a lower price and ships', async () => {
    expect(created).toBeDefined();
    const supplier = await signedIn('supplier@demo.purl');
    const supplierConsole = collectConsoleErrors(supplier.page);
    await supplier.page.goto(`${server.url}/packages/${created}`);
    const form = supplier.page.getByTestId('authorize-form');
    await form.getByLabel('Authorisation reference').fill('LOA-BROWSER-1');
    await form.getByLabel('Authorised on').fill('2026-04-14');
    const price = form.getByLabel('Final price');
    expect(await price.inputValue()).toBe('2000000.00');
    await price.fill('1,990,000');
    await expect
      .poll(() => form.getByTestId('reprice-effect').innerText())
      .toMatch(/a surplus of \$10,000\.0\d returns to the contributions/);
    await form.getByTestId('authorize').click();
    await supplier.page.getByTestId('shipment-form').waitFor();
    let pkg = await api<PackageJson>(`/packages/${created}`, supplier.context);
    expect(pkg).toMatchObject({ status: 'authorized', priceMinor: '199000000' });
    expect(pkg.allocations.every((a) => a.status === 'posted')).toBe(true);

    const shipment = supplier.page.getByTestId('shipment-form');
    await shipment.getByLabel('Shipment label').fill('SHIP-BROWSER-1');
    expect(await shipment.getByLabel('demining equipment (sets)').inputValue()).toBe('5');
    await shipment.getByTestId('create-shipment').click();
    await supplier.page.locator('[data-shipment="SHIP-BROWSER-1"]').waitFor();
    await supplier.page.getByTestId('advance-shipment').click();
    await supplier.page
      .locator('[data-shipment="SHIP-BROWSER-1"] [data-status="dispatched"]')
      .waitFor();
    const deliveries = await api<DeliveriesJson>(
      `/packages/${created}/deliveries`,
      supplier.context,
    );
    expect(deliveries.shipments).toMatchObject([
      { reference: 'SHIP-BROWSER-1', status: 'dispatched' },
    ]);
    pkg = await api<PackageJson>(`/packages/${created}`, supplier.context);
    expect(pkg.status).toBe('in_delivery');
    // The supplier composes and allocates nothing.
    expect(await supplier.page.getByTestId('allocation-panel').count()).toBe(0);
    expect(await supplier.page.getByTestId('cancel-package-open').count()).toBe(0);
    expectNoConsoleErrors(supplierConsole);
    await supplier.context.close();
  });

  it('the recipient records a receipt with a shortfall; the coordinator resolves it', async () => {
    expect(created).toBeDefined();
    const recipient = await signedIn('recipient@demo.purl');
    const recipientConsole = collectConsoleErrors(recipient.page);
    await recipient.page.goto(`${server.url}/packages/${created}`);
    await recipient.page.getByTestId('record-receipt').click();
    const form = recipient.page.getByTestId('receipt-form');
    await form.getByLabel('Received quantity of demining equipment').fill('4');
    await form.getByLabel('Notes on demining equipment').fill('One set missing at handover');
    expect(await form.innerText()).toContain('This records a discrepancy: Short 1.');
    await form.getByTestId('submit-receipt').click();
    await recipient.page.locator('[data-discrepancy="short"]').waitFor();
    let deliveries = await api<DeliveriesJson>(
      `/packages/${created}/deliveries`,
      recipient.context,
    );
    expect(deliveries.discrepancies).toMatchObject([
      { kind: 'short', quantity: 1, resolution: null },
    ]);
    expect(deliveries.shipments[0]?.status).toBe('received');
    // The recipient may not resolve, ship or authorise.
    expect(await recipient.page.getByTestId('resolve-form').count()).toBe(0);
    expect(await recipient.page.getByTestId('shipment-form').count()).toBe(0);
    expectNoConsoleErrors(recipientConsole);
    await recipient.context.close();

    await page.goto(`${server.url}/packages/${created}`);
    const resolve = page.getByTestId('resolve-form');
    await resolve.getByLabel('Resolve as').click();
    await page.getByRole('option', { name: 'Credited' }).click();
    await resolve.getByLabel('Note').fill('Credited by the supplier');
    await resolve.getByTestId('resolve').click();
    await page.locator('[data-resolution="credited"]').waitFor();
    deliveries = await api<DeliveriesJson>(`/packages/${created}/deliveries`);
    expect(deliveries.discrepancies[0]?.resolution).toBe('credited');
    // Four received and one credited: the line is complete, the package delivered.
    await expect
      .poll(async () => (await api<PackageJson>(`/packages/${created}`)).status)
      .toBe('delivered');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'packages-deliveries-en');

    // Paid in full (the amount left is proposed), then closed: the surplus goes back.
    const disburse = page.getByTestId('disburse-form');
    expect(await disburse.getByLabel('Amount paid').inputValue()).toBe('1990000.00');
    await disburse.getByLabel('Paid on').fill('2026-04-20');
    await disburse.getByTestId('disburse').click();
    await page.getByTestId('close-package').click();
    await page.locator('[data-status="closed"]').first().waitFor();
    const closed = await api<PackageJson & { disbursedMinor: string }>(`/packages/${created}`);
    expect(closed).toMatchObject({ status: 'closed', disbursedMinor: '199000000' });
    expectNoConsoleErrors(console, [/Failed to load resource.*(409|422)/]);
  });

  it('the coordinator cancels an open package with a reason; its allocations are voided', async () => {
    const id = await packageIdOf('PURL-007');
    await page.goto(`${server.url}/packages/${id}`);
    await page.getByTestId('cancel-package-open').click();
    const form = page.getByTestId('cancel-form');
    const reason = form.getByLabel('Reason');
    await reason.focus();
    await reason.blur();
    expect(await form.innerText()).toContain('Give the reason.');
    expect(await form.getByTestId('cancel-package').isDisabled()).toBe(true);
    await reason.fill('Superseded by a re-composed package');
    await form.getByTestId('cancel-package').click();
    await page.locator('[data-status="cancelled"]').first().waitFor();
    const cancelled = await api<PackageJson>(`/packages/${id}`);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.allocations.every((a) => a.status === 'voided')).toBe(true);
    expect(await page.getByTestId('allocation-panel').count()).toBe(0);
    expectNoConsoleErrors(console, [/Failed to load resource.*(409|422)/]);
  });

  it('a contributor sees contents only of a package its party funds, and no action', async () => {
    const nld = await signedIn('nld@demo.purl');
    const nldConsole = collectConsoleErrors(nld.page);
    await nld.page.goto(`${server.url}/packages`);
    await nld.page.getByTestId('packages-table').waitFor();
    expect(await nld.page.getByTestId('new-package').count()).toBe(0);

    // PURL-008: no allocation of the Netherlands — its contents are redacted.
    const unfunded = await packageIdOf('PURL-008');
    const redacted = await api<PackageJson>(`/packages/${unfunded}`, nld.context);
    expect(redacted.lines[0]?.description).toEqual({ redacted: true });
    await nld.page.goto(`${server.url}/packages/${unfunded}`);
    await nld.page.getByTestId('lines-table').waitFor();
    const marks = nld.page.getByTestId('lines-table').locator('[data-redacted="true"]');
    expect(await marks.count()).toBe(redacted.lines.length * 3);
    for (const action of [
      'add-items-panel',
      'open-package',
      'allocation-panel',
      'authorize-form',
      'shipment-form',
      'record-receipt',
      'cancel-package-open',
    ]) {
      expect(await nld.page.getByTestId(action).count(), action).toBe(0);
    }

    // PURL-001: funded by the Netherlands — its contents are shown.
    const funded = await packageIdOf('PURL-001');
    const visible = await api<PackageJson>(`/packages/${funded}`, nld.context);
    expect(typeof visible.lines[0]?.unitPriceMinor).toBe('string');
    await nld.page.goto(`${server.url}/packages/${funded}`);
    await nld.page.getByTestId('lines-table').waitFor();
    expect(
      await nld.page.getByTestId('lines-table').locator('[data-redacted="true"]').count(),
    ).toBe(0);
    expect(await nld.page.getByTestId('lines-table').innerText()).toContain('$');
    expect(await nld.page.getByTestId('resolve-form').count()).toBe(0);
    expect(await seriousAccessibilityViolations(nld.page)).toEqual([]);

    // On a tablet the page fits its width (wide tables scroll inside their own box).
    await nld.page.setViewportSize(TABLET);
    await nld.page.goto(`${server.url}/packages/${funded}`);
    await nld.page.getByTestId('lines-table').waitFor();
    expect(
      await nld.page.evaluate(
        () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
      ),
    ).toBe(true);
    await screenshot(nld.page, 'packages-detail-tablet');
    expectNoConsoleErrors(nldConsole);
    await nld.context.close();
  });
});
