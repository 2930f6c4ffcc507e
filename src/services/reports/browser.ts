/**
 * The headless Chromium that prints our HTML to PDF (the meeting briefing; issue 6's browser
 * tests reuse `locateChromium` and `sharedBrowser`).
 *
 * Rules:
 * - Where the browser is: `PURL_CHROMIUM` (an executable path) → `/usr/bin/chromium` when it
 *   exists → the `@sparticuz/chromium` package (a Chromium build for headless servers; the first
 *   call unpacks it to the temporary folder, ~3 s), which then uses its own fonts (Open Sans:
 *   Latin with every French accent, €, the narrow no-break space) unless `FONTCONFIG_PATH` says
 *   otherwise. `locateChromium` says which it took.
 * - How it runs: `--no-sandbox --disable-gpu --disable-background-networking
 *   --disable-component-update --no-first-run --disable-sync` (plus the package's own flags for
 *   its build, minus those that weaken web security). Playwright's `launch` gives every browser a
 *   fresh temporary user-data dir and removes it on close.
 * - One browser per process, launched on first use and reused; each render gets its own context
 *   (JavaScript off, every network request refused: the page is self-contained) that is closed
 *   afterwards. `closeBrowser()` (the HTTP app's onClose, the end of a CLI command) waits for the
 *   renders in flight, then closes it; a later render launches a new one.
 * - A render that takes longer than `LIMITS.briefingRenderTimeoutMs`, a browser that cannot start
 *   or that crashes: `REPORT_RENDERER_UNAVAILABLE` (HTTP 503), saying what to do.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { DomainError } from '../../core/errors.js';
import { LIMITS } from '../../core/limits.js';

/** The flags every launch uses (headless servers, no background traffic). */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** Flags of `@sparticuz/chromium` left out: we print our own page and want web security on. */
const REFUSED_PACKAGE_FLAGS = new Set([
  '--single-process',
  '--disable-web-security',
  '--allow-running-insecure-content',
]);

/** The system Chromium looked for when `PURL_CHROMIUM` is not set. */
export const SYSTEM_CHROMIUM_PATH = '/usr/bin/chromium';

export interface ChromiumLocation {
  executablePath: string;
  /** Launch flags: `CHROMIUM_FLAGS`, and the package's own for `@sparticuz/chromium`. */
  args: string[];
  source: 'PURL_CHROMIUM' | 'system' | '@sparticuz/chromium';
  /**
   * Environment of the browser process beyond ours: for `@sparticuz/chromium`, its own font set
   * (Open Sans, unpacked next to it) unless `FONTCONFIG_PATH` is set — so the PDF looks the same
   * on a server without fonts as on a desktop.
   */
  env: Record<string, string>;
}

