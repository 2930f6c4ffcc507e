/**
 * Signing in through the organisation's identity provider (OpenID Connect) in a real browser:
 * a real OpenID provider (`oidc-provider`, its development login and consent pages) on a
 * loopback port, and a real PURL server configured for it. A protected page sends the visitor
 * to sign-in, whose provider button (named after the provider) goes through the provider's
 * login and consent and back to the page asked for, signed in as the user the claims map to.
 * The provider's refusals — consent declined, an account with no PURL role — come back to the
 * sign-in page with a translated message saying what to do. The sign-in page with the provider
 * button in English and French: no untranslated key, no console error, no serious axe finding.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcProvider, type OidcTestProvider } from '../support/oidc-provider.js';
import {
  collectConsoleErrors,
  expectNoConsoleErrors,
  launchBrowser,
  newContext,
  screenshot,
  seriousAccessibilityViolations,
  untranslatedKeys,
  type ConsoleEntry,
  type Language,
} from './support/browser.js';
import { startWebServer, type WebServer } from './support/server.js';

const PROVIDER_NAME = 'MinID';

const BUTTON: Record<Language, string> = {
  en: `Sign in with ${PROVIDER_NAME}`,
  fr: `Se connecter avec ${PROVIDER_NAME}`,
  uk: `Увійти через ${PROVIDER_NAME}`,
};

describe('sign-in through the identity provider in the browser', () => {
  let provider: OidcTestProvider;
  let server: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startWebServer({
        oidc: async (origin) => {
          const callback = `${origin}/api/v1/auth/oidc/callback`;
          provider = await startOidcProvider([callback]);
          return provider.options(callback, PROVIDER_NAME);
        },
      }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await provider?.close();
  });

  /** A fresh browser; the provider's pages load a web font, which the test serves empty. */
  async function freshPage(
    language?: Language,
  ): Promise<{ context: BrowserContext; page: Page; console: ConsoleEntry[] }> {
    const context = await newContext(browser, language ? { language } : {});
    await context.route('https://fonts.googleapis.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/css', body: '' }),
    );
    const page = await context.newPage();
    return { context, page, console: collectConsoleErrors(page) };
  }

  /** The app's console only: the provider's development pages are not ours to judge. */
  function appEntries(console: ConsoleEntry[]): ConsoleEntry[] {
    return console.filter((entry) => !entry.url.startsWith(provider.issuer));
  }

  /** From the sign-in page: the provider button, its login page, then its consent page. */
  async function throughProvider(page: Page, login: string, consent: 'accept' | 'decline') {
    await page.getByTestId('sign-in-oidc').click();
    await page.waitForURL((url) => url.href.startsWith(provider.issuer));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    // The consent page: the provider asks to share the account's details with PURL Ledger.
    const allow = page.getByRole('button', { name: 'Continue' });
    await allow.waitFor();
    if (consent === 'accept') await allow.click();
    else await page.getByRole('link', { name: '[ Cancel ]' }).click();
    await page.waitForURL((url) => url.href.startsWith(server.url));
  }

  it('goes from a protected page through the provider and back to it, signed in', async () => {
    const { context, page, console } = await freshPage();
    await page.goto(`${server.url}/packages`);
    await page.waitForURL(/\/sign-in/);
    expect(new URL(page.url()).searchParams.get('returnTo')).toBe('/packages');

    const button = page.getByTestId('sign-in-oidc');
    await expect.poll(() => button.textContent()).toBe(BUTTON.en);
    expect(await page.getByRole('link', { name: BUTTON.en }).count()).toBe(1);
    expect(await button.getAttribute('href')).toBe('/api/v1/auth/oidc/login?returnTo=%2Fpackages');

    await throughProvider(page, 'coord-1', 'accept');
    await page.waitForURL((url) => url.pathname === '/packages');
    expect(new URL(page.url()).search).toBe('');
    await expect
      .poll(() => page.getByTestId('user-menu').getAttribute('aria-label'))
      .toContain('Coordinator One');
    await page.getByRole('heading', { level: 1, name: 'Packages' }).waitFor();

    const me = await context.request.get(`${server.url}/api/v1/auth/me`);
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({
      authenticatedBy: 'session',
      role: 'coordinator',
      user: { email: 'coord@ministry.example', displayName: 'Coordinator One' },
    });
    expectNoConsoleErrors(appEntries(console));
    await context.close();
  });

  it('keeps a detail page with its query through the provider', async () => {
    const { context, page, console } = await freshPage();
    await page.goto(
      `${server.url}/sign-in?returnTo=${encodeURIComponent('/packages?status=draft')}`,
    );
    await throughProvider(page, 'coord-1', 'accept');
    await page.waitForURL((url) => url.pathname === '/packages');
    expect(new URL(page.url()).searchParams.get('status')).toBe('draft');
    expectNoConsoleErrors(appEntries(console));
    await context.close();
  });

  it('declining at the provider comes back to sign-in saying what to do', async () => {
    const { context, page, console } = await freshPage();
    await page.goto(`${server.url}/packages`);
    await page.waitForURL(/\/sign-in/);
    await throughProvider(page, 'coord-1', 'decline');
    await page.waitForURL(/\/sign-in/);
    const url = new URL(page.url());
    expect(url.searchParams.get('oidcError')).toBe('provider_access_denied');
    expect(url.searchParams.get('returnTo')).toBe('/packages');
    const alert = page.getByTestId('oidc-error');
    await expect.poll(() => alert.textContent()).toContain('cancelled or declined');
    expect(await alert.textContent()).toContain('sign in again');
    // One can start again from here, still on the way to the same page.
    expect(await page.getByTestId('sign-in-oidc').getAttribute('href')).toBe(
      '/api/v1/auth/oidc/login?returnTo=%2Fpackages',
    );
    const me = await context.request.get(`${server.url}/api/v1/auth/me`);
    expect(me.status()).toBe(401);
    expectNoConsoleErrors(appEntries(console));
    await context.close();
  });

  it('an account the claims map to no PURL role comes back to sign-in in French', async () => {
    const { context, page, console } = await freshPage('fr');
    await page.goto(`${server.url}/packages`);
    await page.waitForURL(/\/sign-in/);
    await throughProvider(page, 'norole-1', 'accept');
    await page.waitForURL(/\/sign-in/);
    expect(new URL(page.url()).searchParams.get('oidcError')).toBe('role_missing');
    const alert = page.getByTestId('oidc-error');
    await expect.poll(() => alert.textContent()).toContain('Aucun rôle PURL');
    expect(await alert.textContent()).toContain('administrateur des identités');
    expect(await untranslatedKeys(page)).toEqual([]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in-oidc-refused-fr');
    const me = await context.request.get(`${server.url}/api/v1/auth/me`);
    expect(me.status()).toBe(401);
    expectNoConsoleErrors(appEntries(console));
    await context.close();
  });

  for (const language of ['en', 'fr'] as const) {
    it(`shows the provider button in ${language}: translated, accessible, no console error`, async () => {
      const { context, page, console } = await freshPage(language);
      await page.goto(`${server.url}/sign-in?returnTo=%2Fpackages`);
      const button = page.getByTestId('sign-in-oidc');
      await expect.poll(() => button.textContent()).toBe(BUTTON[language]);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
      expect(await untranslatedKeys(page)).toEqual([]);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, `sign-in-oidc-${language}`);
      expectNoConsoleErrors(console);
      await context.close();
    });
  }
});
