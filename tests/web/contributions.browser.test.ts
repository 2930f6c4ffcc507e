/**
 * Contributions and meetings in a real browser against a real server with the demo data: the
 * list and detail pages of both in English, French and Ukrainian (data as the API gives it, no
 * console error, no untranslated key, no serious accessibility violation, a screenshot each);
 * a contributor records a pledge for its own party (donor fixed), commits it (an amount above
 * the pledge refused as one types), has a payment above its commitment refused by the server
 * against the amount field, then records one; a contribution's flow (packages, table totals
 * equal to the API's); the briefing link answers a PDF; a coordinator adds an announcement; a
 * contributor sees another donor's internal note as redacted and no commands on it.
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

const LANGUAGES = ['en', 'fr', 'uk'] as const satisfies readonly Language[];

const HEADINGS: Record<Language, { contributions: string; meetings: string }> = {
  en: { contributions: 'Contributions', meetings: 'Meetings' },
  fr: { contributions: 'Contributions des donateurs', meetings: 'Réunions' },
  uk: { contributions: 'Внески', meetings: 'Засідання' },
};

interface Contribution {
  id: string;
  donorPartyId: string;
  status: string;
  title: string;
  allocatedMinor: string;
  paidMinor: string;
  committedMinor: string;
  pledgedMinor: string;
  internalNote: unknown;
  version: number;
}
interface Page_<T> {
  items: T[];
  nextCursor: string | null;
}
interface Meeting {
  id: string;
  number: number;
  announcements: { id: string; text: string; partyId: string }[];
}
interface Flow {
  packages: { package: { number: string } }[];
  allocations: unknown[];
  totals: {
    netAllocatedMinor: string;
    availableMinor: string;
    outcome: {
      deliveredMinor: string;
      disbursedNotDeliveredMinor: string;
      notDisbursedMinor: string;
    };
  };
}

/** The minor units of a formatted amount, without separators or symbols ("€1,234.56" → 123456n). */
function digitsOf(text: string): bigint {
  return BigInt(text.replace(/[^\d]/g, ''));
}