/** Finds the Chromium to launch (see the rules at the top of this file). */
export async function locateChromium(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChromiumLocation> {
  const configured = env.PURL_CHROMIUM?.trim();
  if (configured) {
    if (!existsSync(configured)) {
      throw unavailable(
        `PURL_CHROMIUM names ${configured}, which does not exist: set it to a Chromium executable, or unset it to use the bundled one.`,
        { field: 'PURL_CHROMIUM', executablePath: configured },
      );
    }
    return {
      executablePath: configured,
      args: [...CHROMIUM_FLAGS],
      source: 'PURL_CHROMIUM',
      env: {},
    };
  }
  if (existsSync(SYSTEM_CHROMIUM_PATH)) {
    return {
      executablePath: SYSTEM_CHROMIUM_PATH,
      args: [...CHROMIUM_FLAGS],
      source: 'system',
      env: {},
    };
  }
  try {
    const { default: packaged } = await import('@sparticuz/chromium');
    const executablePath = await packaged.executablePath();
    const own = packaged.args.filter(
      (flag) => !REFUSED_PACKAGE_FLAGS.has(flag) && !flag.startsWith('--headless'),
    );
    const fonts = join(tmpdir(), 'fonts');
    const useOwnFonts = !env.FONTCONFIG_PATH && existsSync(join(fonts, 'fonts.conf'));
    return {
      executablePath,
      args: [...new Set([...own, ...CHROMIUM_FLAGS])],
      source: '@sparticuz/chromium',
      env: useOwnFonts ? { FONTCONFIG_PATH: fonts } : {},
    };
  } catch (error) {
    throw unavailable(
      `No Chromium found: set PURL_CHROMIUM to a Chromium executable (the bundled @sparticuz/chromium could not be unpacked: ${messageOf(error)}).`,
      { field: 'PURL_CHROMIUM' },
    );
  }
}

let launching: Promise<Browser> | undefined;
const inFlight = new Set<Promise<unknown>>();

/** The process's browser, launched on first use; `REPORT_RENDERER_UNAVAILABLE` if it cannot start. */
export function sharedBrowser(): Promise<Browser> {
  if (launching) return launching;
  const attempt = launchBrowser();
  launching = attempt;
  attempt.then(
    (browser) =>
      browser.on('disconnected', () => {
        if (launching === attempt) launching = undefined;
      }),
    () => {
      if (launching === attempt) launching = undefined;
    },
  );
  return attempt;
}

async function launchBrowser(): Promise<Browser> {
  const location = await locateChromium();
  // Loaded on first use: playwright-core costs ≈ 1 s and ≈ 90 MB at start-up otherwise.
  const { chromium } = await import('playwright-core');
  try {
    return await chromium.launch({
      executablePath: location.executablePath,
      args: location.args,
      env: { ...process.env, ...location.env },
      headless: true,
      timeout: LIMITS.briefingRenderTimeoutMs,
    });
  } catch (error) {
    throw unavailable(
      `Chromium (${location.source}: ${location.executablePath}) did not start: ${messageOf(error)}. Set PURL_CHROMIUM to a working Chromium executable, or retry shortly.`,
      { executablePath: location.executablePath, source: location.source },
    );
  }
}

/** Waits for the renders in flight, then closes the shared browser (if one was started). */
export async function closeBrowser(): Promise<void> {
  const current = launching;
  launching = undefined;
  await Promise.allSettled([...inFlight]);
  if (!current) return;
  const browser = await current.catch(() => undefined);
  await browser?.close().catch(() => undefined);
}

export interface PdfOptions {
  /** Playwright header/footer templates (their own small HTML; classes `pageNumber`, `totalPages`). */
  headerTemplate: string;
  footerTemplate: string;
  /** Default `LIMITS.briefingRenderTimeoutMs`. */
  timeoutMs?: number;
}

/**
 * Prints a self-contained HTML document to an A4 PDF with header and footer, in a fresh context
 * of the shared browser. Throws `REPORT_RENDERER_UNAVAILABLE` on a launch failure, a crash or a
 * render slower than `LIMITS.briefingRenderTimeoutMs`.
 */
export async function renderPdf(html: string, options: PdfOptions): Promise<Buffer> {
  const timeoutMs = options.timeoutMs ?? LIMITS.briefingRenderTimeoutMs;
  const printing = printToPdf(html, options, timeoutMs);
  // `closeBrowser` waits for the printing itself, even after its caller gave up on a timeout.
  inFlight.add(printing);
  printing.then(
    () => inFlight.delete(printing),
    () => inFlight.delete(printing),
  );
  return withTimeout(printing, timeoutMs);
}

async function printToPdf(html: string, options: PdfOptions, timeoutMs: number): Promise<Buffer> {
  const browser = await sharedBrowser();
  let context: Awaited<ReturnType<Browser['newContext']>> | undefined;
  try {
    context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    await context.route('**/*', (route) => route.abort('blockedbyclient'));
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: options.headerTemplate,
      footerTemplate: options.footerTemplate,
      preferCSSPageSize: true,
      margin: { top: '18mm', bottom: '16mm', left: '16mm', right: '16mm' },
    });
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw unavailable(
      `The PDF could not be rendered: ${messageOf(error)}. Retry shortly; if it persists, set PURL_CHROMIUM to a working Chromium executable.`,
      {},
    );
  } finally {
    await context?.close().catch(() => undefined);
  }
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          unavailable(`The PDF took longer than ${timeoutMs} ms to render; retry shortly.`, {
            limit: 'briefingRenderTimeoutMs',
            timeoutMs,
          }),
        ),
      timeoutMs,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function unavailable(message: string, details: Record<string, unknown>): DomainError {
  return new DomainError('REPORT_RENDERER_UNAVAILABLE', message, details);
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
