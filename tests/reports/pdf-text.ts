/**
 * Test helpers of the briefing tests: the text of a PDF (pdfjs-dist, page by page, every kind of
 * white space folded to one space so "1 234,5 Md$" matches however the PDF spaced it), an
 * independent half-even money formatter for expected strings, and the folder the test run saves
 * its PDFs to (`tests/.artifacts/`, git-ignored) for a person to look at.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export const ARTIFACTS_DIR = fileURLToPath(new URL('../.artifacts/', import.meta.url));

export interface PdfText {
  pages: string[];
  /** Every page, joined by a space. */
  all: string;
}

/** Folds every white space (NBSP and narrow NBSP included) to one ASCII space. */
export function fold(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

export async function pdfText(pdf: Uint8Array): Promise<PdfText> {
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  const pages: string[] = [];
  try {
    for (let n = 1; n <= document.numPages; n++) {
      const page = await document.getPage(n);
      const content = await page.getTextContent();
      const text = content.items
        .map((item) => ('str' in item ? item.str + (item.hasEOL ? ' ' : '') : ''))
        .join('');
      pages.push(fold(text));
    }
  } finally {
    await document.destroy();
  }
  return { pages, all: pages.join(' ') };
}

export async function saveArtifact(name: string, data: Uint8Array): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, name);
  await writeFile(file, data);
  return file;
}

/** `round(n / d)` half to even, for non-negative n and positive d. */
export function halfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const twice = 2n * (n - q * d);
  return twice > d || (twice === d && q % 2n === 1n) ? q + 1n : q;
}

/** "1234567" → "1,234,567" (en) / "1 234 567" (fr; folded spaces). */
function group(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/**
 * An amount of cents as the briefing writes a figure of at least one billion, worked out here by
 * hand: en "$4.12 bn" / fr "4,12 Md$" (EUR: € before, or Md€), white space folded.
 */
export function expectedBillions(
  cents: bigint,
  currency: 'USD' | 'EUR',
  lang: 'en' | 'fr',
): string {
  const hundredths = halfEven(cents, 10n ** 9n); // cents / 10^9 = hundredths of a billion
  const whole = group((hundredths / 100n).toString(), lang === 'fr' ? ' ' : ',');
  const fraction = (hundredths % 100n).toString().padStart(2, '0');
  const symbol = currency === 'USD' ? '$' : '€';
  return lang === 'fr' ? `${whole},${fraction} Md${symbol}` : `${symbol}${whole}.${fraction} bn`;
}

/** Every cent: en "$4,123,456,789.12" / fr "4 123 456 789,12 $", white space folded. */
export function expectedExact(cents: bigint, currency: 'USD' | 'EUR', lang: 'en' | 'fr'): string {
  const whole = group((cents / 100n).toString(), lang === 'fr' ? ' ' : ',');
  const fraction = (cents % 100n).toString().padStart(2, '0');
  const symbol = currency === 'USD' ? '$' : '€';
  return lang === 'fr' ? `${whole},${fraction} ${symbol}` : `${symbol}${whole}.${fraction}`;
}
