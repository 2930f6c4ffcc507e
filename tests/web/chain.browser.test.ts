/**
 * The whole PURL chain through the web application, each step by the role that takes it, in a
 * real browser against a real server with the demo data: the recipient writes and submits a
 * requirement list → the validator validates it → recipient, coordinator and supplier approve
 * it → the coordinator composes a package from its approved item and opens it → a contributor
 * pledges and commits → the coordinator allocates that commitment to the package → the supplier
 * authorises and ships → the recipient records the receipt with a shortfall. After each step the
 * API agrees with what the page showed; no page logs an error; each role sees only its actions.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectConsoleErrors,
  expectNoConsoleErrors,
  launchBrowser,
  newContext,
  screenshot,
  seriousAccessibilityViolations,
  signIn,
  type ConsoleEntry,
} from './support/browser.js';
import { startWebServer, type WebServer } from './support/server.js';

/** A cycle no demo list uses. */
const CYCLE = '2027-03';
const CATEGORY = 'Demining kits (chain test)';
/** A day the demo's ECB rates cover (the file ends on 2026-04-13). */
const RATE_DAY = '2026-04-13';
const PLEDGE_TITLE = 'Chain test pledge';

interface Role {
  context: BrowserContext;
  page: Page;
  console: ConsoleEntry[];
}

interface ListJson {
  id: string;
  status: string;
  items: { id: string; category: string; approvedQuantity: number | null }[];
  approvals: { role: string }[];
}
interface PackageJson {
  id: string;
  status: string;
  priceMinor: string;
  gapMinor: string;
  lines: { requirementItemId: string; quantity: number }[];
  allocations: { contributionId: string; status: string; currency: string }[];
}
interface DeliveriesJson {
  shipments: { reference: string; status: string }[];
  discrepancies: { kind: string; quantity: number; resolution: string | null }[];
}

