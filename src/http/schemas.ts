/**
 * Zod schemas shared by every route: the error body (an OpenAPI component, `ErrorResponse`) and
 * the bigint-as-decimal-string codec for money and ids.
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../core/errors.js';

const DECIMAL_INTEGER = /^-?(0|[1-9][0-9]*)$/;
/** Digits of a decimal bigint we accept: enough for int128, short enough to parse cheaply. */
const DECIMAL_INTEGER_MAX_CHARS = 40;
/** Every bigint a request carries lands in an int8 column (an id or an amount in minor units). */
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

/**
 * A bigint on our side, a decimal string on the wire, both ways: a request field `"123"` is
 * decoded to `123n`; a response field `123n` is encoded to `"123"`. Use it for every amount in
 * minor units (`amountMinor`) and every int8 id. A request value outside int8 is refused here
 * (400 naming the field) rather than by the database; responses (sums of analyses) are not bound.
 */
export const bigintString = z
  .codec(z.string().max(DECIMAL_INTEGER_MAX_CHARS).regex(DECIMAL_INTEGER), z.bigint(), {
    decode: (text, payload) => {
      const value = BigInt(text);
      if (value < INT8_MIN || value > INT8_MAX) {
        payload.issues.push({
          code: 'custom',
          input: text,
          message: `Must be an integer from ${INT8_MIN} to ${INT8_MAX}.`,
        });
      }
      return value;
    },
    encode: (value) => value.toString(),
  })
  .meta({
    type: 'string',
    pattern: DECIMAL_INTEGER.source,
    description: 'An integer as a decimal string (bigint; never a JSON number).',
    examples: ['50000000000'],
  });

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z
        .object({
          field: z
            .string()
            .optional()
            .describe('The offending input, as a dotted path: `body.amountMinor`.'),
        })
        .catchall(z.unknown()),
    }),
  })
  .meta({
    id: 'ErrorResponse',
    description:
      'Every error. `code` is one of the error catalogue; `message` says what to do next; ' +
      '`details.field` names the offending input, `details.limit` the limit exceeded, ' +
      '`details.requestId` (on 5xx) the request to quote when reporting it.',
  });

export type ErrorResponse = z.output<typeof ErrorResponse>;

/** A calendar date on the wire: `YYYY-MM-DD`. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('A date, YYYY-MM-DD.');

/** A monthly cycle: `YYYY-MM`. */
export const cycleMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .describe('A monthly cycle, YYYY-MM.');

/** A party id: ISO 3166 alpha-3 for a nation, or a NATO body id. */
export const partyId = z
  .string()
  .regex(/^[A-Z][A-Z0-9-]{1,19}$/)
  .describe(
    'A party id: ISO 3166 alpha-3 for a nation (NLD), or a NATO body (NATO-HQ, SHAPE, NSATU).',
  );

/** An ISO 4217 currency code. */
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/)
  .describe('ISO 4217 code.');

/**
 * A restricted field the reader may not see (`core/redaction.ts`): it is replaced by
 * `{ "redacted": true }`, never silently left out.
 */
export const Redacted = z.object({ redacted: z.literal(true) }).meta({
  id: 'Redacted',
  description:
    'A restricted field this reader may not see (package contents, requirement details, ' +
    'internal notes): it says so rather than being left out.',
});

/** A restricted field on the wire: its value, or `{ "redacted": true }`. */
export function restricted<T extends z.ZodType>(value: T) {
  return z.union([value, Redacted]);
}
