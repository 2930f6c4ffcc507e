/**
 * A refusal reads in the reader's language: French and Ukrainian get the translated sentence
 * (with the details the server sent, formatted for the language) and the server's English
 * message as a secondary line; English gets the server's own message.
 */
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../i18n/locales/en/errors.json';
import fr from '../i18n/locales/fr/errors.json';
import uk from '../i18n/locales/uk/errors.json';
import type { Language } from '../i18n/resources';
import { errorText, type ErrorsT } from './error-text';
import { ApiError } from './errors';

const instance = i18next.createInstance();
const translators = new Map<Language, ErrorsT>();

beforeAll(async () => {
  await instance.init({
    resources: { en: { errors: en }, fr: { errors: fr }, uk: { errors: uk } },
    lng: 'en',
    fallbackLng: false,
    ns: ['errors'],
    defaultNS: 'errors',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  // The namespace is the instance's default: `errors` is not (yet) a namespace of the app's types.
  for (const language of ['en', 'fr', 'uk'] as const) {
    const fixed = instance.getFixedT(language) as unknown as (
      key: string,
      options?: Record<string, string>,
    ) => string;
    translators.set(language, (key, options) => fixed(key, options));
  }
});

function text(error: ApiError, language: Language) {
  const t = translators.get(language);
  if (!t) throw new Error(`no translator for ${language}`);
  return errorText(error, t, language);
}

const stale = new ApiError({
  status: 412,
  code: 'PRECONDITION_FAILED',
  message: 'The record changed since you read it (version 4, you sent 3); reload it and retry.',
});

describe('errorText', () => {
  it('English: the server’s own message, no secondary line', () => {
    expect(text(stale, 'en')).toEqual({ message: stale.message });
  });

  it('French: the translated sentence and the server’s message as a detail', () => {
    expect(text(stale, 'fr')).toEqual({
      message: fr.PRECONDITION_FAILED,
      detail: `Précisions du serveur (en anglais) : ${stale.message}`,
    });
  });

  it('Ukrainian: the translated sentence and the server’s message as a detail', () => {
    expect(text(stale, 'uk')).toEqual({
      message: uk.PRECONDITION_FAILED,
      detail: `Подробиці від сервера (англійською): ${stale.message}`,
    });
  });

  it('puts in the details the server sent, formatted for the language', () => {
    const limit = new ApiError({
      status: 400,
      code: 'LIMIT_EXCEEDED',
      message: 'At most 5000 contributions are created at once (importRowsMax).',
      details: { field: 'entries', limit: 'importRowsMax', max: 5000 },
    });
    expect(text(limit, 'fr').message).toMatch(/la limite est de 5\s000\)/);
    expect(text(limit, 'uk').message).toMatch(/обмеження — 5\s000\)/);

    const rate = new ApiError({
      status: 422,
      code: 'FX_RATE_UNAVAILABLE',
      message: 'No NOK rate on 2025-08-04 or up to 7 days before.',
      details: { currency: 'NOK', valueDate: '2025-08-04', carryForwardDaysMax: 7 },
    });
    expect(text(rate, 'fr').message).toContain(
      'Aucun taux de change NOK n’est disponible pour le 4 août 2025.',
    );
    expect(text(rate, 'uk').message).toMatch(/^Немає обмінного курсу NOK на 4 серп\. 2025/);
  });

  it('names the status of the record in the language', () => {
    const transition = new ApiError({
      status: 409,
      code: 'INVALID_TRANSITION',
      message: 'A pledged contribution cannot pay.',
      details: { entity: 'contribution', from: 'pledged', action: 'pay', allowed: ['committed'] },
    });
    expect(text(transition, 'fr').message).toContain('tant que le statut est « Annoncée »');
    expect(text(transition, 'uk').message).toContain('поки статус — «Оголошено»');
    expect(text(transition, 'en')).toEqual({ message: transition.message });
  });

  it('reads well without details: the plain sentence of the code', () => {
    const bare = new ApiError({ status: 409, code: 'INVALID_TRANSITION', message: 'No.' });
    expect(text(bare, 'fr').message).toBe(fr.INVALID_TRANSITION);
    const unknownStatus = new ApiError({
      status: 409,
      code: 'INVALID_TRANSITION',
      message: 'No.',
      details: { entity: 'meeting', from: 'archived' },
    });
    expect(text(unknownStatus, 'uk').message).toBe(uk.INVALID_TRANSITION);
    const locked = new ApiError({ status: 429, code: 'LOGIN_LOCKED', message: 'Wait.' });
    expect(text(locked, 'fr').message).toBe(fr.LOGIN_LOCKED);
  });

  it('gives the wait before retrying in seconds or minutes', () => {
    const soon = new ApiError({
      status: 429,
      code: 'RATE_LIMITED',
      message: 'Too many requests.',
      retryAfterSeconds: 30,
    });
    expect(text(soon, 'uk').message).toContain('через 30 с.');
    const later = new ApiError({
      status: 429,
      code: 'LOGIN_LOCKED',
      message: 'Too many failed sign-ins.',
      retryAfterSeconds: 900,
    });
    expect(text(later, 'fr').message).toContain('Réessayez dans 15 min.');
  });

  it('the app’s own codes: the sentence in every language, no detail for a network failure', () => {
    const offline = new ApiError({
      status: 0,
      code: 'NETWORK',
      message: 'TypeError: fetch failed',
    });
    expect(text(offline, 'en')).toEqual({ message: en.NETWORK });
    expect(text(offline, 'fr')).toEqual({ message: fr.NETWORK });
    const odd = new ApiError({ status: 502, code: 'UNKNOWN', message: 'HTTP 502' });
    expect(text(odd, 'en')).toEqual({ message: en.UNKNOWN });
    expect(text(odd, 'uk')).toEqual({
      message: uk.UNKNOWN,
      detail: 'Подробиці від сервера (англійською): HTTP 502',
    });
  });

  it('quotes the request id of an unexpected error', () => {
    const crash = new ApiError({
      status: 500,
      code: 'INTERNAL',
      message: 'An unexpected error occurred.',
      requestId: 'req-42',
    });
    expect(text(crash, 'fr').message).toContain('en indiquant la référence req-42.');
  });

  it('a code the app does not know: the fallback sentence with the server’s message', () => {
    const newer = new ApiError({
      status: 400,
      code: 'SOMETHING_NEW' as ApiError['code'],
      message: 'Something new went wrong.',
    });
    expect(text(newer, 'en')).toEqual({ message: 'Something new went wrong.' });
    expect(text(newer, 'fr')).toEqual({
      message: fr.fallback,
      detail: 'Précisions du serveur (en anglais) : Something new went wrong.',
    });
  });
});
