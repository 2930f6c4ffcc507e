/**
 * i18next, set up once for the whole app (imported by `main.tsx` before anything renders).
 *
 * Rules:
 * - The language: the one chosen in the switcher (localStorage `purl.language`), else the
 *   browser's first language the app has, else English. Changing it updates `<html lang>` and
 *   the document title and is remembered.
 * - There is no fallback language: a key missing in the current language shows as the key and
 *   is reported by `console.error` (`saveMissing` with our handler), which the browser tests
 *   treat as a failure — no English is ever shown silently in French or Ukrainian.
 * - Resources are bundled (no fetch): every namespace is in `resources.ts`.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { EN } from './resources';
import { LANGUAGES, NAMESPACES, RESOURCES, type Language } from './resources';

export { LANGUAGES, type Language } from './resources';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: typeof EN;
  }
}

const STORAGE_KEY = 'purl.language';

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language to start in: remembered, else the browser's, else English. */
export function initialLanguage(): Language {
  const stored = safeStorageGet(STORAGE_KEY);
  if (isLanguage(stored)) return stored;
  for (const tag of navigator.languages ?? []) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** The current language of the app. */
export function currentLanguage(): Language {
  const language = i18next.resolvedLanguage ?? i18next.language;
  return isLanguage(language) ? language : 'en';
}

export async function setLanguage(language: Language): Promise<void> {
  await i18next.changeLanguage(language);
}

function applyLanguage(language: string): void {
  document.documentElement.lang = language;
  if (isLanguage(language)) safeStorageSet(STORAGE_KEY, language);
}

export async function initI18n(language: Language = initialLanguage()): Promise<void> {
  i18next.on('languageChanged', applyLanguage);
  await i18next.use(initReactI18next).init({
    resources: RESOURCES,
    lng: language,
    supportedLngs: [...LANGUAGES],
    fallbackLng: false,
    ns: NAMESPACES,
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
    saveMissing: true,
    saveMissingTo: 'current',
    missingKeyHandler: (languages, namespace, key) => {
      console.error(`i18n: missing key "${namespace}:${key}" in ${languages.join(', ')}`);
    },
  });
  applyLanguage(language);
}

function safeStorageGet(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function safeStorageSet(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
}