describe('contributions and meetings in the browser', () => {
  let server: WebServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let console: ConsoleEntry[];
  /** A demo contribution with money in packages, and a meeting with announcements. */
  let funded: Contribution;
  let meeting: Meeting;

  async function api<T>(path: string, on: BrowserContext = context): Promise<T> {
    const response = await on.request.get(`${server.url}/api/v1${path}`);
    expect(response.status(), path).toBe(200);
    return (await response.json()) as T;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    context = await newContext(browser);
    page = await context.newPage();
    console = collectConsoleErrors(page);
    await page.goto(`${server.url}/sign-in?returnTo=%2Fcontributions`);
    await signIn(page, server.url, 'coordinator@demo.purl');
    const all = await api<Page_<Contribution>>('/contributions?limit=200');
    funded = all.items.find((c) => BigInt(c.allocatedMinor) > 0n && BigInt(c.paidMinor) > 0n)!;
    expect(funded).toBeDefined();
    const meetings = await api<Page_<{ id: string }>>('/meetings?limit=100');
    for (const m of meetings.items) {
      const detail = await api<Meeting>(`/meetings/${m.id}`);
      if (detail.announcements.length > 0) {
        meeting = detail;
        break;
      }
    }
    expect(meeting).toBeDefined();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function checkPage(language: Language, name: string) {
    expect(await untranslatedKeys(page)).toEqual([]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, `${name}-${language}`);
    expectNoConsoleErrors(console);
  }

  for (const language of LANGUAGES) {
    it(`the contributions list in ${language}: the API's rows, translated, accessible`, async () => {
      await page.goto(`${server.url}/contributions`);
      await chooseLanguage(page, language);
      const table = page.getByTestId('contributions-table');
      await table.waitFor();
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
        HEADINGS[language].contributions,
      );
      const first = await api<Page_<Contribution>>('/contributions?limit=25');
      expect(await table.locator('tbody tr').count()).toBe(first.items.length);
      for (const c of first.items.slice(0, 5)) {
        expect(await table.locator(`a[href="/contributions/${c.id}"]`).count()).toBe(1);
      }
      await checkPage(language, 'contributions-list');
    });

    it(`a contribution in ${language}: facts, payments and its flow`, async () => {
      await page.goto(`${server.url}/contributions/${funded.id}`);
      await chooseLanguage(page, language);
      await page.getByTestId('contribution-facts').waitFor();
      await page.getByTestId('flow-card').locator('[data-chart]').waitFor();
      await page.getByTestId('payments-table').waitFor();
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(funded.title);
      await checkPage(language, 'contributions-detail');
    });

    it(`the meetings list in ${language}`, async () => {
      await page.goto(`${server.url}/meetings`);
      await chooseLanguage(page, language);
      const table = page.getByTestId('meetings-table');
      await table.waitFor();
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
        HEADINGS[language].meetings,
      );
      const first = await api<Page_<{ id: string }>>('/meetings?limit=25');
      expect(await table.locator('tbody tr').count()).toBe(first.items.length);
      await checkPage(language, 'meetings-list');
    });

    it(`a meeting in ${language}: announcements, follow-up, briefing`, async () => {
      await page.goto(`${server.url}/meetings/${meeting.id}`);
      await chooseLanguage(page, language);
      const announcements = page.getByTestId('announcements-table');
      await announcements.waitFor();
      expect(await announcements.locator('tbody tr').count()).toBe(meeting.announcements.length);
      await page.getByTestId('follow-up-card').locator('[data-chart]').waitFor();
      await page.getByTestId('basis-note').waitFor();
      await page.getByTestId('briefing-en').waitFor();
      await checkPage(language, 'meetings-detail');
    });
  }

  it('the flow of a contribution: its packages, and the table’s totals are the API’s', async () => {
    await page.goto(`${server.url}/contributions/${funded.id}`);
    await chooseLanguage(page, 'en');
    const card = page.getByTestId('flow-card');
    await card.locator('[data-chart]').waitFor();
    const flow = await api<Flow>(`/contributions/${funded.id}/flow`);
    expect(flow.packages.length).toBeGreaterThan(0);
    expect(await card.getByRole('img').getAttribute('aria-label')).toContain(
      flow.packages[0]!.package.number,
    );
    await card.getByText('Table', { exact: true }).click();
    const table = page.getByTestId('flow-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(flow.packages.length);
    for (const p of flow.packages) expect(await table.innerText()).toContain(p.package.number);
    const totals = page.getByTestId('flow-totals');
    const cell = (name: string) => totals.locator(`[data-total="${name}"]`).innerText();
    expect(digitsOf(await cell('netAllocated'))).toBe(BigInt(flow.totals.netAllocatedMinor));
    expect(digitsOf(await cell('delivered'))).toBe(BigInt(flow.totals.outcome.deliveredMinor));
    expect(digitsOf(await cell('disbursedNotDelivered'))).toBe(
      BigInt(flow.totals.outcome.disbursedNotDeliveredMinor),
    );
    expect(digitsOf(await cell('notDisbursed'))).toBe(
      BigInt(flow.totals.outcome.notDisbursedMinor),
    );
    expect(digitsOf(await table.locator('[data-total="available"]').innerText())).toBe(
      BigInt(flow.totals.availableMinor),
    );
    expect(await page.getByTestId('flow-allocations').locator('tbody tr').count()).toBe(
      flow.allocations.length,
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expectNoConsoleErrors(console);
  });

  it('the briefing link answers a PDF, in English and in French', async () => {
    await page.goto(`${server.url}/meetings/${meeting.id}`);
    await chooseLanguage(page, 'en');
    for (const lang of ['en', 'fr'] as const) {
      const link = page.getByTestId(`briefing-${lang}`);
      expect(await link.getAttribute('download')).not.toBeNull();
      const href = await link.getAttribute('href');
      expect(href).toContain(`lang=${lang}`);
      const response = await context.request.get(`${server.url}${href}`, { timeout: 90_000 });
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toContain('application/pdf');
      expect((await response.body()).subarray(0, 4).toString('latin1')).toBe('%PDF');
    }
  }, 120_000);

  it('a coordinator adds an announcement to a meeting', async () => {
    await page.goto(`${server.url}/meetings/${meeting.id}`);
    await chooseLanguage(page, 'en');
    const form = page.getByTestId('announcement-form');
    await form.waitFor();
    const party = form.getByRole('combobox', { name: 'Party' });
    await party.click();
    await party.fill('Norw');
    await page.getByRole('option', { name: 'Norway' }).click();
    await form.getByRole('textbox', { name: 'Currency' }).fill('NOK');
    await form.getByRole('textbox', { name: 'Amount (optional)' }).fill('1,000,000.00');
    const text = `Norway: further air defence funding (browser test ${Date.now()})`;
    await form.getByRole('textbox', { name: 'What was announced' }).fill(text);
    await form.getByTestId('submit-announcement').click();
    await page.getByTestId('announcements-table').getByText(text).waitFor();
    const after = await api<
      Meeting & {
        announcements: { amountMinor: string | null; currency: string | null; text: string }[];
      }
    >(`/meetings/${meeting.id}`);
    const added = after.announcements.find((a) => a.text === text);
    expect(added).toMatchObject({ partyId: 'NOR', amountMinor: '100000000', currency: 'NOK' });

    // Link it to a contribution of Norway, then unlink it.
    const row = page.getByTestId('announcements-table').locator('tr', { hasText: text });
    await row.getByRole('button', { name: 'Link a contribution' }).click();
    await row.getByRole('combobox', { name: 'Contribution of Norway to link' }).click();
    await page.getByRole('listbox').getByRole('option').first().click();
    await row.getByRole('button', { name: 'Link', exact: true }).click();
    await row.getByRole('link', { name: /^Contribution \d+$/ }).waitFor();
    const linked = (
      await api<{ announcements: { id: string; contributionIds: string[] }[] }>(
        `/meetings/${meeting.id}`,
      )
    ).announcements.find((a) => a.id === added!.id)!;
    expect(linked.contributionIds).toHaveLength(1);
    const norway = await api<Contribution>(`/contributions/${linked.contributionIds[0]}`);
    expect(norway.donorPartyId).toBe('NOR');
    await row
      .getByRole('button', { name: `Unlink Contribution ${linked.contributionIds[0]}` })
      .click();
    await row.getByText('Not linked yet').waitFor();
    expectNoConsoleErrors(console);
  });

  it('a contributor records a pledge for its own party, commits it and records a payment', async () => {
    const donor = await newContext(browser, { language: 'en' });
    const donorPage = await donor.newPage();
    const donorConsole = collectConsoleErrors(donorPage);
    await donorPage.goto(`${server.url}/sign-in?returnTo=%2Fcontributions`);
    await signIn(donorPage, server.url, 'nld@demo.purl');
    await donorPage.getByTestId('record-pledge').click();
    const form = donorPage.getByTestId('pledge-form');
    // The donor is the contributor's own party, shown and not editable.
    const donorField = form.getByRole('textbox', { name: 'Donor' });
    expect(await donorField.inputValue()).toBe('Netherlands');
    expect(await donorField.getAttribute('readonly')).not.toBeNull();
    expect(await form.getByRole('textbox', { name: 'Currency' }).inputValue()).toBe('EUR');
    await form.getByRole('textbox', { name: 'Pledged amount' }).fill('1,000.00');
    // Dates the demo's ECB rates cover (its file ends in April 2026): the analyses convert
    // every record at its date, and a day with no rate within 10 days cannot be converted.
    await form.getByLabel('Announced on').fill('2026-03-02');
    const title = `Browser test pledge ${Date.now()}`;
    await form.getByRole('textbox', { name: 'Title' }).fill(title);
    await form.getByRole('textbox', { name: 'Internal note' }).fill('Only for NLD');
    await form.getByTestId('submit-pledge').click();
    await donorPage.waitForURL(/\/contributions\/\d+$/);
    const id = new URL(donorPage.url()).pathname.split('/').pop()!;
    const created = await api<Contribution>(`/contributions/${id}`, donor);
    expect(created).toMatchObject({
      donorPartyId: 'NLD',
      status: 'pledged',
      pledgedMinor: '100000',
      announcedOn: '2026-03-02',
      title,
    });

    // Commit: above the pledge is refused as one types, against the amount.
    const commit = donorPage.getByTestId('commit-form');
    const commitAmount = commit.getByRole('textbox', { name: 'Amount' });
    await commitAmount.fill('1,000.01');
    await expect.poll(() => commitAmount.getAttribute('aria-invalid')).toBe('true');
    expect(await commit.locator('.mantine-TextInput-error').innerText()).toMatch(
      /^At most the pledged amount \(€1,000\.00\)/,
    );
    expect(await commit.getByTestId('commit-submit').isDisabled()).toBe(true);
    await commitAmount.fill('800.00');
    await commit.getByLabel('Committed on').fill('2026-03-09');
    await commit.getByTestId('commit-submit').click();
    await expect
      .poll(async () => (await api<Contribution>(`/contributions/${id}`, donor)).status)
      .toBe('committed');

    // A payment above the commitment: the server refuses it, against the amount field.
    const payment = donorPage.getByTestId('payment-form');
    await payment.waitFor();
    const paymentAmount = payment.getByRole('textbox', { name: 'Amount' });
    await payment.getByLabel('Paid on').fill('2026-03-16');
    await paymentAmount.fill('900.00');
    await payment.getByTestId('payment-submit').click();
    await expect.poll(() => paymentAmount.getAttribute('aria-invalid')).toBe('true');
    expect(await payment.getByRole('alert').count()).toBe(0);
    expect((await api<Contribution>(`/contributions/${id}`, donor)).paidMinor).toBe('0');
    await paymentAmount.fill('300.00');
    await payment.getByRole('textbox', { name: 'Payment reference' }).fill('NL-TEST-1');
    await payment.getByTestId('payment-submit').click();
    await donorPage.getByTestId('payments-table').getByText('NL-TEST-1').waitFor();
    const paid = await api<Contribution>(`/contributions/${id}`, donor);
    expect(paid).toMatchObject({ status: 'partially_paid', paidMinor: '30000' });
    expect(await seriousAccessibilityViolations(donorPage)).toEqual([]);
    // The browser logs the refused payment's answer (422): the refusal this test provoked.
    expectNoConsoleErrors(donorConsole, [/status of 422/]);
    await donor.close();
  });

  it('a contributor sees another donor’s internal note as redacted and no commands on it', async () => {
    const donor = await newContext(browser, { language: 'en' });
    const donorPage = await donor.newPage();
    const donorConsole = collectConsoleErrors(donorPage);
    await donorPage.goto(`${server.url}/sign-in?returnTo=%2Fcontributions`);
    await signIn(donorPage, server.url, 'nld@demo.purl');
    const theirs = (await api<Page_<Contribution>>('/contributions?donor=DEU&limit=50', donor))
      .items;
    const open = theirs.find((c) => ['pledged', 'committed', 'partially_paid'].includes(c.status));
    const target = open ?? theirs[0]!;
    expect(target.internalNote).toEqual({ redacted: true });
    await donorPage.goto(`${server.url}/contributions/${target.id}`);
    await donorPage.getByTestId('contribution-facts').waitFor();
    expect(await donorPage.getByTestId('internal-note').textContent()).toBe('Redacted');
    await donorPage.getByTestId('flow-card').waitFor();
    expect(await donorPage.getByTestId('contribution-actions').count()).toBe(0);
    expect(await donorPage.getByTestId('commit-form').count()).toBe(0);
    expect(await donorPage.getByTestId('payment-form').count()).toBe(0);
    // Its own contributions it may act on (the list offers a pledge).
    await donorPage.goto(`${server.url}/contributions`);
    await donorPage.getByTestId('record-pledge').waitFor();
    expectNoConsoleErrors(donorConsole);
    await donor.close();
  });
});
