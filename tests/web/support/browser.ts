/**
 * The browser side of the web tests: Chromium found by the briefing's locator
 * (`src/services/reports/browser.ts`: PURL_CHROMIUM, /usr/bin/chromium or @sparticuz/chromium)
 * driven by playwright-core, and the checks every page gets — console errors, untranslated
 * keys, accessibility (axe: no serious or critical violation) — and screenshots saved as test
 * artifacts in `tests/.artifacts/screenshots/` (git-ignored).
 */
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { locateChromium } from '../../../src/services/reports/browser.js';
import { DEMO_PASSWORD } from './server.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SCREENSHOT_DIR = join(ROOT, 'tests/.artifacts/screenshots');
const LOCALES_DIR = join(ROOT, 'src/web/src/i18n/locales');

export const LAPTOP = { width: 1280, height: 900 };
export const TABLET = { width: 768, height: 1024 };

export async function launchBrowser(): Promise<Browser> {
  const location = await locateChromium();
  return chromium.launch({
    executablePath: location.executablePath,
    args: location.args,
    headless: true,
  });
}

export type Language = 'en' | 'fr' | 'uk';

/** A fresh context (no cookies), its language remembered before the first page loads. */
export async function newContext(
  browser: Browser,
  options: { language?: Language; viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: options.viewport ?? LAPTOP,
    locale: 'en-GB',
    timezoneId: 'Europe/Brussels',
  });
  if (options.language) {
    await context.addInitScript(
      (language) => window.localStorage.setItem('purl.language', language),
      options.language,
    );
  }
  return context;
}

export interface ConsoleEntry {
  type: string;
  text: string;
  url: string;
}

/** Every console error and uncaught exception of the page, from now on. */
export function collectConsoleErrors(page: Page): ConsoleEntry[] {
  const entries: ConsoleEntry[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      entries.push({ type: message.type(), text: message.text(), url: message.location().url });
    }
  });
  page.on('pageerror', (error) =>
    entries.push({ type: 'pageerror', text: error.message, url: page.url() }),
  );
  return entries;
}

/** Expects no console error but those `allowed` names (each a reason in the test). */
export function expectNoConsoleErrors(entries: ConsoleEntry[], allowed: RegExp[] = []): void {
  const unexpected = entries.filter(
    (entry) => !allowed.some((pattern) => pattern.test(entry.text)),
  );
  expect(unexpected, JSON.stringify(unexpected, null, 2)).toEqual([]);
}

/** Signs in through the sign-in page and waits until it left. */
export async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  if (!page.url().includes('/sign-in')) await page.goto(`${baseUrl}/sign-in`);
  await page.getByTestId('email').fill(email);
  await page.getByTestId('password').fill(DEMO_PASSWORD);
  await page.getByTestId('sign-in').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/** Chooses the language in the header's switcher and waits for `<html lang>`. */
export async function chooseLanguage(page: Page, language: Language): Promise<void> {
  await page.getByTestId('language-switcher').selectOption(language);
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
}

/** Axe on the page as it is: the serious and critical violations (expected none). */
export async function seriousAccessibilityViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

let dottedKeys: Promise<Set<string>> | undefined;

/**
 * Every dotted translation key of the English resources (`tiles.committed`, …), plural forms
 * folded: what a page would show if i18next missed a translation (it shows the key).
 */
export function translationKeys(): Promise<Set<string>> {
  dottedKeys ??= (async () => {
    const keys = new Set<string>();
    const walk = (value: unknown, prefix: string) => {
      if (typeof value === 'string') {
        keys.add(prefix.replace(/_(zero|one|two|few|many|other)$/, ''));
        return;
      }
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        walk(inner, prefix ? `${prefix}.${key}` : key);
      }
    };
    for (const file of await readdir(join(LOCALES_DIR, 'en'))) {
      walk(JSON.parse(await readFile(join(LOCALES_DIR, 'en', file), 'utf8')), '');
    }
    return new Set([...keys].filter((key) => key.includes('.')));
  })();
  return dottedKeys;
}

/** Translation keys visible on the page (text, labels, titles): expected none. */
export async function untranslatedKeys(page: Page): Promise<string[]> {
  const keys = await translationKeys();
  const text = await page.evaluate(() => {
    const labels = [...document.querySelectorAll('[aria-label],[title],[placeholder]')].map(
      (element) =>
        [
          element.getAttribute('aria-label'),
          element.getAttribute('title'),
          element.getAttribute('placeholder'),
        ].join(' '),
    );
    return [document.title, document.body.innerText, ...labels].join('\n');
  });
  const words = new Set(text.split(/[\s,;()«»"“”]+/).map((word) => word.replace(/[.:]+$/, '')));
  return [...keys].filter((key) => words.has(key) || text.includes(`:${key}`));
}
