/**
 * The web app can say every refusal of the server in English, French and Ukrainian: the
 * `errors` namespace (`src/web/src/i18n/locales/<language>/errors.json`) has a sentence for
 * exactly the codes of the server's catalogue (`src/core/errors.ts`) plus the app's own
 * `NETWORK` and `UNKNOWN`; each `<CODE>_with<Detail>` variant belongs to a code; the three
 * languages have the same keys and placeholders, and no English is left in Ukrainian.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/core/errors.js';

const LOCALES = join(import.meta.dirname, '../../src/web/src/i18n/locales');
const LANGUAGES = ['en', 'fr', 'uk'] as const;
const CLIENT_CODES = ['NETWORK', 'UNKNOWN'];
const CODE = /^[A-Z_]+$/;
const VARIANT = /^([A-Z_]+)_with[A-Z]\w*$/;
const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

type Tree = { [key: string]: string | Tree };

async function load(language: string): Promise<Tree> {
  return JSON.parse(await readFile(join(LOCALES, language, 'errors.json'), 'utf8')) as Tree;
}

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') entries.set(path, value);
    else for (const [inner, text] of flatten(value, path)) entries.set(inner, text);
  }
  return entries;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '').sort();
}

const files = Object.fromEntries(
  await Promise.all(LANGUAGES.map(async (language) => [language, await load(language)])),
) as Record<(typeof LANGUAGES)[number], Tree>;

describe('the errors namespace of the web app', () => {
  for (const language of LANGUAGES) {
    it(`${language}: a sentence for exactly the server's codes and the app's own`, () => {
      const codes = Object.keys(files[language]).filter((key) => CODE.test(key));
      expect(codes.sort()).toEqual([...ERROR_CODES, ...CLIENT_CODES].sort());
      for (const key of Object.keys(files[language])) {
        const variant = VARIANT.exec(key);
        if (variant) expect(codes, `${language}:${key}`).toContain(variant[1]);
        else if (!CODE.test(key)) expect(['fallback', 'serverSaid', 'statuses']).toContain(key);
      }
    });
  }

  const english = flatten(files.en);
  for (const language of ['fr', 'uk'] as const) {
    it(`${language}: the keys and placeholders of English, every text translated`, () => {
      const entries = flatten(files[language]);
      expect([...entries.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, text] of entries) {
        expect(text.trim(), `${language}:${key}`).not.toBe('');
        expect(placeholders(text), `${language}:${key}`).toEqual(placeholders(english.get(key)!));
        expect(text, `${language}:${key}`).not.toBe(english.get(key));
      }
    });
  }

  it('uk: no Latin words but the product’s name', () => {
    for (const [key, text] of flatten(files.uk)) {
      const rest = text.replace(PLACEHOLDER, '').replace(/PURL Ledger|PURL/g, '');
      expect(rest, `uk:${key}`).not.toMatch(/[A-Za-z]/);
    }
  });

  it('serverSaid quotes the server’s message in each language', () => {
    expect(files.en.serverSaid).toBe('Details from the server: {{message}}');
    for (const language of LANGUAGES) expect(files[language].serverSaid).toContain('{{message}}');
  });
});
