/**
 * Requirement lists in a real browser against a real server with the demo data: the lists page
 * and a list's page in English, French and Ukrainian (their data as the API gives it, no console
 * error, no untranslated key, no serious accessibility violation, screenshots), then the whole
 * workflow through the UI as each role does it — the recipient creates a list (a taken cycle
 * refused against its field), adds two items, reorders them with the keyboard and saves, and
 * submits; the validator sets approved quantities (one refused by the server, shown against its
 * field, then corrected) and validates; recipient, coordinator and supplier each sign; the list
 * is approved — each step checked against the API. A contributor sees the lists and no action.
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

const HEADING: Record<Language, string> = {
  en: 'Requirement lists',
  fr: 'Listes de besoins',
  uk: 'Переліки потреб',
};

/** How each language says "approved" (a list's status) and "3 of 3" (its signatures). */
const APPROVED: Record<Language, { status: string; signatures: string }> = {
  en: { status: 'Approved', signatures: '3 of 3' },
  fr: { status: 'Approuvée', signatures: '3 sur 3' },
  uk: { status: 'Затверджено', signatures: '3 з 3' },
};

/** The cycle the workflow creates its list in: after every demo list. */
const CYCLE = '2027-01';

interface Item {
  id: string;
  category: string;
  priorityRank: number;
  requestedQuantity: number;
  approvedQuantity: number | null;
  quantityStep: number;
  wholeOnly: boolean;
  description: unknown;
}

interface ListDetail {
  id: string;
  status: string;
  version: number;
  items: Item[];
  approvals: { role: string; actorId: string }[];
}

interface Session {
  context: BrowserContext;
  page: Page;
  console: ConsoleEntry[];
}

/** Every action button of the feature: none of them is offered to a contributor. */
const ACTION_TEST_IDS = [
  'new-list',
  'add-item',
  'submit-list',
  'validate-list',
  'approve-list',
  'close-list',
  'withdraw-list',
  'save-order',
];

