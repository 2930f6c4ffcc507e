/**
 * The audit log, administration and "my account" pages in a real browser against a real server
 * with the demo data: each page in English, French and Ukrainian with no console error, no
 * untranslated key and no serious accessibility violation (screenshots audit-<lang>,
 * admin-<lang>, account-<lang>); then, through the UI as each role would: the admin creates a
 * user (a taken email refused against its field), changes its role and disables it; the auditor
 * filters the log to that user's events and sees the chain verified; a coordinator creates an API
 * token, sees its secret once and revokes it — and is offered neither Audit nor Administration.
 * Each outcome is checked against the API's own answer.
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

const HEADINGS: Record<Language, { audit: string; admin: string; account: string }> = {
  en: { audit: 'Audit log', admin: 'Administration', account: 'My account' },
  fr: { audit: 'Journal d’audit', admin: 'Administration du système', account: 'Mon compte' },
  uk: { audit: 'Журнал аудиту', admin: 'Адміністрування', account: 'Мій обліковий запис' },
};

const NEW_USER = 'new.analyst@demo.purl';
const PASSWORD = 'a long enough passphrase for the test';

interface Json {
  [key: string]: unknown;
}

interface Signed {
  context: BrowserContext;
  page: Page;
  console: ConsoleEntry[];
}

describe('audit, administration and my account in the browser', () => {
  let server: WebServer;
  let browser: Browser;
  let auditor: Signed;
  let admin: Signed;
  let coordinator: Signed;

  async function signedIn(email: string): Promise<Signed> {
    const context = await newContext(browser);
    const page = await context.newPage();
    const console = collectConsoleErrors(page);
    await page.goto(`${server.url}/sign-in`);
    await signIn(page, server.url, email);
    return { context, page, console };
  }

  async function api(on: BrowserContext, path: string): Promise<Json> {
    const response = await on.request.get(`${server.url}/api/v1${path}`);
    expect(response.status(), path).toBe(200);
    return (await response.json()) as Json;
  }

  /** Starts a test with the role's console emptied (each test answers for its own errors). */
  function fresh(signed: Signed): Signed {
    signed.console.length = 0;
    return signed;
  }

  async function checkPage(page: Page, name: string) {
    expect(await untranslatedKeys(page)).toEqual([]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, name);
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    auditor = await signedIn('auditor@demo.purl');
    admin = await signedIn('admin@demo.purl');
    coordinator = await signedIn('coordinator@demo.purl');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const language of LANGUAGES) {
    it(`the audit log in ${language}: the chain verified, the latest events, accessible`, async () => {
      const { page, context } = fresh(auditor);
      await page.goto(`${server.url}/audit`);
      await chooseLanguage(page, language);
      await page.getByTestId('chain-ok').waitFor();
      await page.getByTestId('audit-table').waitFor();
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
        HEADINGS[language].audit,
      );
      const verification = (await api(context, '/audit/verification')) as {
        audit: { events: number; headHash: string };
      };
      expect(await page.getByTestId('head-hash').innerText()).toBe(
        `${verification.audit.headHash.slice(0, 12)}…`,
      );
      const events = (await api(context, '/audit/events?limit=50')) as { items: { id: string }[] };
      expect(await page.getByTestId('audit-table').locator('tbody tr').count()).toBe(
        events.items.length,
      );
      // A row opens to its payload, as JSON in a <pre>.
      await page.getByTestId('toggle-payload').first().click();
      await page.getByTestId('event-details').locator('pre').first().waitFor();
      await checkPage(page, `audit-${language}`);
      expectNoConsoleErrors(auditor.console);
    });

    it(`administration in ${language}: the users and the parties, accessible`, async () => {
      const { page, context } = fresh(admin);
      await page.goto(`${server.url}/admin`);
      await chooseLanguage(page, language);
      await page.getByTestId('users-table').waitFor();
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
        HEADINGS[language].admin,
      );
      const users = (await api(context, '/users')) as { items: { email: string }[] };
      expect(await page.getByTestId('users-table').locator('tbody tr').count()).toBe(
        users.items.length,
      );
      await page.getByTestId('role-legend').waitFor();
      await checkPage(page, `admin-${language}`);
      await page.getByTestId('tab-parties').click();
      await page.getByTestId('parties-table').waitFor();
      const parties = (await api(context, '/parties?limit=200')) as { items: unknown[] };
      expect(await page.getByTestId('parties-table').locator('tbody tr').count()).toBe(
        parties.items.length,
      );
      expect(await untranslatedKeys(page)).toEqual([]);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      expectNoConsoleErrors(admin.console);
    });

    it(`my account in ${language}: my sessions (this one marked) and tokens, accessible`, async () => {
      const { page } = fresh(coordinator);
      await page.goto(`${server.url}/account`);
      await chooseLanguage(page, language);
      await page.getByTestId('sessions-table').waitFor();
      await page.getByTestId('current-session').waitFor();
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
        HEADINGS[language].account,
      );
      await checkPage(page, `account-${language}`);
      expectNoConsoleErrors(coordinator.console);
    });
  }

  it('the admin creates a user (a taken email refused against its field), changes its role, disables it; edits a party', async () => {
    const { page, context } = fresh(admin);
    await page.goto(`${server.url}/admin`);
    await chooseLanguage(page, 'en');
    await page.getByTestId('users-table').waitFor();
    // The admin's own row offers no "Disable".
    expect(await page.getByRole('button', { name: 'Disable admin@demo.purl' }).count()).toBe(0);

    await page.getByTestId('new-user').click();
    const form = page.getByTestId('new-user-form');
    await form.getByLabel('Email').fill('coordinator@demo.purl');
    // Checked as one types: a short password is refused before anything is sent.
    await form.getByLabel('Initial password').fill('short');
    await form.getByText('At least 12 characters.').waitFor();
    await form.getByLabel('Initial password').fill(PASSWORD);
    await form.getByLabel('Display name').fill('New Analyst');
    await page.getByTestId('create-user').click();
    // The server's refusal (409 DUPLICATE, field email) shows against the email.
    const emailInput = form.getByLabel('Email');
    await expect
      .poll(async () => emailInput.getAttribute('aria-invalid'), { timeout: 10_000 })
      .toBe('true');
    await form.getByText(/exists/).waitFor();

    await emailInput.fill(NEW_USER);
    await page.getByTestId('create-user').click();
    await page.getByTestId('new-user-form').waitFor({ state: 'detached' });
    const created = (await api(context, `/users?search=${encodeURIComponent(NEW_USER)}`)) as {
      items: { id: string; role: string; displayName: string; disabled: boolean }[];
    };
    expect(created.items).toHaveLength(1);
    expect(created.items[0]).toMatchObject({ role: 'coordinator', displayName: 'New Analyst' });
    const id = created.items[0]!.id;

    // Change its role to supplier.
    await page.getByRole('button', { name: `Edit ${NEW_USER}` }).click();
    const edit = page.getByTestId('edit-user-form');
    await edit.getByTestId('user-version').waitFor();
    await edit.getByTestId('edit-role').click();
    await page.getByRole('option', { name: 'Supplier' }).click();
    await page.getByTestId('save-user').click();
    await edit.waitFor({ state: 'detached' });
    await expect
      .poll(async () => ((await api(context, `/users/${id}`)) as { role: string }).role)
      .toBe('supplier');

    // Disable it, after confirming.
    await page.getByRole('button', { name: `Disable ${NEW_USER}` }).click();
    await page.getByTestId('disable-user-confirm').click();
    await page.getByRole('button', { name: `Enable ${NEW_USER}` }).waitFor();
    expect(((await api(context, `/users/${id}`)) as { disabled: boolean }).disabled).toBe(true);

    // Parties: the English name of Estonia, sent with If-Match of the version shown.
    const before = (await api(context, '/parties/EST')) as { version: number };
    await page.getByTestId('tab-parties').click();
    await page.getByRole('button', { name: 'Edit party EST' }).click();
    const partyForm = page.getByTestId('edit-party-form');
    await partyForm.getByLabel('Name in English').fill('');
    await partyForm.getByText('Enter the name.').waitFor();
    await partyForm.getByLabel('Name in English').fill('Republic of Estonia');
    await page.getByTestId('save-party').click();
    await partyForm.waitFor({ state: 'detached' });
    expect(await api(context, '/parties/EST')).toMatchObject({
      names: { en: 'Republic of Estonia' },
      version: before.version + 1,
    });
    expectNoConsoleErrors(admin.console, [/409/]);
  });

  it('the auditor filters the log to that user’s events and sees the chain verified', async () => {
    const { page, context } = fresh(auditor);
    const user = (
      (await api(admin.context, `/users?search=${encodeURIComponent(NEW_USER)}`)) as {
        items: { id: string }[];
      }
    ).items[0]!;
    await page.goto(`${server.url}/audit`);
    await chooseLanguage(page, 'en');
    await page.getByTestId('audit-table').waitFor();
    await page.getByTestId('filter-entity-type').click();
    await page.getByRole('option', { name: 'User', exact: true }).click();
    await page.getByTestId('filter-entity-id').fill(user.id);
    await page.getByTestId('apply-filters').click();
    await page.waitForURL((url) => url.searchParams.get('entityId') === user.id);
    const expected = (await api(context, `/audit/events?entityType=user&entityId=${user.id}`)) as {
      items: { action: string }[];
    };
    expect(expected.items.map((e) => e.action)).toEqual(['disable', 'update', 'create']);
    await expect.poll(() => page.getByTestId('audit-table').locator('tbody tr').count()).toBe(3);
    const text = await page.getByTestId('audit-table').innerText();
    for (const action of ['disable', 'update', 'create']) expect(text).toContain(action);
    expect(text).toContain('admin@demo.purl');
    // The filtered log is a link: the URL holds the filters.
    expect(new URL(page.url()).searchParams.get('entityType')).toBe('user');
    // The chain is verified, again on demand.
    await page.getByTestId('verify-again').click();
    await page.getByTestId('chain-ok').waitFor();
    expectNoConsoleErrors(auditor.console);
  });

  it('a coordinator creates an API token, sees its secret once, and revokes it', async () => {
    const { page, context } = fresh(coordinator);
    await page.goto(`${server.url}/`);
    await chooseLanguage(page, 'en');
    // "My account" is in the user menu.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('my-account').click();
    await page.waitForURL((url) => url.pathname === '/account');
    await page.getByTestId('sessions-table').waitFor();

    const form = page.getByTestId('new-token-form');
    await form.getByLabel('Name').fill('reporting script');
    await page.getByTestId('create-token').click();
    const secret = await page.getByTestId('token-secret-value').innerText();
    expect(secret).toMatch(/^purl_tok_[A-Za-z0-9_-]{43}$/);
    const tokens = (await api(context, '/auth/tokens')) as {
      items: { id: string; name: string; readOnly: boolean; state: string }[];
    };
    const token = tokens.items.find((k) => k.name === 'reporting script')!;
    expect(token).toMatchObject({ readOnly: true, state: 'active' });
    expect(JSON.stringify(tokens)).not.toContain(secret);

    // Once dismissed (or the page reloaded), the secret is nowhere to be seen again.
    await page.getByTestId('dismiss-secret').click();
    await page.reload();
    await page.getByTestId('tokens-table').waitFor();
    expect(await page.content()).not.toContain(secret);

    await page.getByRole('button', { name: 'Revoke the token reporting script' }).click();
    await page.getByTestId('revoke-token-confirm').click();
    await expect
      .poll(async () => {
        const after = (await api(context, '/auth/tokens')) as {
          items: { id: string; state: string }[];
        };
        return after.items.find((k) => k.id === token.id)?.state;
      })
      .toBe('revoked');
    await expect
      .poll(() => page.getByRole('button', { name: 'Revoke the token reporting script' }).count())
      .toBe(0);
    expectNoConsoleErrors(coordinator.console);
  });

  it('a coordinator is offered neither Audit nor Administration, and /audit is not available', async () => {
    const { page } = fresh(coordinator);
    await page.goto(`${server.url}/`);
    await page.getByTestId('funnel-tiles').waitFor();
    const links = await page.getByRole('navigation').getByRole('link').allInnerTexts();
    expect(links).not.toContain('Audit');
    expect(links).not.toContain('Administration');
    await page.goto(`${server.url}/audit`);
    await page.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    await page.goto(`${server.url}/admin`);
    await page.getByRole('heading', { name: 'Not available for your role' }).waitFor();
    expectNoConsoleErrors(coordinator.console);
  });
});
