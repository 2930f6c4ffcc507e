/**
 * A refusal of the server in the reader's language: what happened and what to do next, from the
 * `errors` namespace (`locales/<language>/errors.json`, one sentence per code of the server's
 * catalogue, plus `NETWORK` and `UNKNOWN` of the app itself).
 *
 * Rules:
 * - English: the server's own message, which is English already and the most specific (it names
 *   the exact limit, the status, the line…); the catalogue sentence only for the app's own codes
 *   (`NETWORK`, `UNKNOWN`) or when the server said nothing.
 * - French and Ukrainian: the translated sentence, with the details that help the reader (the
 *   limit, the date and currency of a missing rate, the status of the record, the line of a file,
 *   the wait before retrying, the reference of an unexpected error) put in when the server sent
 *   them — each such sentence has a `<CODE>_with<Detail>` variant, the plain `<CODE>` reads well
 *   without — and the server's English message as a secondary line (`detail`).
 * - A code the app does not know (a newer server): `fallback`, with the server's message.
 */
import enErrors from '../i18n/locales/en/errors.json';
import { makeFormatter, type Formatter } from '../i18n/format';
import type { Language } from '../i18n/resources';
import type { ApiError } from './errors';

type Statuses = (typeof enErrors)['statuses'];

/** A status label of the namespace: `statuses.package.open`. */
export type ErrorStatusKey = {
  [Entity in keyof Statuses]: `statuses.${Entity}.${keyof Statuses[Entity] & string}`;
}[keyof Statuses];

/** A sentence of the namespace: a code, a code's variant, `fallback` or `serverSaid`. */
export type ErrorSentenceKey = Exclude<keyof typeof enErrors, 'statuses'>;

/** The `errors` namespace's `t` (`useTranslation('errors').t`). */
export type ErrorsT = (
  key: ErrorSentenceKey | ErrorStatusKey,
  options?: Record<string, string>,
) => string;

export interface ErrorText {
  /** What happened and what to do next, in the reader's language. */
  message: string;
  /** The server's own (English) message, as a secondary line; French and Ukrainian only. */
  detail?: string;
}

/** The codes the `errors` namespace has a sentence for (upper-case keys). */
function isKnownCode(code: string): code is ErrorSentenceKey {
  return /^[A-Z_]+$/.test(code) && Object.hasOwn(enErrors, code);
}

function isKey(key: string): key is ErrorSentenceKey {
  return Object.hasOwn(enErrors, key);
}

const CLIENT_CODES = new Set(['NETWORK', 'UNKNOWN']);

export function errorText(error: ApiError, t: ErrorsT, language: Language): ErrorText {
  const said = error.message.trim();
  if (!isKnownCode(error.code)) {
    if (language === 'en' && said !== '') return { message: said };
    return withDetail({ message: t('fallback') }, error, t, language);
  }
  if (language === 'en' && said !== '' && !CLIENT_CODES.has(error.code)) return { message: said };
  const { key, values } = sentenceOf(error, error.code, t, makeFormatter(language));
  const message = values === undefined ? t(key) : t(key, values);
  return withDetail({ message }, error, t, language);
}

function withDetail(text: ErrorText, error: ApiError, t: ErrorsT, language: Language): ErrorText {
  const said = error.message.trim();
  if (language === 'en' || error.code === 'NETWORK' || said === '') return text;
  return { ...text, detail: t('serverSaid', { message: said }) };
}

interface Sentence {
  key: ErrorSentenceKey;
  values?: Record<string, string>;
}

/** The sentence of the code: its variant with the details when the server sent them. */
function sentenceOf(error: ApiError, code: ErrorSentenceKey, t: ErrorsT, f: Formatter): Sentence {
  const details = error.details;
  const variant = (suffix: string, values: Record<string, string>): Sentence => {
    const key = `${code}_with${suffix}`;
    return isKey(key) ? { key, values } : { key: code };
  };
  switch (code) {
    case 'LIMIT_EXCEEDED': {
      const max = countOf(details.max);
      // A limit in bytes means little to a reader: the server's line says it in words.
      const inBytes = typeof details.limit === 'string' && /bytes/i.test(details.limit);
      return max !== undefined && !inBytes
        ? variant('Max', { max: f.integer(max) })
        : { key: code };
    }
    case 'FX_RATE_UNAVAILABLE': {
      const day = typeof details.valueDate === 'string' ? details.valueDate : undefined;
      if (day === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return { key: code };
      const currency = typeof details.currency === 'string' ? details.currency : undefined;
      return currency
        ? variant('Currency', { currency, date: f.day(day) })
        : variant('Date', { date: f.day(day) });
    }
    case 'IMPORT_MALFORMED': {
      const line = countOf(details.line);
      return line !== undefined && line >= 1
        ? variant('Line', { line: f.integer(line) })
        : { key: code };
    }
    case 'IMPORT_ROWS_INVALID': {
      const invalidRows = countOf(details.invalidRows);
      const rows = countOf(details.rows);
      return invalidRows !== undefined && rows !== undefined
        ? variant('Counts', { invalidRows: f.integer(invalidRows), rows: f.integer(rows) })
        : { key: code };
    }
    case 'INVALID_TRANSITION':
    case 'PACKAGE_NOT_OPEN': {
      const entity = code === 'PACKAGE_NOT_OPEN' ? 'package' : details.entity;
      const status = statusKeyOf(entity, details.from);
      return status ? variant('Status', { status: t(status) }) : { key: code };
    }
    case 'RECEIPT_EXCEEDS_SHIPPED': {
      const shipped = countOf(details.shippedQuantity);
      return shipped !== undefined
        ? variant('Shipped', { shipped: f.integer(shipped) })
        : { key: code };
    }
    case 'LOGIN_LOCKED':
    case 'RATE_LIMITED': {
      const seconds = countOf(error.retryAfterSeconds);
      if (seconds === undefined || seconds < 1) return { key: code };
      return seconds >= 120
        ? variant('Minutes', { minutes: f.integer(Math.ceil(seconds / 60)) })
        : variant('Seconds', { seconds: f.integer(seconds) });
    }
    case 'INTERNAL':
      return error.requestId ? variant('RequestId', { requestId: error.requestId }) : { key: code };
    default:
      return { key: code };
  }
}

/** A whole number of the details, else undefined. */
function countOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** The key of a record's status label, when the namespace has one. */
function statusKeyOf(entity: unknown, from: unknown): ErrorStatusKey | undefined {
  if (typeof entity !== 'string' || typeof from !== 'string') return undefined;
  const statuses: Record<string, Record<string, string>> = enErrors.statuses;
  const labels = Object.hasOwn(statuses, entity) ? statuses[entity] : undefined;
  if (!labels || !Object.hasOwn(labels, from)) return undefined;
  return `statuses.${entity}.${from}` as ErrorStatusKey;
}