describe('requirement lists in the browser', () => {
  let server: WebServer;
  let browser: Browser;
  const sessions = new Map<string, Session>();

  /** A signed-in browser context per user, opened once. */
  async function as(email: string): Promise<Session> {
    const known = sessions.get(email);
    if (known) return known;
    const context = await newContext(browser);
    const page = await context.newPage();
    const console = collectConsoleErrors(page);
    await page.goto(`${server.url}/sign-in`);
    await signIn(page, server.url, email);
    const session = { context, page, console };
    sessions.set(email, session);
    return session;
  }

  async function api<T>(session: Session, path: string): Promise<T> {
    const response = await session.context.request.get(`${server.url}/api/v1${path}`);
    expect(response.status(), path).toBe(200);
    return (await response.json()) as T;
  }

  async function listByCycle(session: Session, cycle: string): Promise<ListDetail> {
    const page = await api<{ items: { id: string }[] }>(
      session,
      `/requirement-lists?cycle=${cycle}`,
    );
    expect(page.items).toHaveLength(1);
    return api<ListDetail>(session, `/requirement-lists/${page.items[0]!.id}`);
  }

  async function confirm(page: Page, testId: string): Promise<void> {
    await page.getByTestId(testId).click();
    await page.getByTestId(`${testId}-confirm`).click();
    await page.getByTestId(`${testId}-confirm`).waitFor({ state: 'detached' });
  }

  async function offeredActions(page: Page): Promise<string[]> {
    const offered: string[] = [];
    for (const id of ACTION_TEST_IDS) {
      if ((await page.getByTestId(id).count()) > 0) offered.push(id);
    }
    offered.push(
      ...(await page
        .locator(
          '[data-testid^="drag-handle-"], [data-testid^="edit-item-"], [data-testid^="delete-item-"], [data-testid^="approved-quantity-"], [data-testid^="move-up-"]',
        )
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid') ?? ''))),
    );
    return offered;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const language of LANGUAGES) {
    it(`the lists page in ${language}: every list of the API, filters in the URL, accessible`, async () => {
      const coordinator = await as('coordinator@demo.purl');
      const { page } = coordinator;
      await page.goto(`${server.url}/requirements`);
      await chooseLanguage(page, language);
      const table = page.getByTestId('requirement-lists-table');
      await table.waitFor();
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(HEADING[language]);
      const lists = await api<{ items: { id: string; status: string }[] }>(
        coordinator,
        '/requirement-lists',
      );
      expect(await table.locator('tbody tr').count()).toBe(lists.items.length);
      for (const list of lists.items) {
        expect(await table.locator(`a[href="/requirements/${list.id}"]`).count()).toBe(1);
      }
      // Approved lists read 3 of 3 signatures, their status in words.
      const approved = lists.items.filter((list) => list.status === 'approved');
      expect(approved.length).toBeGreaterThan(0);
      for (const list of approved) {
        const row = table.locator('tbody tr', {
          has: page.locator(`a[href="/requirements/${list.id}"]`),
        });
        expect(await row.innerText()).toContain(APPROVED[language].signatures);
        expect(await row.getByTestId('list-status').textContent()).toBe(APPROVED[language].status);
      }
      expect(await page.locator('main').innerText()).not.toContain('{{');
      expect(await untranslatedKeys(page)).toEqual([]);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, `requirements-list-${language}`);

      // A status filter goes to the URL and to the server.
      await page.goto(`${server.url}/requirements?status=submitted`);
      await table.waitFor();
      const submitted = await api<{ items: unknown[] }>(
        coordinator,
        '/requirement-lists?status=submitted',
      );
      await expect.poll(() => table.locator('tbody tr').count()).toBe(submitted.items.length);
      expectNoConsoleErrors(coordinator.console);
    });

    it(`a list's page in ${language}: its items in priority order, signatures, history`, async () => {
      const coordinator = await as('coordinator@demo.purl');
      const { page } = coordinator;
      const list = await listByCycle(coordinator, '2025-09');
      await page.goto(`${server.url}/requirements/${list.id}`);
      await chooseLanguage(page, language);
      const items = page.getByTestId('items-table');
      await items.waitFor();
      const rows = items.locator('tbody tr');
      expect(await rows.count()).toBe(list.items.length);
      const ranks = [...list.items].sort((a, b) => a.priorityRank - b.priorityRank);
      for (const [index, item] of ranks.entries()) {
        expect(await rows.nth(index).getAttribute('data-item-id')).toBe(item.id);
      }
      expect(await page.getByTestId('list-status').getAttribute('data-status')).toBe('approved');
      expect(await page.getByTestId('list-status').textContent()).toBe(APPROVED[language].status);
      expect(await page.locator('main').innerText()).not.toContain('{{');
      // All three signed; the coordinator may close an approved list.
      for (const role of ['recipient', 'coordinator', 'supplier']) {
        expect(await page.getByTestId(`approval-${role}`).innerText()).toMatch(/\d{4}/);
      }
      expect(await page.getByTestId('close-list').count()).toBe(1);
      expect(await page.getByTestId('approve-list').count()).toBe(0);
      // Created, submitted, validated, the three signatures, then approved (by the third).
      const history = page.getByTestId('history-panel').locator('tbody tr');
      expect(await history.count()).toBe(7);
      expect(await history.last().textContent()).toContain(
        (await page.getByTestId('list-status').textContent()) ?? '',
      );
      expect(await untranslatedKeys(page)).toEqual([]);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, `requirements-detail-${language}`);
      expectNoConsoleErrors(coordinator.console);
    });
  }

  it('runs the workflow through the UI: create, add, reorder by keyboard, submit, validate, approve ×3, close', async () => {
    const recipient = await as('recipient@demo.purl');
    const { page } = recipient;
    await page.goto(`${server.url}/requirements`);
    await chooseLanguage(page, 'en');

    // A new list: a cycle that has one already is refused against the cycle.
    await page.getByTestId('new-list').click();
    await page.getByTestId('new-list-cycle').fill('2025-08');
    await page.getByTestId('new-list-title').fill('Requirement list January 2027 (browser test)');
    await page.getByTestId('new-list-submit').click();
    const cycleInput = page.getByTestId('new-list-cycle');
    await expect.poll(() => cycleInput.getAttribute('aria-invalid')).toBe('true');
    const cycleError = await page
      .locator(`#${await cycleInput.getAttribute('id')}-error`)
      .innerText();
    expect(cycleError).toMatch(/2025-08/);
    await cycleInput.fill(CYCLE);
    await page.getByTestId('new-list-submit').click();
    await page.waitForURL(/\/requirements\/\d+$/);
    await page.getByTestId('items-empty').waitFor();
    const created = await listByCycle(recipient, CYCLE);
    expect(created.status).toBe('draft');
    expect(page.url()).toMatch(new RegExp(`/requirements/${created.id}$`));

    // Two items, through the form (checked as typed).
    const addItem = async (item: {
      area: string;
      category: string;
      quantity: string;
      unit: string;
      cost: string;
      step?: string;
      wholeOnly?: boolean;
    }) => {
      await page.getByTestId('add-item').click();
      const form = page.getByTestId('item-form');
      await form.waitFor();
      await page.getByTestId('item-area').click();
      await page.getByRole('option', { name: item.area, exact: true }).click();
      await page.getByTestId('item-category').fill(item.category);
      await page.getByTestId('item-description').fill(`Browser test: ${item.category}`);
      // A quantity of 0 is refused as typed.
      await page.getByTestId('item-quantity').fill('0');
      await expect
        .poll(() => page.getByTestId('item-quantity').getAttribute('aria-invalid'))
        .toBe('true');
      await page.getByTestId('item-quantity').fill(item.quantity);
      await page.getByTestId('item-unit').fill(item.unit);
      await page.getByTestId('item-cost').fill(item.cost);
      if (item.step) {
        // A step above the requested quantity is refused as typed.
        await page.getByTestId('item-step').fill(String(Number(item.quantity) + 1));
        await expect
          .poll(() => page.getByTestId('item-step').getAttribute('aria-invalid'))
          .toBe('true');
        await page.getByTestId('item-step').fill(item.step);
      }
      if (item.wholeOnly) await page.getByLabel('Whole quantity only').check();
      await page.getByTestId('item-submit').click();
      await form.waitFor({ state: 'detached' });
      await page.getByTestId('items-table').getByText(item.category, { exact: true }).waitFor();
    };
    await addItem({
      area: 'Artillery',
      category: '155 mm artillery ammunition',
      quantity: '1000',
      unit: 'rounds',
      cost: '4,000.50',
      step: '500',
    });
    await addItem({
      area: 'Demining',
      category: 'Demining kits',
      quantity: '20',
      unit: 'kits',
      cost: '12,500',
      wholeOnly: true,
    });
    // A third item, edited then deleted (confirmed), through the row's buttons.
    await addItem({
      area: 'Sustainment',
      category: 'Spare parts',
      quantity: '5',
      unit: 'lots',
      cost: '100',
    });
    const spare = (await listByCycle(recipient, CYCLE)).items.find(
      (item) => item.category === 'Spare parts',
    )!;
    await page.getByTestId(`edit-item-${spare.id}`).click();
    await page.getByTestId('item-quantity').fill('7');
    await page.getByTestId('item-submit').click();
    await page.getByTestId('item-form').waitFor({ state: 'detached' });
    await expect
      .poll(
        async () =>
          (await listByCycle(recipient, CYCLE)).items.find((item) => item.id === spare.id)
            ?.requestedQuantity,
      )
      .toBe(7);
    await confirm(page, `delete-item-${spare.id}`);
    await page.getByTestId(`item-row-${spare.id}`).waitFor({ state: 'detached' });
    expect((await listByCycle(recipient, CYCLE)).items).toHaveLength(2);

    const withItems = await listByCycle(recipient, CYCLE);
    const [shells, kits] = [...withItems.items].sort((a, b) => a.priorityRank - b.priorityRank);
    expect([shells!.category, shells!.priorityRank]).toEqual(['155 mm artillery ammunition', 1]);
    expect([kits!.category, kits!.priorityRank]).toEqual(['Demining kits', 2]);
    // How packages may split each: stored, and said in its row.
    expect([shells!.quantityStep, shells!.wholeOnly]).toEqual([500, false]);
    expect([kits!.quantityStep, kits!.wholeOnly]).toEqual([1, true]);
    const packaging = (id: string) =>
      page.getByTestId(`item-row-${id}`).getByTestId('item-packaging').innerText();
    expect(await packaging(shells!.id)).toBe('steps of 500');
    expect(await packaging(kits!.id)).toBe('whole only');
    const unitCost = withItems.items.find((item) => item.id === shells!.id) as unknown as {
      estimatedUnitCost: { amountMinor: string };
    };
    expect(unitCost.estimatedUnitCost.amountMinor).toBe('400050');

    // Reorder with the keyboard on the drag handle: Space, ArrowDown, Space; then save.
    const rows = page.getByTestId('items-table').locator('tbody tr');
    const handle = page.getByTestId(`drag-handle-${shells!.id}`);
    expect(await handle.getAttribute('aria-label')).toBe(
      'Move item 155 mm artillery ammunition; press space to pick up, arrows to move',
    );
    expect(await page.getByTestId('save-order').isDisabled()).toBe(true);
    await handle.focus();
    await page.keyboard.press('Space');
    await page.getByText(/^Picked up 155 mm artillery ammunition/).waitFor({ state: 'attached' });
    // dnd-kit's keyboard sensor listens for the arrows only from a timer after the pick-up: an
    // arrow pressed before that is lost, so press again until the move is announced (the last
    // place stops it there).
    const moved = page.getByText(/moved to position 2 of 2/);
    for (let attempt = 0; attempt < 5 && (await moved.count()) === 0; attempt += 1) {
      await page.keyboard.press('ArrowDown');
      await moved.waitFor({ state: 'attached', timeout: 1_000 }).catch(() => undefined);
    }
    await moved.waitFor({ state: 'attached' });
    await page.keyboard.press('Space');
    await expect.poll(() => rows.first().getAttribute('data-item-id')).toBe(kits!.id);
    expect(await page.getByTestId('save-order').isDisabled()).toBe(false);
    await page.getByTestId('save-order').click();
    await expect.poll(() => page.getByTestId('save-order').isDisabled()).toBe(true);
    const reordered = await listByCycle(recipient, CYCLE);
    const rankOf = (list: ListDetail, id: string) =>
      list.items.find((item) => item.id === id)?.priorityRank;
    expect(rankOf(reordered, kits!.id)).toBe(1);
    expect(rankOf(reordered, shells!.id)).toBe(2);
    // The move buttons do the same, and Reset undoes an unsaved move.
    await page.getByTestId(`move-up-${shells!.id}`).click();
    await expect.poll(() => rows.first().getAttribute('data-item-id')).toBe(shells!.id);
    await page.getByTestId('reset-order').click();
    await expect.poll(() => rows.first().getAttribute('data-item-id')).toBe(kits!.id);

    // A contributor sees the draft but may do nothing with it.
    const donor = await as('nld@demo.purl');
    await donor.page.goto(`${server.url}/requirements/${created.id}`);
    await donor.page.getByTestId('items-table').waitFor();
    expect(await offeredActions(donor.page)).toEqual([]);
    // …and the restricted description is redacted for it.
    expect(await donor.page.locator('[data-redacted="true"]').count()).toBeGreaterThan(0);

    // Submit.
    await confirm(page, 'submit-list');
    await expect
      .poll(() => page.getByTestId('list-status').getAttribute('data-status'))
      .toBe('submitted');
    expect((await listByCycle(recipient, CYCLE)).status).toBe('submitted');
    expect(await page.getByTestId('add-item').count()).toBe(0);

    // The validator: a quantity the server refuses shows against its field; then corrected.
    const validator = await as('validator@demo.purl');
    const vpage = validator.page;
    await vpage.goto(`${server.url}/requirements/${created.id}`);
    const shellsInput = vpage.getByTestId(`approved-quantity-${shells!.id}`);
    await shellsInput.waitFor();
    await shellsInput.fill('3000000000');
    await vpage.getByTestId(`save-approved-${shells!.id}`).click();
    await expect.poll(() => shellsInput.getAttribute('aria-invalid')).toBe('true');
    const refusal = await vpage
      .locator(`#${await shellsInput.getAttribute('id')}-error`)
      .innerText();
    expect(refusal).toMatch(/approvedQuantity/);
    expect(
      (await listByCycle(validator, CYCLE)).items.find((item) => item.id === shells!.id)
        ?.approvedQuantity,
    ).toBeNull();
    await shellsInput.fill('800');
    expect(await shellsInput.getAttribute('aria-invalid')).not.toBe('true');
    await vpage.getByTestId(`save-approved-${shells!.id}`).click();
    await expect
      .poll(
        async () =>
          (await listByCycle(validator, CYCLE)).items.find((item) => item.id === shells!.id)
            ?.approvedQuantity,
      )
      .toBe(800);
    // Wait for the page to hold the item's new version before validating.
    await expect
      .poll(() => vpage.getByTestId(`save-approved-${shells!.id}`).isDisabled())
      .toBe(true);
    await confirm(vpage, 'validate-list');
    await expect
      .poll(() => vpage.getByTestId('list-status').getAttribute('data-status'))
      .toBe('validated');
    const validated = await listByCycle(validator, CYCLE);
    expect(validated.status).toBe('validated');
    expect(validated.items.find((item) => item.id === shells!.id)?.approvedQuantity).toBe(800);
    // The item left unset is approved as requested.
    expect(validated.items.find((item) => item.id === kits!.id)?.approvedQuantity).toBe(20);
    // The validator does not sign.
    expect(await vpage.getByTestId('approve-list').count()).toBe(0);
    expectNoConsoleErrors(validator.console, [/Failed to load resource.*400/]);

    // A contributor is not offered a signature either.
    await donor.page.goto(`${server.url}/requirements/${created.id}`);
    await donor.page.getByTestId('approvals-panel').waitFor();
    await donor.page.getByTestId('items-table').waitFor();
    expect(await offeredActions(donor.page)).toEqual([]);

    // Recipient, coordinator and supplier each sign in their role.
    const signers = [
      ['recipient', recipient],
      ['coordinator', await as('coordinator@demo.purl')],
      ['supplier', await as('supplier@demo.purl')],
    ] as const;
    for (const [role, session] of signers) {
      await session.page.goto(`${server.url}/requirements/${created.id}`);
      await session.page.getByTestId('approvals-panel').waitFor();
      await chooseLanguage(session.page, 'en');
      // Only one's own role's signature is offered.
      await session.page.getByTestId(`approval-${role}`).getByTestId('approve-list').waitFor();
      expect(await session.page.getByTestId('approve-list').count()).toBe(1);
      await confirm(session.page, 'approve-list');
      await expect
        .poll(() => session.page.getByTestId(`approval-${role}`).innerText())
        .toMatch(/You/);
      const after = await listByCycle(session, CYCLE);
      expect(after.approvals.map((approval) => approval.role)).toContain(role);
    }
    const supplierPage = signers[2][1].page;
    await expect
      .poll(() => supplierPage.getByTestId('list-status').getAttribute('data-status'))
      .toBe('approved');
    const approved = await listByCycle(recipient, CYCLE);
    expect(approved.status).toBe('approved');
    expect(approved.approvals).toHaveLength(3);
    expect(await seriousAccessibilityViolations(supplierPage)).toEqual([]);
    expect(await supplierPage.getByTestId('close-list').count()).toBe(0);

    // The coordinator closes the approved list.
    const coordinatorPage = signers[1][1].page;
    await coordinatorPage.reload();
    await confirm(coordinatorPage, 'close-list');
    await expect
      .poll(() => coordinatorPage.getByTestId('list-status').getAttribute('data-status'))
      .toBe('closed');
    expect((await listByCycle(recipient, CYCLE)).status).toBe('closed');
    expectNoConsoleErrors(recipient.console, [/Failed to load resource.*409/]);
  });

  it('a contributor sees the lists and a list, with no action on them', async () => {
    const donor = await as('nld@demo.purl');
    const { page } = donor;
    await page.goto(`${server.url}/requirements`);
    await page.getByTestId('requirement-lists-table').waitFor();
    expect(await offeredActions(page)).toEqual([]);
    const submitted = await listByCycle(donor, '2026-03');
    await page.goto(`${server.url}/requirements/${submitted.id}`);
    await page.getByTestId('items-table').waitFor();
    expect(await offeredActions(page)).toEqual([]);
    expect(await page.getByTestId('items-table').locator('tbody tr').count()).toBe(
      submitted.items.length,
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expectNoConsoleErrors(donor.console);
  });

  it('works at tablet width', async () => {
    const context = await newContext(browser, { viewport: TABLET, language: 'uk' });
    const page = await context.newPage();
    const console = collectConsoleErrors(page);
    await page.goto(`${server.url}/sign-in`);
    await signIn(page, server.url, 'recipient@demo.purl');
    await page.goto(`${server.url}/requirements`);
    await page.getByTestId('requirement-lists-table').waitFor();
    const list = await listByCycle({ context, page, console }, CYCLE);
    await page.goto(`${server.url}/requirements/${list.id}`);
    await page.getByTestId('items-table').waitFor();
    expect(await untranslatedKeys(page)).toEqual([]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'requirements-detail-tablet-uk');
    expectNoConsoleErrors(console);
    await context.close();
  });
});
