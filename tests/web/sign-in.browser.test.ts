/**
 * Signing in and out in a real browser (Chromium, playwright-core) against a real server with
 * the demo data: fields checked as one types, the server's refusal against the right field, the
 * lockout with the time to retry, the way back to the page one asked for, the session's end
 * (revoked on the server → the next action lands on sign-in saying so), sign-out; the sign-in
 * page in English, French and Ukrainian with no console error, no untranslated key and no
 * serious accessibility violation.
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
import { DEMO_PASSWORD, startWebServer, type WebServer } from './support/server.js';

/** A refused sign-in or an ended session: the browser logs the 401 of that call itself. */
const EXPECTED_401 = /status of 401/;

describe('sign-in in the browser', () => {
  let server: WebServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let console: ConsoleEntry[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    context = await newContext(browser);
    page = await context.newPage();
    console = collectConsoleErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sends an anonymous visitor to sign-in, keeping the page asked for', async () => {
    await page.goto(`${server.url}/analysis/drill?figure=funnel.paid`);
    await page.waitForURL(/\/sign-in/);
    const url = new URL(page.url());
    expect(url.searchParams.get('returnTo')).toBe('/analysis/drill?figure=funnel.paid');
    expect(url.searchParams.get('reason')).toBeNull();
    expectNoConsoleErrors(console);
  });

  it('checks the fields before sending: each error against its field, nothing sent', async () => {
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.getByTestId('sign-in').click();
    await expect.poll(() => page.getByTestId('email').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('password').getAttribute('aria-invalid')).toBe('true');
    expect(await describedText(page, 'email')).toContain('Enter your email address.');
    expect(await describedText(page, 'password')).toContain('Enter your password.');
    // As one types, the email's error changes and then goes.
    await page.getByTestId('email').fill('not-an-address');
    expect(await describedText(page, 'email')).toContain('Enter an email address such as');
    await page.getByTestId('email').fill('coordinator@demo.purl');
    await expect
      .poll(() => page.getByTestId('email').getAttribute('aria-invalid'))
      .not.toBe('true');
    expect(requests.filter((url) => url.includes('/api/v1/auth/login'))).toEqual([]);
    page.removeAllListeners('request');
  });

  it('shows a wrong password against the password field', async () => {
    await page.getByTestId('password').fill('not-the-password');
    await page.getByTestId('sign-in').click();
    await expect.poll(() => page.getByTestId('password').getAttribute('aria-invalid')).toBe('true');
    expect(await describedText(page, 'password')).toContain('Wrong email or password.');
    expect(await page.getByTestId('email').getAttribute('aria-invalid')).not.toBe('true');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('name')))
      .toBe('password');
    expectNoConsoleErrors(console, [EXPECTED_401]);
  });

  it('says when an address is locked and at what time to try again', async () => {
    const lockPage = await context.newPage();
    const lockConsole = collectConsoleErrors(lockPage);
    await lockPage.goto(`${server.url}/sign-in`);
    await lockPage.getByTestId('email').fill('auditor@demo.purl');
    // Five failures lock the address (security.ts); the sixth attempt is refused as locked.
    for (let attempt = 0; attempt < 6; attempt += 1) {
      await lockPage.getByTestId('password').fill(`wrong-${attempt}`);
      await Promise.all([
        lockPage.waitForResponse((response) => response.url().endsWith('/api/v1/auth/login')),
        lockPage.getByTestId('sign-in').click(),
      ]);
    }
    const alert = lockPage.getByTestId('sign-in-error');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(
      /Too many failed sign-ins with this email address\. Try again at \d{1,2}:\d{2}.*\(in \d+ seconds?\)/,
    );
    expectNoConsoleErrors(lockConsole, [EXPECTED_401, /status of 429/]);
    await lockPage.close();
  });

  it('signs in and lands on the page asked for', async () => {
    await page.getByTestId('password').fill(DEMO_PASSWORD);
    await page.getByTestId('sign-in').click();
    await page.waitForURL((url) => url.pathname === '/analysis/drill');
    expect(new URL(page.url()).searchParams.get('figure')).toBe('funnel.paid');
    await page.getByTestId('drill-table').waitFor();
    expectNoConsoleErrors(console, [EXPECTED_401]);
    console.length = 0;
  });

  it('after the session is revoked on the server, the next action lands on sign-in saying so', async () => {
    await page.goto(`${server.url}/`);
    await page.getByTestId('funnel-tiles').waitFor();
    // Revoke this browser's session through the API, as another tab or an administrator would.
    const cookies = await context.cookies();
    const csrf = cookies.find((cookie) => cookie.name === 'purl_csrf')?.value ?? '';
    const sessions = await context.request.get(`${server.url}/api/v1/auth/sessions`);
    const current = (
      (await sessions.json()) as { items: { id: string; current: boolean }[] }
    ).items.find((session) => session.current);
    expect(current).toBeDefined();
    const revoked = await context.request.delete(
      `${server.url}/api/v1/auth/sessions/${current?.id}`,
      { headers: { 'x-csrf-token': csrf } },
    );
    expect(revoked.status()).toBe(200);

    // The next action: show the figures in euros.
    await page.getByTestId('currency-control').getByText('EUR').click();
    await page.waitForURL(/\/sign-in/);
    await page.getByTestId('session-expired').waitFor();
    expect(await page.getByTestId('session-expired').innerText()).toContain('Your session expired');
    expect(new URL(page.url()).searchParams.get('returnTo')).toBe('/?currency=EUR');
    await screenshot(page, 'sign-in-session-expired');

    // Signing in again goes back to where one was, euros chosen.
    await signIn(page, server.url, 'coordinator@demo.purl');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(new URL(page.url()).searchParams.get('currency')).toBe('EUR');
    await page.getByTestId('funnel-tiles').waitFor();
    expectNoConsoleErrors(console, [EXPECTED_401]);
    console.length = 0;
  });

  it('signs out: the session ends on the server and the sign-in page says so', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/sign-in\?reason=signedOut/);
    await page.getByText('You are signed out.').waitFor();
    const me = await context.request.get(`${server.url}/api/v1/auth/me`);
    expect(me.status()).toBe(401);
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/sign-in/);
    expectNoConsoleErrors(console);
  });

  for (const language of ['en', 'fr', 'uk'] as const satisfies readonly Language[]) {
    it(`the sign-in page in ${language}: translated, no console error, accessible`, async () => {
      const languagePage = await context.newPage();
      const languageConsole = collectConsoleErrors(languagePage);
      await languagePage.goto(`${server.url}/sign-in`);
      await chooseLanguage(languagePage, language);
      await languagePage.getByTestId('sign-in').click();
      await expect
        .poll(() => languagePage.getByTestId('email').getAttribute('aria-invalid'))
        .toBe('true');
      expect(await untranslatedKeys(languagePage)).toEqual([]);
      expect(await seriousAccessibilityViolations(languagePage)).toEqual([]);
      const heading = await languagePage.getByRole('heading', { level: 1 }).innerText();
      expect(heading).toBe({ en: 'Sign in', fr: 'Connexion', uk: 'Вхід' }[language]);
      await screenshot(languagePage, `sign-in-${language}`);
      expectNoConsoleErrors(languageConsole);
      await languagePage.close();
    });
  }
});

/** The text of the element(s) an input's `aria-describedby` names: its error, for Mantine. */
async function describedText(page: Page, testId: string): Promise<string> {
  return page.getByTestId(testId).evaluate((input) => {
    const ids = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
  });
}
