/**
 * ISO 4217 currencies and their minor-unit exponent (the number of decimals: JPY 0, USD 2,
 * KWD 3). The list itself lives in the `currency` table (seeded by migration 0001, withdrawn
 * codes such as CYP or EEK kept because historical ECB rates quote them); this module holds the
 * rules over it, so a code is checked the same way wherever it enters.
 */
import { DomainError } from './errors.js';

/** The ECB quotes every rate as units of a currency per 1 EUR; EUR's own rate is exactly 1. */
export const BASE_CURRENCY = 'EUR';

export interface Currency {
  /** Three upper-case letters, e.g. `USD`. */
  code: string;
  name: string;
  /** Decimals of the minor unit (ISO 4217 "minor unit"): 0 to 4. */
  minorUnit: number;
  /** No longer issued (CYP, EEK, …) but still present in historical rates. */
  withdrawn: boolean;
}

const CODE_PATTERN = /^[A-Z]{3}$/;

/** Three upper-case ASCII letters. Says nothing about whether the code exists. */
export function isCurrencyCodeSyntax(code: unknown): code is string {
  return typeof code === 'string' && CODE_PATTERN.test(code);
}

/** Throws `CURRENCY_UNKNOWN` naming the field unless `code` looks like an ISO 4217 code. */
export function assertCurrencyCodeSyntax(
  code: unknown,
  field = 'currency',
): asserts code is string {
  if (!isCurrencyCodeSyntax(code)) {
    throw new DomainError(
      'CURRENCY_UNKNOWN',
      `${field}: ${JSON.stringify(code)} is not an ISO 4217 code (three upper-case letters, e.g. "USD").`,
      { field, value: String(code) },
    );
  }
}

/**
 * Finds a currency in a list read from the `currency` table, or throws `CURRENCY_UNKNOWN`
 * naming the field and the code.
 */
export function getCurrency(
  currencies: ReadonlyMap<string, Currency>,
  code: unknown,
  field = 'currency',
): Currency {
  assertCurrencyCodeSyntax(code, field);
  const currency = currencies.get(code);
  if (!currency) {
    throw new DomainError(
      'CURRENCY_UNKNOWN',
      `${field}: ${code} is not an ISO 4217 currency known to the ledger.`,
      { field, value: code },
    );
  }
  return currency;
}

/** Indexes currencies by code. */
export function currencyMap(currencies: Iterable<Currency>): Map<string, Currency> {
  return new Map([...currencies].map((c) => [c.code, c]));
}
