/**
 * The translations are complete: French and Ukrainian have exactly the keys of English (plural
 * forms per each language's own CLDR categories), the same placeholders, no empty text, and no
 * English left in them (Ukrainian: no Latin words at all but names and codes; French: a value
 * equal to the English one only where the word is the same in both languages).
 */
import { describe, expect, it } from 'vitest';
import { LANGUAGES, NAMESPACES, RESOURCES, type Language } from './resources';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

function flatten(value: unknown, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  if (typeof value === 'string') {
    entries.set(prefix, value);
    return entries;
  }
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    for (const [path, text] of flatten(inner, prefix ? `${prefix}.${key}` : key)) {
      entries.set(path, text);
    }
  }
  return entries;
}

/** base key → plural categories present (empty set for a key without plural forms). */
function keysOf(entries: Map<string, string>): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const key of entries.keys()) {
    const match = PLURAL_SUFFIX.exec(key);
    const base = match ? key.slice(0, match.index) : key;
    const categories = keys.get(base) ?? new Set<string>();
    if (match?.[1]) categories.add(match[1]);
    keys.set(base, categories);
  }
  return keys;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '').sort();
}

function pluralCategories(language: Language): string[] {
  return [...new Intl.PluralRules(language).resolvedOptions().pluralCategories].sort();
}

/** Names, codes and examples that stay in Latin letters in every language. */
const LATIN_ALLOWED = [/PURL Ledger/g, /PURL/g, /SHA-256/g, /[\w.-]+@[\w.-]+\.\w+/g];

/** French values that are rightly the same words as the English ones. */
const FRENCH_SAME_AS_ENGLISH = new Set([
  'common:appName',
  'common:analysis.currencyName.EUR',
  'dashboard:coverage.cycle',
  'dashboard:meeting.when',
  'drill:columns.date',
  'drill:columns.total',
  'drill:kinds.contribution',
  'drill:kinds.allocation',
  'public:contributions',
  'common:nav.contributions',
  'common:nav.audit',
  'common:nav.admin',
  'common:pager.label',
]);

describe('translations', () => {
  for (const namespace of NAMESPACES) {
    const english = flatten(RESOURCES.en[namespace]);
    const englishKeys = keysOf(english);

    for (const language of LANGUAGES) {
      const entries = flatten(RESOURCES[language][namespace]);
      const keys = keysOf(entries);

      it(`${language}/${namespace}: the same keys as English, with the language's plural forms`, () => {
        expect([...keys.keys()].sort()).toEqual([...englishKeys.keys()].sort());
        for (const [key, categories] of englishKeys) {
          if (categories.size === 0) {
            expect(keys.get(key)?.size ?? 0, `${namespace}:${key} has no plural forms`).toBe(0);
          } else {
            expect([...(keys.get(key) ?? [])].sort(), `${namespace}:${key}`).toEqual(
              pluralCategories(language),
            );
          }
        }
      });

      it(`${language}/${namespace}: every text is non-empty and has English's placeholders`, () => {
        for (const [key, text] of entries) {
          expect(text.trim(), `${namespace}:${key}`).not.toBe('');
          const match = PLURAL_SUFFIX.exec(key);
          const base = match ? key.slice(0, match.index) : key;
          const reference = english.get(key) ?? english.get(`${base}_other`) ?? '';
          expect(placeholders(text), `${namespace}:${key}`).toEqual(placeholders(reference));
        }
      });
    }

    it(`uk/${namespace}: no English left (no Latin words but names and codes)`, () => {
      for (const [key, text] of flatten(RESOURCES.uk[namespace])) {
        let rest = text.replace(PLACEHOLDER, '');
        for (const allowed of LATIN_ALLOWED) rest = rest.replace(allowed, '');
        expect(rest, `uk ${namespace}:${key}`).not.toMatch(/[A-Za-z]/);
      }
    });

    it(`fr/${namespace}: no English left (equal texts only where the words are the same)`, () => {
      for (const [key, text] of flatten(RESOURCES.fr[namespace])) {
        if (english.get(key) !== text) continue;
        expect(FRENCH_SAME_AS_ENGLISH.has(`${namespace}:${key}`), `fr ${namespace}:${key}`).toBe(
          true,
        );
      }
    });
  }
});