describe('the whole PURL chain in the browser, each step by its role', () => {
  let server: WebServer;
  let browser: Browser;
  const roles = new Map<string, Role>();
  let listId: string;
  let packageId: string;
  let contributionId: string;

  async function as(email: string): Promise<Role> {
    const known = roles.get(email);
    if (known) return known;
    const context = await newContext(browser, { language: 'en' });
    const page = await context.newPage();
    const console = collectConsoleErrors(page);
    await page.goto(`${server.url}/sign-in`);
    await signIn(page, server.url, email);
    const role = { context, page, console };
    roles.set(email, role);
    return role;
  }

  async function api<T>(role: Role, path: string): Promise<T> {
    const response = await role.context.request.get(`${server.url}/api/v1${path}`);
    expect(response.status(), path).toBe(200);
    return (await response.json()) as T;
  }

  /** Clicks an action whose dialog asks for confirmation, and confirms. */
  async function confirm(page: Page, testId: string): Promise<void> {
    await page.getByTestId(testId).click();
    await page.getByTestId(`${testId}-confirm`).click();
    await page.getByTestId(`${testId}-confirm`).waitFor({ state: 'detached' });
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  });
  afterAll(async () => {
    for (const role of roles.values()) {
      expectNoConsoleErrors(role.console, [/Failed to load resource.*(409|422)/]);
    }
    await browser?.close();
    await server?.close();
  });

  it('1. the recipient writes a requirement list and submits it', async () => {
    const recipient = await as('recipient@demo.purl');
    const { page } = recipient;
    await page.goto(`${server.url}/requirements`);
    await page.getByTestId('new-list').click();
    await page.getByTestId('new-list-cycle').fill(CYCLE);
    await page.getByTestId('new-list-title').fill('Requirement list March 2027 (chain test)');
    await page.getByTestId('new-list-submit').click();
    await page.waitForURL(/\/requirements\/\d+$/);
    listId = new URL(page.url()).pathname.split('/').pop()!;

    await page.getByTestId('add-item').click();
    await page.getByTestId('item-form').waitFor();
    await page.getByTestId('item-area').click();
    await page.getByRole('option', { name: 'Demining', exact: true }).click();
    await page.getByTestId('item-category').fill(CATEGORY);
    await page.getByTestId('item-description').fill('Chain test: demining kits');
    await page.getByTestId('item-quantity').fill('10');
    await page.getByTestId('item-unit').fill('kits');
    await page.getByTestId('item-cost').fill('1,000');
    await page.getByTestId('item-submit').click();
    await page.getByTestId('items-table').getByText(CATEGORY, { exact: true }).waitFor();

    await confirm(page, 'submit-list');
    await expect
      .poll(() => page.getByTestId('list-status').getAttribute('data-status'))
      .toBe('submitted');
    expect((await api<ListJson>(recipient, `/requirement-lists/${listId}`)).status).toBe(
      'submitted',
    );
  });

  it('2. the validator validates it, and 3. recipient, coordinator and supplier approve', async () => {
    const validator = await as('validator@demo.purl');
    await validator.page.goto(`${server.url}/requirements/${listId}`);
    await validator.page.getByTestId('items-table').waitFor();
    // The validator does not sign; it validates.
    expect(await validator.page.getByTestId('approve-list').count()).toBe(0);
    await confirm(validator.page, 'validate-list');
    await expect
      .poll(() => validator.page.getByTestId('list-status').getAttribute('data-status'))
      .toBe('validated');
    const validated = await api<ListJson>(validator, `/requirement-lists/${listId}`);
    expect(validated.items[0]?.approvedQuantity).toBe(10);

    for (const [email, role] of [
      ['recipient@demo.purl', 'recipient'],
      ['coordinator@demo.purl', 'coordinator'],
      ['supplier@demo.purl', 'supplier'],
    ] as const) {
      const signer = await as(email);
      await signer.page.goto(`${server.url}/requirements/${listId}`);
      await signer.page.getByTestId(`approval-${role}`).getByTestId('approve-list').waitFor();
      await confirm(signer.page, 'approve-list');
      await expect
        .poll(async () =>
          (await api<ListJson>(signer, `/requirement-lists/${listId}`)).approvals.map(
            (approval) => approval.role,
          ),
        )
        .toContain(role);
    }
    const supplier = await as('supplier@demo.purl');
    await expect
      .poll(() => supplier.page.getByTestId('list-status').getAttribute('data-status'))
      .toBe('approved');
    expect((await api<ListJson>(supplier, `/requirement-lists/${listId}`)).status).toBe('approved');
  });

  it('4. the coordinator composes a package from the approved item and opens it', async () => {
    const coordinator = await as('coordinator@demo.purl');
    const { page } = coordinator;
    await page.goto(`${server.url}/packages`);
    await page.getByTestId('new-package').click();
    const form = page.getByTestId('new-package-form');
    await form.getByLabel('Cycle').fill(CYCLE);
    await form.getByLabel('Title').fill('Demining, chain test');
    await form.getByLabel('Target price').fill('10,000');
    await form.getByTestId('create-package').click();
    await page.waitForURL(/\/packages\/\d+$/);
    packageId = new URL(page.url()).pathname.split('/').pop()!;

    await page.getByTestId('approved-items-table').waitFor();
    await page.getByRole('button', { name: `Choose ${CATEGORY} of Mar 2027` }).click();
    const line = page.getByTestId('add-line-form');
    await line.getByLabel('Quantity (kits)').fill('10');
    await expect.poll(() => line.getByTestId('line-total-preview').innerText()).toBe('$10,000.00');
    await line.getByTestId('add-line').click();
    await expect.poll(() => page.getByTestId('lines-table').locator('tbody tr').count()).toBe(1);
    await page.getByTestId('open-package').click();
    await page.getByTestId('allocation-panel').waitFor();
    const opened = await api<PackageJson>(coordinator, `/packages/${packageId}`);
    expect(opened).toMatchObject({ status: 'open', priceMinor: '1000000', gapMinor: '1000000' });
    const list = await api<ListJson>(coordinator, `/requirement-lists/${listId}`);
    expect(opened.lines).toEqual([
      expect.objectContaining({ requirementItemId: list.items[0]!.id, quantity: 10 }),
    ]);
  });

  it('5. a contributor pledges and commits, for its own party only', async () => {
    const donor = await as('nld@demo.purl');
    const { page } = donor;
    await page.goto(`${server.url}/contributions`);
    await page.getByTestId('record-pledge').click();
    const form = page.getByTestId('pledge-form');
    expect(await form.getByRole('textbox', { name: 'Donor' }).inputValue()).toBe('Netherlands');
    await form.getByRole('textbox', { name: 'Pledged amount' }).fill('20,000.00');
    await form.getByLabel('Announced on').fill('2026-04-01');
    await form.getByRole('textbox', { name: 'Title' }).fill(PLEDGE_TITLE);
    await form.getByTestId('submit-pledge').click();
    await page.waitForURL(/\/contributions\/\d+$/);
    contributionId = new URL(page.url()).pathname.split('/').pop()!;

    const commit = page.getByTestId('commit-form');
    await commit.getByRole('textbox', { name: 'Amount' }).fill('20,000.00');
    await commit.getByLabel('Committed on').fill('2026-04-02');
    await commit.getByTestId('commit-submit').click();
    await expect
      .poll(
        async () =>
          (await api<{ status: string }>(donor, `/contributions/${contributionId}`)).status,
      )
      .toBe('committed');

    // The contributor may not compose, allocate or authorise the package.
    await page.goto(`${server.url}/packages/${packageId}`);
    await page.getByTestId('lines-table').waitFor();
    for (const testId of ['allocation-panel', 'open-package', 'authorize-form', 'shipment-form']) {
      expect(await page.getByTestId(testId).count(), testId).toBe(0);
    }
  });

  it('6. the coordinator allocates the commitment; the gap closes', async () => {
    const coordinator = await as('coordinator@demo.purl');
    const { page } = coordinator;
    await page.goto(`${server.url}/packages/${packageId}`);
    await page.getByTestId('allocation-panel').waitFor();
    expect(await page.getByTestId('current-gap').innerText()).toContain('$10,000.00');
    await page.getByRole('button', { name: `Choose ${PLEDGE_TITLE}` }).click();
    const allocation = page.getByTestId('allocation-form');
    await allocation.getByLabel('Value date').fill(RATE_DAY);
    await allocation.getByTestId('rate-note').waitFor();
    await allocation.getByTestId('allocate-gap').click();
    await expect
      .poll(() => allocation.getByTestId('gap-after').innerText())
      .toMatch(/gap after it about \$0\.00/);
    await allocation.getByTestId('allocate').click();
    await page.locator('[data-status="funded"]').first().waitFor();
    const funded = await api<PackageJson>(coordinator, `/packages/${packageId}`);
    expect(funded).toMatchObject({ status: 'funded', gapMinor: '0' });
    expect(funded.allocations).toEqual([
      expect.objectContaining({ contributionId, status: 'pending', currency: 'EUR' }),
    ]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('7. the supplier authorises and ships', async () => {
    const supplier = await as('supplier@demo.purl');
    const { page } = supplier;
    await page.goto(`${server.url}/packages/${packageId}`);
    const form = page.getByTestId('authorize-form');
    await form.getByLabel('Authorisation reference').fill('LOA-CHAIN-1');
    await form.getByLabel('Authorised on').fill('2026-04-14');
    await form.getByTestId('authorize').click();
    await page.getByTestId('shipment-form').waitFor();
    const authorised = await api<PackageJson>(supplier, `/packages/${packageId}`);
    expect(authorised.status).toBe('authorized');
    expect(authorised.allocations.every((a) => a.status === 'posted')).toBe(true);

    const shipment = page.getByTestId('shipment-form');
    await shipment.getByLabel('Shipment label').fill('SHIP-CHAIN-1');
    await shipment.getByTestId('create-shipment').click();
    await page.locator('[data-shipment="SHIP-CHAIN-1"]').waitFor();
    await page.getByTestId('advance-shipment').click();
    await page.locator('[data-shipment="SHIP-CHAIN-1"] [data-status="dispatched"]').waitFor();
    const deliveries = await api<DeliveriesJson>(supplier, `/packages/${packageId}/deliveries`);
    expect(deliveries.shipments).toMatchObject([
      { reference: 'SHIP-CHAIN-1', status: 'dispatched' },
    ]);
    expect((await api<PackageJson>(supplier, `/packages/${packageId}`)).status).toBe('in_delivery');
  });

  it('8. the recipient receives with a discrepancy', async () => {
    const recipient = await as('recipient@demo.purl');
    const { page } = recipient;
    await page.goto(`${server.url}/packages/${packageId}`);
    await page.getByTestId('record-receipt').click();
    const form = page.getByTestId('receipt-form');
    await form.getByLabel(`Received quantity of ${CATEGORY}`).fill('9');
    await form.getByLabel(`Notes on ${CATEGORY}`).fill('One kit missing at handover');
    expect(await form.innerText()).toContain('This records a discrepancy: Short 1.');
    await form.getByTestId('submit-receipt').click();
    await page.locator('[data-discrepancy="short"]').waitFor();
    const deliveries = await api<DeliveriesJson>(recipient, `/packages/${packageId}/deliveries`);
    expect(deliveries.shipments[0]?.status).toBe('received');
    expect(deliveries.discrepancies).toMatchObject([
      { kind: 'short', quantity: 1, resolution: null },
    ]);
    // The recipient records; it does not resolve.
    expect(await page.getByTestId('resolve-form').count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'chain-received-en');

    // Where the contributor's euros went: to this package, received but for the shortfall.
    const donor = await as('nld@demo.purl');
    await donor.page.goto(`${server.url}/contributions/${contributionId}`);
    await donor.page.getByTestId('flow-card').waitFor();
    const flow = await api<{ allocations: { packageId?: string; package?: { id: string } }[] }>(
      donor,
      `/contributions/${contributionId}/flow`,
    );
    expect(JSON.stringify(flow)).toContain(packageId);
    // The Sankey's entry animation (about a second) ends before the picture is taken.
    await donor.page.waitForTimeout(1500);
    await screenshot(donor.page, 'chain-flow-en');
  });
});
