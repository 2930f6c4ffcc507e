/**
 * A translation missing in the current language is never hidden: there is no fallback to
 * English, the key shows, and `console.error` names it (the browser tests fail on any console
 * error). Changing the language sets `<html lang>` and is remembered.
 */
import i18next from 'i18next';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n, setLanguage } from './index';

describe('i18n', () => {
  const stored = new Map<string, string>();
  const html = { lang: '' };
  beforeAll(async () => {
    vi.stubGlobal('document', { documentElement: html });
    vi.stubGlobal('navigator', { languages: ['fr-BE'] });
    vi.stubGlobal('window', {
      localStorage: {
        getItem: (key: string) => stored.get(key) ?? null,
        setItem: (key: string, value: string) => stored.set(key, value),
      },
    });
    await initI18n();
  });
  afterAll(() => {
    vi.unstubAllGlobals();
  });

  it('starts in the browser’s language when none was chosen', () => {
    expect(i18next.language).toBe('fr');
    expect(html.lang).toBe('fr');
    expect(i18next.t('dashboard:title')).toBe('Tableau de bord');
  });

  it('reports a missing key with console.error and shows the key, never English', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const text = i18next.t('dashboard:noSuchKey' as 'dashboard:title');
    expect(text).toBe('noSuchKey');
    expect(error).toHaveBeenCalledWith('i18n: missing key "dashboard:noSuchKey" in fr');
    error.mockRestore();
  });

  it('switches language, sets <html lang> and remembers the choice', async () => {
    await setLanguage('uk');
    expect(html.lang).toBe('uk');
    expect(stored.get('purl.language')).toBe('uk');
    expect(i18next.t('dashboard:title')).toBe('Огляд');
  });
});
